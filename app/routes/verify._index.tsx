import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/forms";
import { fieldErrors } from "~/forms/auth";
import { verifyCodeSchema } from "~/forms/certificates";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Tra cứu chứng nhận – HọcSố" }];

/** A GET form, so it works without JavaScript and the address can be shared. */
export async function loader({ request }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("code");
  if (typed === null) return { typed: "", error: undefined };
  const parsed = verifyCodeSchema.safeParse({ code: typed });
  if (parsed.success) throw redirect(`/verify/${parsed.data.code}`);
  return { typed, error: fieldErrors(parsed.error).code };
}

export default function VerifyIndex() {
  const { typed, error } = useLoaderData<typeof loader>();
  return (
    <section className="narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">Tra cứu chứng nhận</h1>
      <p>Nhập mã in trên giấy chứng nhận để biết chứng nhận có thật và còn hiệu lực không.</p>
      <Form method="get">
        <Field
          name="code"
          label="Mã chứng nhận"
          hint="Ví dụ: ABCD-2345"
          defaultValue={typed}
          error={error}
          autoCapitalize="characters"
          autoComplete="off"
        />
        <button type="submit" className="button button--primary button--block">
          Tra cứu
        </button>
      </Form>
    </section>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { Field } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Kiểm tra thẻ thành viên – HọcSố" }];

/** The GET form below lands here with ?code=…; the answer lives on /badge/$code. */
export async function loader({ request }: LoaderFunctionArgs) {
  const code = (new URL(request.url).searchParams.get("code") ?? "").replace(/[\s-]/g, "").toUpperCase();
  if (code) throw redirect(`/badge/${encodeURIComponent(code.slice(0, 40))}`);
  return null;
}

export const handle = { hydrate: false, offlineStatus: false };

export default function BadgeLookup() {
  return (
    <section aria-labelledby="lookup-title" className="narrow">
      <h1 id="lookup-title">Kiểm tra thẻ thành viên</h1>
      <p>
        Có người đến nhà nói là thành viên Tổ Công nghệ số cộng đồng? Quét mã QR trên thẻ của họ, hoặc nhập mã
        thẻ dưới đây.
      </p>
      <Form method="get">
        <Field name="code" label="Mã trên thẻ" autoComplete="off" autoCapitalize="characters" required />
        <button type="submit" className="button button--primary button--block">
          Kiểm tra
        </button>
      </Form>
    </section>
  );
}

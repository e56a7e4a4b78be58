import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError, NewPasswordFields, usePasswordKey } from "~/components/forms";
import { fieldErrors, resetPasswordSchema } from "~/forms/auth";
import { isResetLinkValid, resetPasswordWithToken } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Đặt mật khẩu mới – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token, valid: token !== "" && (await isResetLinkValid(token)) };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = Object.fromEntries(await readFormData(request));
  const parsed = resetPasswordSchema.safeParse(form);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  if (!(await resetPasswordWithToken(parsed.data.token, parsed.data.password))) {
    return { errors: { form: "Đường dẫn này đã được dùng hoặc đã hết hạn. Hãy yêu cầu một đường dẫn mới." } };
  }
  return redirect("/login?done=password");
}

export default function ResetPassword() {
  const { token, valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const passwordKey = usePasswordKey(actionData);
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  if (!valid) {
    return (
      <section className="narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">Đường dẫn không còn dùng được</h1>
        <p>Đường dẫn đặt lại mật khẩu chỉ dùng được một lần và hết hạn sau 1 giờ.</p>
        <p>
          <Link to="/forgot-password" className="button button--primary">
            Yêu cầu đường dẫn mới
          </Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Đặt mật khẩu mới</h1>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <input type="hidden" name="token" value={token} />
        <NewPasswordFields resetKey={passwordKey} errors={errors} />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          Lưu mật khẩu mới
        </button>
      </Form>
    </section>
  );
}

import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError, Honeypot, IdentifierField } from "~/components/forms";
import { fieldErrors, forgotPasswordSchema } from "~/forms/auth";
import { parseIdentifier, requestPasswordReset } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { blockedMessage, failureMessage, requestKeys } from "~/rate-limit.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Quên mật khẩu – HọcSố" }];

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = Object.fromEntries(await readFormData(request));
  const values = { identifier: String(form.identifier ?? "") };
  if (String(form.website ?? "") !== "") {
    return { values, errors: { form: "Không gửi được biểu mẫu. Hãy tải lại trang và thử lại." }, done: null };
  }
  const parsed = forgotPasswordSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error), done: null };
  const identifier = parseIdentifier(parsed.data.identifier)!;
  // Every request counts, so nobody floods an inbox or probes which numbers have accounts.
  const keys = requestKeys("reset", identifier.value, request);
  const blocked = await blockedMessage(keys);
  if (blocked) return { values, errors: { form: blocked }, done: null };
  const result = await requestPasswordReset(identifier, request);
  await failureMessage(keys);
  return {
    values,
    errors: {},
    done: result.sent === "email" || identifier.kind === "email" ? ("email" as const) : ("phone" as const),
  };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <section className="narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Quên mật khẩu</h1>
      {actionData?.done === "email" ? (
        <div className="form-success" role="status">
          Nếu có tài khoản dùng email này, chúng tôi đã gửi thư có đường dẫn đặt lại mật khẩu. Hãy mở hộp thư
          (cả mục Thư rác). Đường dẫn dùng được một lần, trong 1 giờ.
        </div>
      ) : null}
      {actionData?.done === "phone" ? (
        <div className="callout callout--tip" role="status">
          <p className="callout__title">Tài khoản dùng số điện thoại</p>
          <p>
            Nếu tài khoản của bạn có email, chúng tôi đã gửi thư đặt lại mật khẩu tới email đó. Nếu không, hãy
            gặp <strong>tổ trưởng Tổ Công nghệ số cộng đồng</strong> ở tổ dân phố của bạn hoặc Phòng Văn hoá –
            Xã hội phường. Họ sẽ đưa bạn một mã gồm 8 chữ và số, rồi bạn{" "}
            <Link to="/reset-code">nhập mã để đặt mật khẩu mới</Link>.
          </p>
        </div>
      ) : null}
      <p>Nhập số điện thoại hoặc email bạn dùng để đăng nhập.</p>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Honeypot />
        <IdentifierField defaultValue={actionData?.values.identifier} error={errors.identifier} />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          Gửi hướng dẫn đặt lại mật khẩu
        </button>
      </Form>
      <p>
        Đã có mã từ tổ trưởng hoặc phường? <Link to="/reset-code">Nhập mã đặt lại mật khẩu</Link>
      </p>
    </section>
  );
}

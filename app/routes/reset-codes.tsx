import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/forms";
import { fieldErrors, forgotPasswordSchema } from "~/forms/auth";
import { issueResetCode, parseIdentifier } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { requireActor } from "~/access.server";
import { can } from "~/permissions.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Cấp mã đặt lại mật khẩu – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "issueResetCodes");
  // A leader's codes reach their own group's residents only
  // (access.server's resetCodeTargets); the page says so.
  return { leader: !can(actor.role, "office") };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireActor(request, "issueResetCodes");
  const form = Object.fromEntries(await readFormData(request));
  const values = { identifier: String(form.identifier ?? "") };
  const parsed = forgotPasswordSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error), issued: null };
  const issued = await issueResetCode(actor, parseIdentifier(parsed.data.identifier)!);
  if (!issued) {
    return {
      values,
      errors: {
        identifier: !can(actor.role, "office")
          ? "Không tìm thấy người dân có số/email này trong tổ dân phố của bạn. " +
            "Tổ trưởng chỉ cấp mã cho người dân trong tổ mình đã tự liên kết tài khoản với hộ " +
            "(hoặc được đăng ký tại nhà)."
          : "Không tìm thấy tài khoản có số/email này trong phường của bạn, " +
            "hoặc bạn không được cấp mã cho tài khoản này.",
      },
      issued: null,
    };
  }
  return {
    values: { identifier: "" },
    errors: {},
    issued: { code: issued.code, name: issued.target.displayName, login: issued.target.login },
  };
}

export default function ResetCodes() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const issued = actionData?.issued;
  return (
    <section className="narrow" aria-labelledby="codes-title">
      <h1 id="codes-title">Cấp mã đặt lại mật khẩu</h1>
      <p>
        Dùng khi một người quên mật khẩu và không có email. Chỉ cấp mã khi người đó{" "}
        <strong>đang ở trước mặt bạn</strong> và bạn đã nhận ra họ. Mã dùng được một lần, trong 72 giờ; mã mới
        làm mã cũ hết hiệu lực.
      </p>
      {issued ? (
        <div className="code-card" role="status">
          <p>
            Mã cho <strong>{issued.name}</strong> ({issued.login}):
          </p>
          <p className="code-card__code">{issued.code}</p>
          <p>
            Hãy chép mã ra giấy đưa tận tay. Người đó vào trang “Nhập mã đặt lại mật khẩu” để đặt mật khẩu
            mới. Mã này không hiện lại lần nữa.
          </p>
        </div>
      ) : null}
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Field
          name="identifier"
          label="Số điện thoại hoặc email của người cần mã"
          hint="Ví dụ: 0905 123 456"
          inputMode="email"
          autoComplete="off"
          defaultValue={actionData?.values.identifier}
          error={errors.identifier}
          required
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          Cấp mã
        </button>
      </Form>
    </section>
  );
}

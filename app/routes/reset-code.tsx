import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import {
  Field,
  FormError,
  Honeypot,
  IdentifierField,
  NewPasswordFields,
  usePasswordKey,
} from "~/components/forms";
import { fieldErrors, resetCodeSchema } from "~/forms/auth";
import { parseIdentifier, resetPasswordWithCode } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { blockedMessage, clearAccountFailures, failureMessage, requestKeys } from "~/rate-limit.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Nhập mã đặt lại mật khẩu – HọcSố" }];

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = Object.fromEntries(await readFormData(request));
  const values = { identifier: String(form.identifier ?? ""), code: String(form.code ?? "") };
  if (String(form.website ?? "") !== "") {
    return { values, errors: { form: "Không gửi được biểu mẫu. Hãy tải lại trang và thử lại." } };
  }
  const parsed = resetCodeSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error) };
  const identifier = parseIdentifier(parsed.data.identifier)!;
  const keys = requestKeys("code", identifier.value, request);
  const blocked = await blockedMessage(keys);
  if (blocked) return { values, errors: { form: blocked } };
  const result = await resetPasswordWithCode(identifier, parsed.data.code, parsed.data.password);
  if (!result.ok) {
    const wait = await failureMessage(keys);
    return {
      values,
      errors: {
        form:
          wait ??
          "Mã không đúng, đã dùng hoặc đã hết hạn, hoặc số điện thoại không khớp. " +
            "Hãy kiểm tra lại, hoặc xin mã mới.",
      },
    };
  }
  await clearAccountFailures(keys);
  return redirect("/login?done=password");
}

export default function ResetCode() {
  const actionData = useActionData<typeof action>();
  const passwordKey = usePasswordKey(actionData);
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <section className="narrow" aria-labelledby="code-title">
      <h1 id="code-title">Đặt mật khẩu bằng mã</h1>
      <p>
        Tổ trưởng Tổ Công nghệ số cộng đồng hoặc Phòng Văn hoá – Xã hội đưa bạn một mã gồm 8 chữ và số. Mã
        dùng được một lần.
      </p>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Honeypot />
        <IdentifierField
          label="Số điện thoại hoặc email của tài khoản"
          defaultValue={actionData?.values.identifier}
          error={errors.identifier}
        />
        <Field
          name="code"
          label="Mã đặt lại mật khẩu"
          hint="Ví dụ: K7PM-Q2X9"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          defaultValue={actionData?.values.code}
          error={errors.code}
          required
        />
        <NewPasswordFields resetKey={passwordKey} errors={errors} />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          Đặt mật khẩu mới
        </button>
      </Form>
    </section>
  );
}

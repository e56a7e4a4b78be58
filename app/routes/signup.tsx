import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import {
  CheckboxField,
  Field,
  FormError,
  Honeypot,
  IdentifierField,
  KeyboardSwitch,
  NewPasswordFields,
  usePasswordKey,
} from "~/components/forms";
import { fieldErrors, signupSchema } from "~/forms/auth";
import { parseIdentifier, safeRedirect, signUp, startSession } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { getUser } from "~/permissions.server";
import { claimAttempt, requestKeys, tryAgainMessage } from "~/rate-limit.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Tạo tài khoản – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request))
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/me"));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = Object.fromEntries(await readFormData(request));
  const values = {
    displayName: String(form.displayName ?? ""),
    identifier: String(form.identifier ?? ""),
    consent: form.consent === "on",
  };
  if (String(form.website ?? "") !== "") {
    return { values, errors: { form: "Không gửi được biểu mẫu. Hãy tải lại trang và thử lại." } };
  }
  const parsed = signupSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error) };
  // Creating accounts in bulk from one address is slowed like failed sign-ins: every sign-up
  // counts, the successful ones too.
  const keys = requestKeys("signup", null, request);
  const claim = await claimAttempt(keys);
  if (!claim.ok) return { values, errors: { form: tryAgainMessage(claim.until) } };
  const identifier = parseIdentifier(parsed.data.identifier)!;
  const result = await signUp(
    { displayName: parsed.data.displayName, identifier, password: parsed.data.password },
    request,
  );
  if (!result.ok) {
    return {
      values,
      errors: {
        identifier:
          identifier.kind === "phone"
            ? "Số điện thoại này đã có tài khoản. " +
              "Hãy đăng nhập, hoặc chọn “Quên mật khẩu?” nếu không nhớ mật khẩu."
            : "Email này đã có tài khoản. Hãy đăng nhập, hoặc chọn “Quên mật khẩu?” nếu không nhớ mật khẩu.",
      },
    };
  }
  // Signing up from a lesson or quiz goes straight back to it.
  return startSession(request, result.user, safeRedirect(form.redirectTo, "/me?welcome=1"));
}

export default function Signup() {
  const actionData = useActionData<typeof action>();
  const passwordKey = usePasswordKey(actionData);
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values = actionData?.values;
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const emailKeyboard = searchParams.get("email") === "1";
  return (
    <section className="narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Tạo tài khoản</h1>
      <p>
        Tài khoản giúp bạn lưu bài đã học và nhận giấy chứng nhận. Bạn có thể dùng số điện thoại di động hoặc
        email.
      </p>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Honeypot />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          name="displayName"
          label="Họ và tên"
          hint="Tên này in trên giấy chứng nhận của bạn."
          autoComplete="name"
          defaultValue={values?.displayName}
          error={errors.displayName}
          required
        />
        <IdentifierField
          defaultValue={values?.identifier}
          error={errors.identifier}
          autoComplete="tel"
          emailKeyboard={emailKeyboard}
        />
        <KeyboardSwitch emailKeyboard={emailKeyboard} search={searchParams} />
        <NewPasswordFields
          resetKey={passwordKey}
          errors={errors}
          label="Mật khẩu"
          confirmLabel="Nhập lại mật khẩu"
          extraHint=" Đừng dùng số điện thoại hay ngày sinh."
        />
        <CheckboxField
          name="consent"
          defaultChecked={values?.consent}
          error={errors.consent}
          label={
            <>
              Tôi đồng ý để HọcSố lưu họ tên, số điện thoại hoặc email và kết quả học của tôi, chỉ để theo dõi
              việc học và cấp giấy chứng nhận (theo Luật Bảo vệ dữ liệu cá nhân). Tôi có thể tải về hoặc yêu
              cầu xoá dữ liệu bất cứ lúc nào. <Link to="/privacy">Đọc thêm</Link>
            </>
          }
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "Đang tạo tài khoản…" : "Tạo tài khoản"}
        </button>
      </Form>
      <p>
        Đã có tài khoản?{" "}
        <Link to={redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login"}>
          Đăng nhập
        </Link>
      </p>
    </section>
  );
}

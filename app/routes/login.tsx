import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { Role } from "@db/schema";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import {
  Field,
  FormError,
  Honeypot,
  IdentifierField,
  KeyboardSwitch,
  usePasswordKey,
} from "~/components/forms";
import { fieldErrors, loginSchema } from "~/forms/auth";
import { checkCredentials, parseIdentifier, safeRedirect, startSession } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { can, getUser } from "~/permissions.server";
import { claimAttempt, refundAttempt, requestKeys, tryAgainMessage } from "~/rate-limit.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Đăng nhập – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await readFormData(request);
  const values = { identifier: String(form.get("identifier") ?? "") };
  if (String(form.get("website") ?? "") !== "") {
    return { values, errors: { form: "Không gửi được biểu mẫu. Hãy tải lại trang và thử lại." } };
  }
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error) };
  const identifier = parseIdentifier(parsed.data.identifier)!;
  // Counted per account (whether or not it exists, so the answer never tells) and per address.
  // The attempt is counted before the password is checked, so parallel guesses all count.
  const keys = requestKeys("login", identifier.value, request);
  const claim = await claimAttempt(keys);
  if (!claim.ok) return { values, errors: { form: tryAgainMessage(claim.until) } };
  const user = await checkCredentials(identifier, parsed.data.password);
  if (!user) {
    const wait = claim.waitAfter ? tryAgainMessage(claim.waitAfter) : null;
    return {
      values,
      errors: { form: wait ?? "Số điện thoại/email hoặc mật khẩu không đúng. Hãy kiểm tra và thử lại." },
    };
  }
  await refundAttempt(keys);
  return startSession(request, user, safeRedirect(parsed.data.redirectTo, landingPage(user.role)));
}

/** Where each role starts its day: the office its dashboard, a team member their households. */
function landingPage(role: Role): string {
  if (can(role, "office")) return "/office";
  if (can(role, "fieldWork")) return "/field";
  return "/";
}

/** What the page says when another page sent the person here. */
const notices: Record<string, string> = {
  all: "Bạn đã đăng xuất khỏi mọi thiết bị. Hãy đăng nhập lại trên thiết bị này nếu cần.",
  password: "Đã đổi mật khẩu. Mọi phiên đăng nhập cũ đã kết thúc; hãy đăng nhập bằng mật khẩu mới.",
  role: "Vai trò của bạn vừa thay đổi. Hãy đăng nhập lại.",
};

export default function Login() {
  const actionData = useActionData<typeof action>();
  const passwordKey = usePasswordKey(actionData);
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const emailKeyboard = searchParams.get("email") === "1";
  const notice = notices[searchParams.get("signedOut") ?? searchParams.get("done") ?? ""];
  return (
    <section className="narrow" aria-labelledby="login-title">
      <h1 id="login-title">Đăng nhập</h1>
      {notice ? (
        <p className="form-success" role="status">
          {notice}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Honeypot />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <IdentifierField
          defaultValue={actionData?.values.identifier}
          error={errors.identifier}
          autoComplete="username"
          emailKeyboard={emailKeyboard}
        />
        <KeyboardSwitch emailKeyboard={emailKeyboard} search={searchParams} />
        <Field
          key={`${passwordKey}-password`}
          name="password"
          label="Mật khẩu"
          type="password"
          autoComplete="current-password"
          error={errors.password}
          required
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "Đang đăng nhập…" : "Đăng nhập"}
        </button>
      </Form>
      <p>
        Chưa có tài khoản?{" "}
        <Link
          to={
            searchParams.get("redirectTo")
              ? `/signup?redirectTo=${encodeURIComponent(searchParams.get("redirectTo")!)}`
              : "/signup"
          }
        >
          Tạo tài khoản
        </Link>
      </p>
      <p>
        <Link to="/forgot-password">Quên mật khẩu?</Link>
      </p>
    </section>
  );
}

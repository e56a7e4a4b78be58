import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError, usePasswordKey, NewPasswordFields } from "~/components/forms";
import { changePasswordSchema, fieldErrors } from "~/forms/auth";
import { changePassword, startSession } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { requireUser } from "~/permissions.server";
import { blockedMessage, clearAccountFailures, failureMessage, requestKeys } from "~/rate-limit.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Đổi mật khẩu – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = Object.fromEntries(await readFormData(request));
  const parsed = changePasswordSchema.safeParse({ ...form, identifier: user.phone ?? "" });
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  // Guessing the current password from a stolen session is held off like sign-in guessing.
  const keys = requestKeys("login", user.email ?? user.phone ?? `user:${user.id}`, request);
  const blocked = await blockedMessage(keys);
  if (blocked) return { errors: { form: blocked } };
  const result = await changePassword(user.id, parsed.data.currentPassword, parsed.data.password);
  if (!result.ok) {
    const wait = await failureMessage(keys);
    return { errors: { currentPassword: wait ?? "Mật khẩu hiện tại không đúng." } };
  }
  await clearAccountFailures(keys);
  // Every session ended with the change; this device gets a fresh one.
  return startSession(request, user, "/me?done=password");
}

export default function ChangePassword() {
  const actionData = useActionData<typeof action>();
  const passwordKey = usePasswordKey(actionData);
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <section className="narrow" aria-labelledby="password-title">
      <h1 id="password-title">Đổi mật khẩu</h1>
      <p>Khi đổi mật khẩu, mọi thiết bị khác đang đăng nhập sẽ bị đăng xuất.</p>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Field
          key={`${passwordKey}-currentPassword`}
          name="currentPassword"
          label="Mật khẩu hiện tại"
          type="password"
          autoComplete="current-password"
          error={errors.currentPassword}
          required
        />
        <NewPasswordFields resetKey={passwordKey} errors={errors} />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          Đổi mật khẩu
        </button>
      </Form>
    </section>
  );
}

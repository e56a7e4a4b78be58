import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { CheckboxField, Field, FormError, usePasswordKey, NewPasswordFields } from "~/components/forms";
import { acceptInvitationSchema, fieldErrors } from "~/forms/auth";
import { acceptInvitation, getInvitation } from "~/accounts.server";
import { startSession } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Nhận lời mời – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const invitation = token ? await getInvitation(token) : null;
  return { token, invitation };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = Object.fromEntries(await readFormData(request));
  const values = { displayName: String(form.displayName ?? ""), consent: form.consent === "on" };
  const parsed = acceptInvitationSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error) };
  const user = await acceptInvitation({
    secret: parsed.data.token,
    displayName: parsed.data.displayName,
    password: parsed.data.password,
  });
  if (!user)
    return {
      values,
      errors: {
        form: "Lời mời đã được dùng hoặc đã hết hạn. Hãy nhờ Phòng Văn hoá – Xã hội gửi lời mời mới.",
      },
    };
  return startSession(request, user, "/me?welcome=1");
}

export default function AcceptInvite() {
  const { token, invitation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const passwordKey = usePasswordKey(actionData);
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  if (!invitation) {
    return (
      <section className="narrow" aria-labelledby="invite-title">
        <h1 id="invite-title">Lời mời không còn dùng được</h1>
        <p>Lời mời chỉ dùng được một lần, trong 7 ngày. Hãy nhờ Phòng Văn hoá – Xã hội gửi lời mời mới.</p>
        <p>
          <Link to="/login">Đăng nhập</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow" aria-labelledby="invite-title">
      <h1 id="invite-title">Tham gia Tổ Công nghệ số cộng đồng</h1>
      <p>
        Tài khoản của bạn: <strong>{invitation.email}</strong>. Hãy kiểm tra họ tên và đặt mật khẩu.
      </p>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <input type="hidden" name="token" value={token} />
        <Field
          name="displayName"
          label="Họ và tên"
          autoComplete="name"
          defaultValue={actionData?.values.displayName ?? invitation.displayName}
          error={errors.displayName}
          required
        />
        <NewPasswordFields
          resetKey={passwordKey}
          errors={errors}
          label="Mật khẩu"
          confirmLabel="Nhập lại mật khẩu"
        />
        <CheckboxField
          name="consent"
          defaultChecked={actionData?.values.consent}
          error={errors.consent}
          label={
            "Tôi đồng ý để HọcSố lưu họ tên, email, tổ tôi tham gia và việc tôi làm trong Tổ, " +
            "để phường theo dõi hoạt động của Tổ."
          }
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          Nhận lời mời
        </button>
      </Form>
    </section>
  );
}

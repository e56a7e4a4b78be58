import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/forms";
import { fieldErrors, profileSchema } from "~/forms/auth";
import { getAccountSummary } from "~/accounts.server";
import { updateOwnProfile } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { requireUser } from "~/permissions.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Sửa thông tin của tôi – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const account = await getAccountSummary(user.id);
  if (!account) throw new Response("Không tìm thấy tài khoản.", { status: 404 });
  return { displayName: account.displayName, email: account.email ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = Object.fromEntries(await readFormData(request));
  const values = { displayName: String(form.displayName ?? ""), email: String(form.email ?? "") };
  const parsed = profileSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error) };
  const result = await updateOwnProfile(
    user.id,
    { displayName: parsed.data.displayName, email: parsed.data.email || null },
    request,
  );
  if (!result.ok) {
    return {
      values,
      errors: {
        email:
          result.reason === "email_taken"
            ? "Email này đã dùng cho một tài khoản khác."
            : "Bạn đăng nhập bằng email này nên không bỏ trống được.",
      },
    };
  }
  return redirect(result.emailChanged ? "/me?done=profile-email" : "/me?done=profile");
}

export default function Profile() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values = actionData?.values ?? loaderData;
  return (
    <section className="narrow" aria-labelledby="profile-title">
      <h1 id="profile-title">Sửa thông tin của tôi</h1>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Field
          name="displayName"
          label="Họ và tên"
          hint="Tên này in trên giấy chứng nhận của bạn."
          autoComplete="name"
          defaultValue={values.displayName}
          error={errors.displayName}
          required
        />
        <Field
          name="email"
          label="Email (không bắt buộc)"
          hint="Có email, bạn tự đặt lại được mật khẩu khi quên. Chúng tôi sẽ gửi thư để xác nhận."
          type="email"
          autoComplete="email"
          defaultValue={values.email}
          error={errors.email}
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          Lưu
        </button>
      </Form>
    </section>
  );
}

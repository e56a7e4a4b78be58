import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/forms";
import { fieldErrors, inviteMemberSchema } from "~/forms/auth";
import { addTeamMember, listTeamsFor } from "~/accounts.server";
import { parseIdentifier } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { requireActor } from "~/access.server";
import { readFormData } from "~/request.server";
import { teamRoleLabels, teamRoles } from "~/vocabulary";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Thêm thành viên Tổ CNSCĐ – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  return { teams: await listTeamsFor(actor) };
}

const failures: Record<string, { field: string; message: string }> = {
  taken: {
    field: "identifier",
    message:
      "Số điện thoại hoặc email này đã có tài khoản. " +
      "Nếu người đó cần vào Tổ, quản trị viên đổi vai trò cho họ.",
  },
  team: { field: "teamId", message: "Hãy chọn một tổ của phường bạn." },
  needs_email: {
    field: "identifier",
    message: "Gửi lời mời cần địa chỉ email. Với số điện thoại, hãy chọn “Tạo tài khoản ngay”.",
  },
};

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireActor(request, "office");
  const form = Object.fromEntries(await readFormData(request));
  const values = {
    displayName: String(form.displayName ?? ""),
    identifier: String(form.identifier ?? ""),
    teamId: String(form.teamId ?? ""),
    teamRole: String(form.teamRole ?? "member"),
    affiliation: String(form.affiliation ?? ""),
  };
  const parsed = inviteMemberSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error), done: null };
  const { intent, identifier, ...rest } = parsed.data;
  const result = await addTeamMember(
    actor,
    { ...rest, identifier: parseIdentifier(identifier)! },
    intent,
    request,
  );
  if (!result.ok) {
    const failure = failures[result.reason]!;
    return { values, errors: { [failure.field]: failure.message }, done: null };
  }
  const empty = {
    displayName: "",
    identifier: "",
    teamId: values.teamId,
    teamRole: "member",
    affiliation: "",
  };
  return result.mode === "invited"
    ? { values: empty, errors: {}, done: { name: rest.displayName, code: null } }
    : { values: empty, errors: {}, done: { name: rest.displayName, code: result.code } };
}

export default function OfficeMembers() {
  const { teams } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values = actionData?.values;
  const done = actionData?.done;
  return (
    <section className="narrow" aria-labelledby="members-title">
      <h1 id="members-title">Thêm thành viên Tổ Công nghệ số cộng đồng</h1>
      {done && !done.code ? (
        <p className="form-success" role="status">
          Đã gửi lời mời tới {done.name}. Lời mời có hiệu lực 7 ngày.
        </p>
      ) : null}
      {done?.code ? (
        <div className="code-card" role="status">
          <p>
            Đã tạo tài khoản cho <strong>{done.name}</strong>. Mã để người đó tự đặt mật khẩu (trang “Nhập mã
            đặt lại mật khẩu”):
          </p>
          <p className="code-card__code">{done.code}</p>
          <p>Hãy đưa mã tận tay. Mã dùng được một lần, trong 72 giờ, và không hiện lại lần nữa.</p>
        </div>
      ) : null}
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Field
          name="displayName"
          label="Họ và tên"
          autoComplete="off"
          defaultValue={values?.displayName}
          error={errors.displayName}
          required
        />
        <Field
          name="identifier"
          label="Email hoặc số điện thoại"
          hint="Gửi lời mời cần email; tạo tài khoản ngay dùng được cả số điện thoại."
          inputMode="email"
          autoComplete="off"
          defaultValue={values?.identifier}
          error={errors.identifier}
          required
        />
        <div className={`field${errors.teamId ? " field--error" : ""}`}>
          <label htmlFor="teamId">Tổ</label>
          <select
            id="teamId"
            name="teamId"
            defaultValue={values?.teamId ?? ""}
            aria-invalid={errors.teamId ? true : undefined}
            aria-describedby={errors.teamId ? "teamId-error" : undefined}
          >
            <option value="">Chọn tổ…</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.groupName})
              </option>
            ))}
          </select>
          {errors.teamId ? (
            <p id="teamId-error" className="field__error" role="alert">
              {errors.teamId}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="teamRole">Vai trò trong tổ</label>
          <select id="teamRole" name="teamRole" defaultValue={values?.teamRole ?? "member"}>
            {teamRoles.map((r) => (
              <option key={r} value={r}>
                {teamRoleLabels[r]}
              </option>
            ))}
          </select>
        </div>
        <Field
          name="affiliation"
          label="Đơn vị (không bắt buộc)"
          hint="Ví dụ: Đoàn Thanh niên, Giáo viên, Hội Liên hiệp Phụ nữ"
          autoComplete="off"
          defaultValue={values?.affiliation}
          error={errors.affiliation}
        />
        <p className="actions">
          <button
            type="submit"
            name="intent"
            value="invite"
            className="button button--primary"
            disabled={busy}
          >
            Gửi lời mời qua email
          </button>
          <button type="submit" name="intent" value="create" className="button" disabled={busy}>
            Tạo tài khoản ngay
          </button>
        </p>
      </Form>
    </section>
  );
}

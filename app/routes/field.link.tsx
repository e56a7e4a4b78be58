import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/forms";
import { fieldErrors, linkAccountSchema } from "~/forms/auth";
import { linkAccountInField, listHouseholdsInScope, listResidentsForLinking } from "~/accounts.server";
import { parseIdentifier } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { requireFieldWorker } from "~/access.server";

export const meta: MetaFunction = () => [{ title: "Liên kết tài khoản người dân – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireFieldWorker(request);
  const householdId = Number(new URL(request.url).searchParams.get("household") ?? "");
  const households = await listHouseholdsInScope(scope);
  const chosen = households.find((h) => h.id === householdId) ?? null;
  return { households, chosen, residents: chosen ? await listResidentsForLinking(scope, chosen.id) : [] };
}

const linkErrors: Record<string, { field: string; message: string }> = {
  no_account: { field: "identifier", message: "Không có tài khoản nào dùng số/email này. Người dân cần tạo tài khoản trước." },
  not_resident: { field: "identifier", message: "Tài khoản này không phải tài khoản người dân." },
  already_linked: { field: "identifier", message: "Tài khoản này đã liên kết với một người khác trong danh sách." },
  resident_taken: { field: "residentId", message: "Người này đã có tài khoản riêng." },
  not_found: { field: "residentId", message: "Hãy chọn một người trong hộ thuộc tổ dân phố của bạn." },
};

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const { user, scope } = await requireFieldWorker(request);
  const form = Object.fromEntries(await request.formData());
  const values = { identifier: String(form.identifier ?? ""), residentId: String(form.residentId ?? "") };
  const parsed = linkAccountSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error), done: null };
  const result = await linkAccountInField(user, scope, { residentId: parsed.data.residentId, identifier: parseIdentifier(parsed.data.identifier)! });
  if (!result.ok) {
    const failure = linkErrors[result.reason]!;
    return { values, errors: { [failure.field]: failure.message }, done: null };
  }
  return { values: { identifier: "", residentId: "" }, errors: {}, done: { merged: result.merged } };
}

export default function LinkInField() {
  const { households, chosen, residents } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <section className="narrow" aria-labelledby="field-link-title">
      <h1 id="field-link-title">Liên kết tài khoản với danh sách hộ</h1>
      {actionData?.done ? (
        <p className="form-success" role="status">
          Đã liên kết tài khoản.{actionData.done.merged ? " Bài đã học cùng Tổ trước đây đã được chuyển vào tài khoản này." : ""}
        </p>
      ) : null}
      <Form method="get">
        <div className="field">
          <label htmlFor="household">Hộ gia đình</label>
          <select id="household" name="household" defaultValue={chosen?.id ?? ""}>
            <option value="">Chọn hộ…</option>
            {households.map((h) => (
              <option key={h.id} value={h.id}>
                {h.code} – {h.address}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Xem người trong hộ
        </button>
      </Form>
      {chosen ? (
        <Form method="post" noValidate>
          <FormError message={errors.form} />
          <fieldset className={`field${errors.residentId ? " field--error" : ""}`}>
            <legend>Người dân</legend>
            {errors.residentId ? (
              <p className="field__error" role="alert">
                {errors.residentId}
              </p>
            ) : null}
            {residents.map((r) => (
              <div className="choice" key={r.id}>
                <input type="radio" id={`r-${r.id}`} name="residentId" value={r.id} disabled={Boolean(r.accountId) && !r.managed} />
                <label htmlFor={`r-${r.id}`}>
                  {r.fullName}, sinh năm {r.birthYear}
                  {r.accountId ? (r.managed ? " (đang học cùng Tổ)" : " (đã có tài khoản)") : ""}
                </label>
              </div>
            ))}
          </fieldset>
          <Field
            name="identifier"
            label="Số điện thoại hoặc email người dân dùng để đăng nhập"
            hint="Ví dụ: 0905 123 456"
            inputMode="email"
            autoComplete="off"
            defaultValue={actionData?.values.identifier}
            error={errors.identifier}
            required
          />
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            Liên kết
          </button>
        </Form>
      ) : null}
    </section>
  );
}

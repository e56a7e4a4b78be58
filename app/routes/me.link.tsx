import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/forms";
import { fieldErrors, householdCodeSchema } from "~/forms/auth";
import { householdByLinkCode, linkOwnAccount } from "~/accounts.server";
import { assertSameOrigin } from "~/csrf.server";
import { can, requireUser } from "~/permissions.server";
import { blockedMessage, clearAccountFailures, failureMessage, requestKeys } from "~/rate-limit.server";
import { idFrom, readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Liên kết với hộ gia đình – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user.role, "linkToRoster") || user.residentId !== null) throw redirect("/me");
  return null;
}

const linkErrors: Record<string, string> = {
  not_found: "Không tìm thấy người này trong hộ. Hãy nhập lại mã hộ.",
  resident_taken:
    "Người này đã có tài khoản riêng. Nếu đó là bạn, hãy đăng nhập bằng tài khoản đó, hoặc hỏi Tổ CNSCĐ.",
  already_linked: "Tài khoản của bạn đã liên kết với một người trong danh sách.",
  not_resident: "Chỉ tài khoản người dân mới liên kết với hộ gia đình.",
  no_account: "Không tìm thấy tài khoản.",
};

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = Object.fromEntries(await readFormData(request));
  const parsed = householdCodeSchema.safeParse(form);
  const values = { code: String(form.code ?? "") };
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error), household: null };
  const keys = requestKeys("household-code", `user:${user.id}`, request);
  const blocked = await blockedMessage(keys);
  if (blocked) return { values, errors: { form: blocked }, household: null };
  const household = await householdByLinkCode(parsed.data.code);
  if (!household) {
    const wait = await failureMessage(keys);
    return {
      values,
      errors: { code: wait ?? "Không tìm thấy hộ có mã này. Hãy kiểm tra lại từng chữ." },
      household: null,
    };
  }
  if (form.intent === "link") {
    const residentId = idFrom(form.residentId) ?? Number.NaN;
    if (!Number.isInteger(residentId) || residentId <= 0) {
      return { values, errors: { residentId: "Hãy chọn tên của bạn trong danh sách." }, household };
    }
    const result = await linkOwnAccount(user.id, { code: parsed.data.code, residentId });
    if (!result.ok) return { values, errors: { form: linkErrors[result.reason] }, household };
    await clearAccountFailures(keys);
    return redirect("/me?done=linked");
  }
  return { values, errors: {}, household };
}

export default function LinkHousehold() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const household = actionData?.household;
  return (
    <section className="narrow" aria-labelledby="link-title">
      <h1 id="link-title">Liên kết với hộ gia đình</h1>
      <p>
        Mã hộ có trên giấy Tổ Công nghệ số cộng đồng đưa cho gia đình bạn. Khi liên kết, những gì thành viên
        Tổ đã ghi cho bạn (kỹ năng, bài đã học cùng Tổ) sẽ về chung một tài khoản.
      </p>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <Field
          name="code"
          label="Mã hộ gia đình"
          hint="Ví dụ: K7PMQ2X9"
          autoCapitalize="characters"
          autoComplete="off"
          defaultValue={actionData?.values.code}
          error={errors.code}
          required
        />
        {household ? (
          <fieldset className="field">
            <legend>Bạn là ai trong hộ ở {household.address}?</legend>
            {errors.residentId ? (
              <p className="field__error" role="alert">
                {errors.residentId}
              </p>
            ) : null}
            {household.residents.map((r) => (
              <div className="choice" key={r.id}>
                <input
                  type="radio"
                  id={`resident-${r.id}`}
                  name="residentId"
                  value={r.id}
                  disabled={r.taken}
                />
                <label htmlFor={`resident-${r.id}`}>
                  {r.fullName}, sinh năm {r.birthYear}
                  {r.taken ? " (đã có tài khoản)" : ""}
                </label>
              </div>
            ))}
          </fieldset>
        ) : null}
        <button
          type="submit"
          name="intent"
          value={household ? "link" : "find"}
          className="button button--primary button--block"
          disabled={busy}
        >
          {household ? "Liên kết tài khoản" : "Tìm hộ gia đình"}
        </button>
      </Form>
    </section>
  );
}

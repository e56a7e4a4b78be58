import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { CheckboxField, Field, FormError } from "~/components/forms";
import { fieldErrors, registerResidentSchema } from "~/forms/auth";
import { listHouseholdsInScope, registerResidentInField } from "~/accounts.server";
import { assertSameOrigin } from "~/csrf.server";
import { requireFieldWorker } from "~/access.server";
import { normalizeVietnamesePhone } from "~/phone";
import { readFormData } from "~/request.server";
import { residentFlags } from "~/vocabulary";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Ghi tên người dân – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireFieldWorker(request);
  return { households: await listHouseholdsInScope(actor) };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireFieldWorker(request);
  const form = Object.fromEntries(await readFormData(request));
  const text = (k: string) => String(form[k] ?? "");
  const values = {
    householdId: text("householdId"),
    fullName: text("fullName"),
    birthYear: text("birthYear"),
    phone: text("phone"),
    account: text("account") || "none",
    isHighSchoolStudent: form.isHighSchoolStudent === "on",
    isEnterpriseWorker: form.isEnterpriseWorker === "on",
    isFreelanceWorker: form.isFreelanceWorker === "on",
    isSmallTrader: form.isSmallTrader === "on",
  };
  const parsed = registerResidentSchema.safeParse(form);
  if (!parsed.success) return { values, errors: fieldErrors(parsed.error), done: null };
  const d = parsed.data;
  const result = await registerResidentInField(actor, {
    householdId: d.householdId,
    fullName: d.fullName,
    birthYear: d.birthYear,
    phone: d.phone ? normalizeVietnamesePhone(d.phone) : null,
    isHighSchoolStudent: d.isHighSchoolStudent === "on",
    isEnterpriseWorker: d.isEnterpriseWorker === "on",
    isFreelanceWorker: d.isFreelanceWorker === "on",
    isSmallTrader: d.isSmallTrader === "on",
    account: d.account,
  });
  if (!result.ok) {
    const errors: Record<string, string> = {
      household: { householdId: "Hãy chọn một hộ trong tổ dân phố của bạn." },
      phone_needed: { phone: "Để người dân tự đăng nhập, hãy nhập số di động của họ." },
      phone_taken: {
        phone:
          "Số này đã có tài khoản. Hãy dùng trang “Liên kết tài khoản” để nối tài khoản đó với người dân.",
      },
    }[result.reason];
    return { values, errors, done: null };
  }
  return {
    values: { ...values, fullName: "", birthYear: "", phone: "", account: "none" },
    errors: {},
    done: { name: d.fullName, code: result.code, account: d.account },
  };
}

export default function RegisterResident() {
  const { households } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values = actionData?.values;
  const done = actionData?.done;
  return (
    <section className="narrow" aria-labelledby="register-title">
      <h1 id="register-title">Ghi tên người dân vào danh sách</h1>
      {done ? (
        <div className="form-success" role="status">
          <p>Đã ghi tên {done.name} vào danh sách hộ.</p>
          {done.account === "managed" ? (
            <p>Đã tạo tài khoản học cùng Tổ: bạn có thể mở bài học thay cho người này khi ngồi bên họ.</p>
          ) : null}
          {done.code ? (
            <p>
              Mã để người dân tự đặt mật khẩu: <strong className="code-card__code">{done.code}</strong>. Hãy
              chép ra giấy đưa tận tay (dùng một lần, trong 72 giờ).
            </p>
          ) : null}
        </div>
      ) : null}
      <p>Chỉ ghi khi người dân đã đồng ý. Không ghi số CCCD, ảnh giấy tờ hay thông tin sức khoẻ.</p>
      <Form method="post" noValidate>
        <FormError message={errors.form} />
        <div className={`field${errors.householdId ? " field--error" : ""}`}>
          <label htmlFor="householdId">Hộ gia đình</label>
          <select
            id="householdId"
            name="householdId"
            defaultValue={values?.householdId ?? params.get("household") ?? ""}
            aria-invalid={errors.householdId ? true : undefined}
            aria-describedby={errors.householdId ? "householdId-error" : undefined}
          >
            <option value="">Chọn hộ…</option>
            {households.map((h) => (
              <option key={h.id} value={h.id}>
                {h.code} – {h.address}
              </option>
            ))}
          </select>
          {errors.householdId ? (
            <p id="householdId-error" className="field__error" role="alert">
              {errors.householdId}
            </p>
          ) : null}
        </div>
        <Field
          name="fullName"
          label="Họ và tên"
          autoComplete="off"
          defaultValue={values?.fullName}
          error={errors.fullName}
          required
        />
        <Field
          name="birthYear"
          label="Năm sinh"
          inputMode="numeric"
          hint="Ví dụ: 1958"
          autoComplete="off"
          defaultValue={values?.birthYear}
          error={errors.birthYear}
          required
        />
        <Field
          name="phone"
          label="Số di động (không bắt buộc)"
          inputMode="tel"
          hint="Ví dụ: 0905 123 456"
          autoComplete="off"
          defaultValue={values?.phone}
          error={errors.phone}
        />
        <fieldset className="field">
          <legend>Người này là (nếu có)</legend>
          {residentFlags.map(([name, label]) => (
            <CheckboxField key={name} name={name} label={label} defaultChecked={values?.[name]} />
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>Tài khoản học</legend>
          {(
            [
              ["none", "Chưa tạo tài khoản"],
              [
                "managed",
                "Học cùng Tổ: tạo tài khoản không cần mật khẩu, người dân học khi có thành viên Tổ ngồi bên",
              ],
              ["login", "Tự đăng nhập bằng số di động: bạn nhận một mã để người dân tự đặt mật khẩu"],
            ] as const
          ).map(([value, label]) => (
            <div className="choice" key={value}>
              <input
                type="radio"
                id={`account-${value}`}
                name="account"
                value={value}
                defaultChecked={(values?.account ?? "none") === value}
              />
              <label htmlFor={`account-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        <CheckboxField
          name="consent"
          error={errors.consent}
          label={
            "Người dân đã đồng ý cho Tổ CNSCĐ lưu họ tên, năm sinh, số điện thoại " +
            "và các kỹ năng số của mình để theo dõi việc học."
          }
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          Ghi vào danh sách
        </button>
      </Form>
      <p>
        <Link to="/field/link">Nối tài khoản người dân đã có với danh sách hộ</Link>
      </p>
    </section>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError } from "~/components/forms";
import { ResidentFields } from "~/components/resident-fields";
import { assertSameOrigin } from "~/csrf.server";
import { addResident, currentYear, FieldError, getHouseholdForFieldWorker, recordConsent, recordSkills, recordVisit } from "~/field.server";
import { formatDate, formatDateTime } from "~/format";
import { fieldErrors, type FieldErrors } from "~/forms/auth";
import { povertyLabels, skillKeys, skillLabels, skillMethodLabels, skillMethods, topicLabels, visitTopics, type SkillKey } from "~/field-vocabulary";
import { formValues, residentSchema, skillsSchema, visitSchema } from "~/forms/field";
import { filesFrom, readForm } from "~/multipart.server";
import { requireId } from "~/request.server";
import { requireFieldWorker } from "~/access.server";
import { formatVietnamesePhone } from "~/phone";
import { PHOTO_MAX_BYTES, PHOTOS_PER_VISIT } from "~/uploads.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Hộ ${data.household.code} – HọcSố` : "Hộ gia đình – HọcSố" }];

function householdIdFrom(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response("Không tìm thấy hộ", { status: 404 });
  return Number(param);
}

function todayInVietnam(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireFieldWorker(request);
  const householdId = householdIdFrom(params.id);
  const household = await getHouseholdForFieldWorker({ scope, householdId });
  if (!household) throw new Response("Không tìm thấy hộ", { status: 404 });
  return { household, today: todayInVietnam(), year: currentYear() };
}

type ActionData = { intent: string; errors: FieldErrors; values: Record<string, unknown>; residentId?: number };

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const { user, scope } = await requireFieldWorker(request);
  const householdId = householdIdFrom(params.id);
  const form = await readForm(request, { maxFileBytes: PHOTO_MAX_BYTES, maxFiles: PHOTOS_PER_VISIT });
  const intent = String(form.get("intent") ?? "");
  const here = `/field/households/${householdId}`;

  if (intent === "visit") {
    const values = formValues(form, ["topics"]);
    delete values.photos;
    const parsed = visitSchema.safeParse(values);
    if (!parsed.success) return { intent, errors: fieldErrors(parsed.error), values } satisfies ActionData;
    try {
      const visitId = await recordVisit({
        actorUserId: user.id,
        scope,
        householdId,
        ...parsed.data,
        photos: await filesFrom(form, "photos"),
      });
      if (visitId === null) throw new Response("Không tìm thấy hộ", { status: 404 });
      return redirect(`${here}?saved=visit#lan-den`);
    } catch (error) {
      if (error instanceof FieldError) return { intent, errors: { [error.field ?? "form"]: error.message }, values } satisfies ActionData;
      throw error;
    }
  }

  if (intent === "skills") {
    const values = formValues(form, ["skills"]);
    const parsed = skillsSchema.safeParse(values);
    const residentId = Number(values.residentId) || undefined;
    if (!parsed.success) return { intent, errors: fieldErrors(parsed.error), values, residentId } satisfies ActionData;
    const result = await recordSkills({ actorUserId: user.id, scope, ...parsed.data });
    if (!result) throw new Response("Không tìm thấy người này", { status: 404 });
    return redirect(`${here}?saved=skills#nguoi-${parsed.data.residentId}`);
  }

  if (intent === "consent") {
    const residentId = requireId(form.get("residentId"), "Không tìm thấy người này");
    if (!(await recordConsent({ actorUserId: user.id, scope, residentId }))) throw new Response("Không tìm thấy người này", { status: 404 });
    return redirect(`${here}?saved=consent#nguoi-${residentId}`);
  }

  if (intent === "resident") {
    const values = formValues(form);
    const parsed = residentSchema.safeParse(values);
    if (!parsed.success) return { intent, errors: fieldErrors(parsed.error), values } satisfies ActionData;
    const { consent: _consent, ...resident } = parsed.data;
    const id = await addResident({ actorUserId: user.id, scope, householdId, resident });
    if (id === null) throw new Response("Không tìm thấy hộ", { status: 404 });
    return redirect(`${here}?saved=resident#nguoi-${id}`);
  }
  throw new Response("Yêu cầu không hợp lệ", { status: 400 });
}

const savedMessages: Record<string, string> = {
  visit: "Đã ghi nhận lần đến nhà.",
  skills: "Đã lưu kỹ năng.",
  resident: "Đã thêm người vào hộ.",
  household: "Đã thêm hộ. Bây giờ hãy thêm người trong hộ.",
  consent: "Đã ghi nhận sự đồng ý.",
  corrected: "Đã lưu thông tin đã sửa.",
  unchanged: "Thông tin không thay đổi nên không có gì để lưu.",
};

export default function HouseholdPage() {
  const { household, today, year } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const saved = searchParams.get("saved");
  const visitErrors = actionData?.intent === "visit" ? actionData.errors : {};
  const visitValues = actionData?.intent === "visit" ? actionData.values : {};
  const residentErrors = actionData?.intent === "resident" ? actionData.errors : {};
  const residentValues = (actionData?.intent === "resident" ? actionData.values : {}) as Record<string, string | undefined>;
  const chosenTopics = (visitValues.topics as string[] | undefined) ?? [];

  return (
    <article aria-labelledby="household-title" className="household-page">
      <p>
        <Link to="/field">← Hộ của tôi</Link>
      </p>
      <h1 id="household-title">{household.address}</h1>
      {saved && savedMessages[saved] ? (
        <p className="form-success" role="status">
          {savedMessages[saved]}
        </p>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Mã hộ</dt>
          <dd>{household.code}</dd>
        </div>
        <div>
          <dt>Tổ dân phố</dt>
          <dd>{household.groupName}</dd>
        </div>
        <div>
          <dt>Người phụ trách</dt>
          <dd>{household.assigneeName ?? "Chưa giao"}</dd>
        </div>
        {household.povertyStatus !== "none" ? (
          <div>
            <dt>Hoàn cảnh</dt>
            <dd>{povertyLabels[household.povertyStatus]}</dd>
          </div>
        ) : null}
        <div>
          <dt>Mã liên kết cho gia đình</dt>
          <dd>
            <span className="code">{household.linkCode}</span>
            <span className="field__hint"> Người trong hộ nhập mã này khi tạo tài khoản để gắn với hộ.</span>
          </dd>
        </div>
      </dl>

      <h2 id="nhan-khau">Người trong hộ ({household.residents.length})</h2>
      {household.residents.length === 0 ? <p>Hộ chưa có ai trong danh sách. Hãy thêm người ở cuối trang.</p> : null}
      {household.residents.map((person) => {
        const errors = actionData?.intent === "skills" && actionData.residentId === person.id ? actionData.errors : {};
        const age = year - person.birthYear;
        const stateKey = skillKeys.map((k) => (person.skills[k] ? `${k}:${person.skills[k]!.method}` : "")).join("|");
        return (
          <section key={person.id} id={`nguoi-${person.id}`} className="resident-card" aria-labelledby={`ten-${person.id}`}>
            <h3 id={`ten-${person.id}`}>{person.fullName}</h3>
            <p className="household-card__meta">
              Sinh năm {person.birthYear} ({age} tuổi)
              {person.phone ? ` · ${formatVietnamesePhone(person.phone)}` : ""}
              {person.isHighSchoolStudent ? " · Học sinh THPT" : ""}
              {person.isEnterpriseWorker ? " · Lao động doanh nghiệp/HTX" : ""}
              {person.isFreelanceWorker ? " · Lao động tự do" : ""}
              {person.isSmallTrader ? " · Tiểu thương" : ""}
            </p>
            <p>
              <Link to={`/field/households/${household.id}/residents/${person.id}`} className="button">
                Sửa thông tin của {person.fullName}
              </Link>
            </p>
            {person.hasConsent ? null : (
              <Form method="post" className="consent-form" preventScrollReset>
                <input type="hidden" name="intent" value="consent" />
                <input type="hidden" name="residentId" value={person.id} />
                <p className="callout callout--warning">
                  Chưa ghi nhận {person.fullName} đồng ý cho xử lý dữ liệu cá nhân. Hãy đọc cho họ nghe mục đích (hướng dẫn kỹ năng số) và
                  hỏi ý kiến.
                </p>
                <button type="submit" className="button">
                  {person.fullName} đã đồng ý
                </button>
              </Form>
            )}
            <Form method="post" key={stateKey} className="skills-form" preventScrollReset>
              <input type="hidden" name="intent" value="skills" />
              <input type="hidden" name="residentId" value={person.id} />
              <FormError message={errors.form ?? errors.skills} />
              <fieldset className="field">
                <legend>Kỹ năng đã làm được</legend>
                {skillKeys.map((skill) => {
                  const current = person.skills[skill];
                  return (
                    <label key={skill} className="choice">
                      <input type="checkbox" name="skills" value={skill} defaultChecked={Boolean(current)} />
                      <span>
                        {skillLabels[skill]}
                        {current ? (
                          <span className="field__hint">
                            {" "}
                            ({skillMethodLabels[current.method].toLowerCase()}, {formatDate(current.recordedAt)})
                          </span>
                        ) : null}
                      </span>
                    </label>
                  );
                })}
              </fieldset>
              <fieldset className={`field${errors.method ? " field--error" : ""}`}>
                <legend>Ghi nhận thế nào?</legend>
                {skillMethods.map((m) => (
                  <label key={m} className="choice">
                    <input type="radio" name="method" value={m} defaultChecked={m === "assisted"} /> {skillMethodLabels[m]}
                  </label>
                ))}
                {errors.method ? (
                  <p className="field__error" role="alert">
                    {errors.method}
                  </p>
                ) : null}
              </fieldset>
              <button type="submit" className="button" disabled={busy === "skills"}>
                Lưu kỹ năng của {person.fullName}
              </button>
            </Form>
            {person.history.length > 0 ? (
              <details className="history">
                <summary>Lịch sử ghi nhận ({person.history.length})</summary>
                <ul className="plain-list">
                  {person.history.map((h) => (
                    <li key={h.id}>
                      {formatDateTime(h.recordedAt)}: {h.value ? "" : "Bỏ đánh dấu "}
                      {skillLabels[h.skill as SkillKey]} – {skillMethodLabels[h.method]}
                      {h.recordedByName ? ` – ${h.recordedByName}` : ""}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </section>
        );
      })}

      <h2 id="ghi-nhan">Ghi nhận lần đến nhà</h2>
      <Form method="post" encType="multipart/form-data" noValidate className="visit-form">
        <input type="hidden" name="intent" value="visit" />
        <FormError message={visitErrors.form} />
        <Field
          name="visitedOn"
          label="Ngày đến"
          type="date"
          max={today}
          defaultValue={(visitValues.visitedOn as string | undefined) ?? today}
          error={visitErrors.visitedOn}
          required
        />
        <fieldset className={`field${visitErrors.topics ? " field--error" : ""}`} aria-describedby={visitErrors.topics ? "topics-error" : undefined}>
          <legend>Đã hướng dẫn những gì?</legend>
          {visitTopics.map((t) => (
            <label key={t} className="choice">
              <input type="checkbox" name="topics" value={t} defaultChecked={chosenTopics.includes(t)} /> {topicLabels[t]}
            </label>
          ))}
          {visitErrors.topics ? (
            <p id="topics-error" className="field__error" role="alert">
              {visitErrors.topics}
            </p>
          ) : null}
        </fieldset>
        <div className={`field${visitErrors.notes ? " field--error" : ""}`}>
          <label htmlFor="visit-notes">Ghi chú</label>
          <textarea
            id="visit-notes"
            name="notes"
            rows={4}
            defaultValue={(visitValues.notes as string | undefined) ?? ""}
            aria-invalid={visitErrors.notes ? true : undefined}
            aria-describedby={visitErrors.notes ? "visit-notes-error" : undefined}
          />
          {visitErrors.notes ? (
            <p id="visit-notes-error" className="field__error" role="alert">
              {visitErrors.notes}
            </p>
          ) : null}
        </div>
        <div className={`field${visitErrors.photos ? " field--error" : ""}`}>
          <label htmlFor="visit-photos">Ảnh (không bắt buộc)</label>
          <p id="visit-photos-hint" className="field__hint">
            Tối đa {PHOTOS_PER_VISIT} ảnh JPEG, PNG hoặc WebP, mỗi ảnh dưới 8 MB. Chỉ chụp khi gia đình đồng ý.
            {visitErrors.photos ? " Hãy chọn lại ảnh." : ""}
          </p>
          <input
            id="visit-photos"
            name="photos"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            aria-invalid={visitErrors.photos ? true : undefined}
            aria-describedby={["visit-photos-hint", visitErrors.photos ? "visit-photos-error" : ""].filter(Boolean).join(" ")}
          />
          {visitErrors.photos ? (
            <p id="visit-photos-error" className="field__error" role="alert">
              {visitErrors.photos}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button--primary button--block" disabled={busy === "visit"}>
          {busy === "visit" ? "Đang lưu…" : "Lưu lần đến nhà"}
        </button>
      </Form>

      <h2 id="lan-den">Các lần đến nhà ({household.visits.length})</h2>
      {household.visits.length === 0 ? <p>Chưa có ai của Tổ đến hộ này.</p> : null}
      <ol className="visit-list">
        {household.visits.map((v) => (
          <li key={v.id} className="visit">
            <p className="visit__head">
              <strong>{formatDate(v.visitedOn)}</strong> – {v.memberName}
            </p>
            <p>Đã hướng dẫn: {v.topics.map((t) => topicLabels[t as keyof typeof topicLabels] ?? t).join(", ") || "—"}</p>
            {v.notes ? <p>{v.notes}</p> : null}
            {v.photos.length > 0 ? (
              <ul className="photo-list">
                {v.photos.map((p, i) => (
                  <li key={p.id}>
                    <a href={`/files/${p.id}`}>
                      <img src={`/files/${p.id}`} alt={`Ảnh ${i + 1} lần đến ngày ${formatDate(v.visitedOn)}`} loading="lazy" width={160} height={120} />
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>

      <h2 id="them-nguoi">Thêm người trong hộ</h2>
      <Form method="post" noValidate className="narrow">
        <input type="hidden" name="intent" value="resident" />
        <FormError message={residentErrors.form} />
        <ResidentFields values={residentValues} errors={residentErrors} />
        <div className={`field${residentErrors.consent ? " field--error" : ""}`}>
          <label className="choice">
            <input
              type="checkbox"
              name="consent"
              value="on"
              defaultChecked={residentValues.consent === "on"}
              aria-invalid={residentErrors.consent ? true : undefined}
              aria-describedby={residentErrors.consent ? "consent-error" : undefined}
            />
            <span>Tôi đã đọc cho người này nghe và họ đồng ý để Tổ ghi họ tên, năm sinh, số điện thoại nhằm hướng dẫn kỹ năng số.</span>
          </label>
          {residentErrors.consent ? (
            <p id="consent-error" className="field__error" role="alert">
              {residentErrors.consent}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button" disabled={busy === "resident"}>
          Thêm người
        </button>
      </Form>
    </article>
  );
}

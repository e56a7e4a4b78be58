import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Fragment } from "react";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/forms";
import { ResidentFields } from "~/components/resident-fields";
import { assertSameOrigin } from "~/csrf.server";
import { getHouseholdForFieldWorker } from "~/field.server";
import { newSubmissionId } from "~/field-submissions.server";
import { submitHouseholdForm } from "~/field-submit.server";
import { currentYear, formatDate, formatDateTime, vnDay } from "~/format";
import type { FieldErrors } from "~/forms/auth";
import {
  followupAnswerLabels,
  followupAnswers,
  povertyLabels,
  residentFlags,
  skillKeys,
  skillLabels,
  skillMethodLabels,
  skillMethods,
  topicLabels,
  visitTopics,
  type SkillKey,
} from "~/vocabulary";
import { readForm } from "~/multipart.server";
import { householdFollowups } from "~/retention.server";
import { requireFieldWorker } from "~/access.server";
import { formatVietnamesePhone } from "~/phone";
import { PHOTO_MAX_BYTES, PHOTOS_PER_VISIT } from "~/upload-limits";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Hộ ${data.household.code} – HọcSố` : "Hộ gia đình – HọcSố" },
];

/**
 * No React: the forms post as plain HTML, and with no network public/offline.js (app/offline/page.ts,
 * loaded by the root for field workers) keeps the forms marked data-offline in the phone's outbox.
 */
export const handle = { hydrate: false };

function householdIdFrom(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response("Không tìm thấy hộ", { status: 404 });
  return Number(param);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireFieldWorker(request);
  const householdId = householdIdFrom(params.id);
  const [household, followups] = await Promise.all([
    getHouseholdForFieldWorker({ actor, householdId }),
    householdFollowups({ actor, householdId }),
  ]);
  if (!household) throw new Response("Không tìm thấy hộ", { status: 404 });
  // A fresh submission id per rendered form: a double tap or a replay of the same form stores once.
  const submissionIds = {
    visit: newSubmissionId(),
    checklist: newSubmissionId(),
    resident: newSubmissionId(),
  };
  return { household, followups, today: vnDay(), year: currentYear(), submissionIds };
}

type ActionData = { intent: string; errors: FieldErrors; values: Record<string, unknown> };

const intents = new Set(["visit", "checklist", "consent", "resident", "followup"]);

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireFieldWorker(request);
  const householdId = householdIdFrom(params.id);
  const form = await readForm(request, { maxFileBytes: PHOTO_MAX_BYTES, maxFiles: PHOTOS_PER_VISIT });
  if (!intents.has(String(form.get("intent") ?? "")))
    throw new Response("Yêu cầu không hợp lệ", { status: 400 });
  const outcome = await submitHouseholdForm({ actor, householdId, form });
  if (outcome.status === "gone") throw new Response(outcome.reason, { status: 404 });
  if (outcome.status === "invalid")
    return { intent: outcome.intent, errors: outcome.errors, values: outcome.values } satisfies ActionData;
  return redirect(outcome.location);
}

const savedMessages: Record<string, string> = {
  visit: "Đã ghi nhận lần đến nhà.",
  resident: "Đã thêm người vào hộ.",
  household: "Đã thêm hộ. Bây giờ hãy thêm người trong hộ.",
  consent: "Đã ghi nhận sự đồng ý.",
  corrected: "Đã lưu thông tin đã sửa.",
  unchanged: "Thông tin không thay đổi nên không có gì để lưu.",
};

export default function HouseholdPage() {
  const { household, followups, today, year, submissionIds } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const saved = searchParams.get("saved");
  const savedPeople = new Set(
    saved === "skills" ? (searchParams.get("people") ?? "").split(".").map(Number) : [],
  );
  const changes = Number(searchParams.get("changes") ?? 0);
  const savedMessage =
    saved === "skills"
      ? changes > 0
        ? `Đã lưu ${changes} thay đổi kỹ năng của ${savedPeople.size} người.`
        : "Không có thay đổi kỹ năng nào để lưu."
      : saved === "followup"
        ? `Đã lưu ${Number(searchParams.get("answers") ?? 0)} câu trả lời hỏi lại.`
        : saved
          ? savedMessages[saved]
          : undefined;
  const checklistErrors = actionData?.intent === "checklist" ? actionData.errors : {};
  const checklistKey = household.residents
    .map(
      (p) => `${p.id}=` + skillKeys.map((k) => (p.skills[k] ? `${k}:${p.skills[k]!.method}` : "")).join("|"),
    )
    .join(";");
  const visitErrors = actionData?.intent === "visit" ? actionData.errors : {};
  const visitValues = actionData?.intent === "visit" ? actionData.values : {};
  const residentErrors = actionData?.intent === "resident" ? actionData.errors : {};
  const residentValues = (actionData?.intent === "resident" ? actionData.values : {}) as Record<
    string,
    string | undefined
  >;
  const chosenTopics = (visitValues.topics as string[] | undefined) ?? [];

  return (
    <article
      aria-labelledby="household-title"
      className="household-page"
      data-household-id={household.id}
      data-household-address={household.address}
    >
      <p>
        <Link to="/field">← Hộ của tôi</Link>
      </p>
      <h1 id="household-title">{household.address}</h1>
      {/* Filled by the offline script: that a form was kept on the phone,
          and what waits for this household. */}
      <p className="form-success" role="status" data-offline-notice="" hidden />
      <div className="callout" data-outbox-here="" hidden />
      {savedMessage ? (
        <p className="form-success" role="status">
          {savedMessage}
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

      {followups.length > 0 ? (
        <section aria-labelledby="hoi-lai" className="followups">
          <h2 id="hoi-lai">Cần hỏi lại ({followups.length})</h2>
          <p>Những kỹ năng đã ghi nhận từ 30 hoặc 90 ngày trước. Hỏi người dân còn tự làm được không.</p>
          <Form method="post" preventScrollReset data-offline="">
            <input type="hidden" name="intent" value="followup" />
            <FormError message={actionData?.intent === "followup" ? actionData.errors.form : undefined} />
            {followups.map((q) => {
              const key = `${q.residentId}-${q.skill}-${q.stage}`;
              return (
                <fieldset key={key} className="field">
                  <legend>
                    {q.fullName}: {skillLabels[q.skill]}{" "}
                    <span className="field__hint">
                      (sau {q.stage} ngày, ghi nhận ngày {formatDate(q.recordedAt)})
                    </span>
                  </legend>
                  <input
                    type="hidden"
                    name="question"
                    value={`${q.residentId}|${q.skill}|${q.stage}|${q.recordedAt}`}
                  />
                  {followupAnswers.map((a) => (
                    <label key={a} className="choice">
                      <input type="radio" name={`answer-${key}`} value={a} /> {followupAnswerLabels[a]}
                    </label>
                  ))}
                </fieldset>
              );
            })}
            <button type="submit" className="button button--primary" disabled={busy === "followup"}>
              Lưu câu trả lời
            </button>
          </Form>
        </section>
      ) : null}

      <h2 id="nhan-khau">Người trong hộ ({household.residents.length})</h2>
      {household.residents.length === 0 ? (
        <p>Hộ chưa có ai trong danh sách. Hãy thêm người ở cuối trang.</p>
      ) : null}
      {household.residents.map((person) => {
        const age = year - person.birthYear;
        const stateKey = skillKeys
          .map((k) => (person.skills[k] ? `${k}:${person.skills[k]!.method}` : ""))
          .join("|");
        return (
          <section
            key={person.id}
            id={`nguoi-${person.id}`}
            className="resident-card"
            aria-labelledby={`ten-${person.id}`}
          >
            <h3 id={`ten-${person.id}`}>{person.fullName}</h3>
            <p className="household-card__meta">
              Sinh năm {person.birthYear} ({age} tuổi)
              {person.phone ? ` · ${formatVietnamesePhone(person.phone)}` : ""}
              {residentFlags.map(([flag, label]) => (person[flag] ? ` · ${label}` : ""))}
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
                  Chưa ghi nhận {person.fullName} đồng ý cho xử lý dữ liệu cá nhân. Hãy đọc cho họ nghe mục
                  đích (hướng dẫn kỹ năng số) và hỏi ý kiến.
                </p>
                <button type="submit" className="button">
                  {person.fullName} đã đồng ý
                </button>
              </Form>
            )}
            <div key={stateKey} className="skills-form">
              {savedPeople.has(person.id) ? (
                <p className="form-success">Đã lưu thay đổi kỹ năng của {person.fullName}.</p>
              ) : null}
              <fieldset className="field">
                <legend>Kỹ năng đã làm được: {person.fullName}</legend>
                {skillKeys.map((skill) => {
                  const current = person.skills[skill];
                  return (
                    <label key={skill} className="choice">
                      <input
                        type="checkbox"
                        form="kiem-tra-ky-nang"
                        name={`skills-${person.id}`}
                        value={skill}
                        defaultChecked={Boolean(current)}
                      />
                      <span>
                        {skillLabels[skill]}
                        {current ? (
                          <span className="field__hint">
                            {" "}
                            ({skillMethodLabels[current.method].toLowerCase()},{" "}
                            {formatDate(current.recordedAt)})
                          </span>
                        ) : null}
                      </span>
                    </label>
                  );
                })}
              </fieldset>
              <fieldset className="field">
                <legend>Ghi nhận thế nào?</legend>
                {skillMethods.map((m) => (
                  <label key={m} className="choice">
                    <input
                      type="radio"
                      form="kiem-tra-ky-nang"
                      name={`method-${person.id}`}
                      value={m}
                      defaultChecked={m === "assisted"}
                    />{" "}
                    {skillMethodLabels[m]}
                  </label>
                ))}
              </fieldset>
              <button
                type="submit"
                form="kiem-tra-ky-nang"
                className="button"
                disabled={busy === "checklist"}
              >
                Lưu kỹ năng của cả hộ
              </button>
            </div>
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

      {household.residents.length > 0 ? (
        <Form
          method="post"
          id="kiem-tra-ky-nang"
          key={checklistKey}
          className="checklist-form"
          preventScrollReset
          data-offline=""
        >
          <input type="hidden" name="intent" value="checklist" />
          <input type="hidden" name="submissionId" value={submissionIds.checklist} />
          {household.residents.map((person) => (
            <Fragment key={person.id}>
              <input type="hidden" name="residentIds" value={person.id} />
              <input
                type="hidden"
                name={`shown-${person.id}`}
                value={skillKeys.filter((k) => person.skills[k]).join(",")}
              />
            </Fragment>
          ))}
          <FormError message={checklistErrors.form} />
          <p className="field__hint">
            Mỗi nút “Lưu kỹ năng của cả hộ” lưu mọi ô đã đánh dấu của mọi người trong hộ cùng một lần.
          </p>
        </Form>
      ) : null}

      <h2 id="ghi-nhan">Ghi nhận lần đến nhà</h2>
      <Form method="post" encType="multipart/form-data" noValidate className="visit-form" data-offline="">
        <input type="hidden" name="intent" value="visit" />
        <input type="hidden" name="submissionId" value={submissionIds.visit} />
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
        <fieldset
          className={`field${visitErrors.topics ? " field--error" : ""}`}
          aria-describedby={visitErrors.topics ? "topics-error" : undefined}
        >
          <legend>Đã hướng dẫn những gì?</legend>
          {visitTopics.map((t) => (
            <label key={t} className="choice">
              <input type="checkbox" name="topics" value={t} defaultChecked={chosenTopics.includes(t)} />{" "}
              {topicLabels[t]}
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
            Tối đa {PHOTOS_PER_VISIT} ảnh JPEG, PNG hoặc WebP, mỗi ảnh dưới 8 MB. Chỉ chụp khi gia đình đồng
            ý.
            {visitErrors.photos ? " Hãy chọn lại ảnh." : ""}
          </p>
          <input
            id="visit-photos"
            name="photos"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            aria-invalid={visitErrors.photos ? true : undefined}
            aria-describedby={["visit-photos-hint", visitErrors.photos ? "visit-photos-error" : ""]
              .filter(Boolean)
              .join(" ")}
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
            <p>
              Đã hướng dẫn:{" "}
              {v.topics.map((t) => topicLabels[t as keyof typeof topicLabels] ?? t).join(", ") || "—"}
            </p>
            {v.notes ? <p>{v.notes}</p> : null}
            {v.photos.length > 0 ? (
              <ul className="photo-list">
                {v.photos.map((p, i) => (
                  <li key={p.id}>
                    <a href={`/files/${p.id}`}>
                      <img
                        src={`/files/${p.id}`}
                        alt={`Ảnh ${i + 1} lần đến ngày ${formatDate(v.visitedOn)}`}
                        loading="lazy"
                        width={160}
                        height={120}
                      />
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>

      <h2 id="them-nguoi">Thêm người trong hộ</h2>
      <Form method="post" noValidate className="narrow" data-offline="">
        <input type="hidden" name="intent" value="resident" />
        <input type="hidden" name="submissionId" value={submissionIds.resident} />
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
            <span>
              Tôi đã đọc cho người này nghe và họ đồng ý để Tổ ghi họ tên, năm sinh, số điện thoại nhằm hướng
              dẫn kỹ năng số.
            </span>
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

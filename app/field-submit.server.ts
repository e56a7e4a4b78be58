/**
 * One reading of the household page's forms, for the page's own action (online, with or without
 * JavaScript) and for the phone's offline queue (/field/sync), so a record sent later is checked
 * and stored exactly as one sent at the door. Says what happened in words the member reads.
 */
import {
  FieldError,
  recordChecklist,
  recordConsent,
  recordVisit,
  addResident,
  type ChecklistEntry,
} from "~/field.server";
import { isSubmissionId, SubmissionMismatch } from "~/field-submissions.server";
import { fieldErrors, type FieldErrors } from "~/forms/auth";
import { formValues, residentSchema, visitSchema } from "~/forms/field";
import {
  followupAnswers,
  skillKeys,
  skillMethods,
  type FollowupAnswer,
  type SkillKey,
  type SkillMethod,
} from "~/vocabulary";
import { idFrom } from "~/request.server";
import { recordFollowups, type FollowupInput } from "~/retention.server";
import { filesFrom } from "~/multipart.server";
import type { FieldActor } from "~/access.server";

export type SubmitOutcome =
  | { status: "saved"; intent: string; message: string; location: string }
  | { status: "invalid"; intent: string; errors: FieldErrors; values: Record<string, unknown> }
  /** The record cannot be applied any more; `reason` says why in Vietnamese. */
  | { status: "gone"; intent: string; reason: string };

const HOUSEHOLD_GONE =
  "Hộ này không còn thuộc tổ dân phố của bạn (có thể đã chuyển sang tổ khác hoặc bị xoá).";

/** "a,b" as rendered into the checklist form: the skills shown ticked for one person. */
function skillSet(values: unknown): SkillKey[] {
  const list = Array.isArray(values) ? values : typeof values === "string" && values ? values.split(",") : [];
  return [
    ...new Set(list.filter((v): v is SkillKey => (skillKeys as readonly string[]).includes(String(v)))),
  ].sort();
}

/**
 * The checklist form: `residentIds` lists the people on it; for each, `skills-<id>` (ticked),
 * `method-<id>` and `shown-<id>` (what was ticked when the form was shown). A person whose ticks
 * did not change is left alone unless the member chose how it was recorded (confirming
 * self-declared items), so saving the form never rewrites someone nobody touched.
 */
export function checklistEntries(form: FormData): ChecklistEntry[] | { error: string } {
  const ids = [...new Set(form.getAll("residentIds").map((v) => Number(v)))];
  if (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id <= 0))
    return { error: "Biểu mẫu kỹ năng không đầy đủ. Hãy tải lại trang." };
  const entries: ChecklistEntry[] = [];
  for (const id of ids) {
    const method = String(form.get(`method-${id}`) ?? "assisted") as SkillMethod;
    if (!(skillMethods as readonly string[]).includes(method)) return { error: "Hãy chọn cách ghi nhận." };
    const ticked = skillSet(form.getAll(`skills-${id}`).map(String));
    const shown = skillSet(String(form.get(`shown-${id}`) ?? ""));
    if (ticked.join() === shown.join() && method === "assisted") continue;
    entries.push({ residentId: id, method, skills: ticked });
  }
  return entries;
}

export async function submitHouseholdForm({
  actor,
  householdId,
  form,
  queued = false,
}: {
  actor: FieldActor;
  householdId: number;
  form: FormData;
  queued?: boolean;
}): Promise<SubmitOutcome> {
  const intent = String(form.get("intent") ?? "");
  const raw = form.get("submissionId");
  const submissionId = isSubmissionId(raw) ? raw : undefined;
  if (queued && !submissionId)
    return { status: "invalid", intent, errors: { form: "Bản ghi thiếu mã gửi." }, values: {} };
  const here = `/field/households/${householdId}`;
  try {
    if (intent === "visit") {
      const values = formValues(form, ["topics"]);
      delete values.photos;
      const parsed = visitSchema.safeParse(values);
      if (!parsed.success) return { status: "invalid", intent, errors: fieldErrors(parsed.error), values };
      const photos = await filesFrom(form, "photos");
      const visitId = await recordVisit({ actor, householdId, ...parsed.data, photos, submissionId, queued });
      if (visitId === null) return { status: "gone", intent, reason: HOUSEHOLD_GONE };
      return {
        status: "saved",
        intent,
        message: "Đã ghi nhận lần đến nhà.",
        location: `${here}?saved=visit#lan-den`,
      };
    }

    if (intent === "checklist") {
      const entries = checklistEntries(form);
      if ("error" in entries)
        return { status: "invalid", intent, errors: { form: entries.error }, values: {} };
      const result = await recordChecklist({ actor, householdId, entries, submissionId, queued });
      if (result === null) return { status: "gone", intent, reason: HOUSEHOLD_GONE };
      if (result.status === "missing") {
        return {
          status: "gone",
          intent,
          reason:
            "Có người trong bản ghi kỹ năng không còn trong danh sách của hộ này (đã chuyển đi hoặc bị xoá).",
        };
      }
      const changed = result.changes.reduce((n, c) => n + c.added.length + c.withdrawn.length, 0);
      const people = result.changes.map((c) => c.residentId);
      return {
        status: "saved",
        intent,
        message: changed
          ? `Đã lưu ${changed} thay đổi kỹ năng của ${people.length} người.`
          : "Không có thay đổi kỹ năng nào để lưu.",
        location: `${here}?saved=skills&changes=${changed}&people=${people.join(".")}#nhan-khau`,
      };
    }

    if (intent === "consent") {
      const residentId = idFrom(form.get("residentId"));
      if (residentId === null || !(await recordConsent({ actor, residentId }))) {
        return { status: "gone", intent, reason: "Người này không còn trong danh sách của tổ." };
      }
      return {
        status: "saved",
        intent,
        message: "Đã ghi nhận sự đồng ý.",
        location: `${here}?saved=consent#nguoi-${residentId}`,
      };
    }

    if (intent === "followup") {
      const answers: FollowupInput[] = [];
      for (const question of form.getAll("question").map(String)) {
        const [rawResident, skill, stage, recordedAt] = question.split("|");
        const residentId = idFrom(rawResident);
        const answer = String(form.get(`answer-${rawResident}-${skill}-${stage}`) ?? "");
        if (!answer) continue;
        // Only what the form itself can send: anything else is a bad request, never a database error.
        if (
          residentId === null ||
          !(skillKeys as readonly string[]).includes(skill ?? "") ||
          !(followupAnswers as readonly string[]).includes(answer) ||
          Number.isNaN(Date.parse(recordedAt ?? ""))
        ) {
          return {
            status: "invalid",
            intent,
            errors: { form: "Câu trả lời hỏi lại không hợp lệ. Hãy tải lại trang." },
            values: {},
          };
        }
        answers.push({
          residentId,
          skill: skill as SkillKey,
          stage: stage === "90" ? 90 : 30,
          recordedAt: recordedAt ?? "",
          answer: answer as FollowupAnswer,
        });
      }
      if (answers.length === 0)
        return {
          status: "invalid",
          intent,
          errors: { form: "Hãy chọn câu trả lời cho ít nhất một kỹ năng." },
          values: {},
        };
      const stored = await recordFollowups({ actor, householdId, answers });
      if (stored === null) return { status: "gone", intent, reason: HOUSEHOLD_GONE };
      return {
        status: "saved",
        intent,
        message: `Đã lưu ${stored} câu trả lời hỏi lại.`,
        location: `${here}?saved=followup&answers=${stored}#hoi-lai`,
      };
    }

    if (intent === "resident") {
      const values = formValues(form);
      const parsed = residentSchema.safeParse(values);
      if (!parsed.success) return { status: "invalid", intent, errors: fieldErrors(parsed.error), values };
      const { consent: _consent, ...resident } = parsed.data;
      const id = await addResident({ actor, householdId, resident, submissionId, queued });
      if (id === null) return { status: "gone", intent, reason: HOUSEHOLD_GONE };
      return {
        status: "saved",
        intent,
        message: "Đã thêm người vào hộ.",
        location: `${here}?saved=resident#nguoi-${id}`,
      };
    }
  } catch (error) {
    if (error instanceof FieldError)
      return {
        status: "invalid",
        intent,
        errors: { [error.field ?? "form"]: error.message },
        values: formValues(form, ["topics"]),
      };
    if (error instanceof SubmissionMismatch)
      return { status: "invalid", intent, errors: { form: error.message }, values: {} };
    throw error;
  }
  return { status: "invalid", intent, errors: { form: "Yêu cầu không hợp lệ." }, values: {} };
}

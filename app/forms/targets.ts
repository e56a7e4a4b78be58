/** Form schemas of the office's target pages, shared by the forms and their actions. Browser-safe. */
import { z } from "zod";
import { TARGET_KEYS, type TargetKeyName } from "~/targets";
import { CORE_COURSE_IDS } from "~/vocabulary";

export const targetSettingsSchema = z.object({
  intent: z.literal("settings"),
  courses: z
    .array(z.string())
    .refine(
      (list) => list.some((c) => CORE_COURSE_IDS.includes(c)),
      "Hãy chọn ít nhất một khoá học cho chỉ tiêu a.",
    ),
});

/** One text box per target; empty means "use the roster". */
export function parseDenominatorForm(
  form: FormData,
):
  | { ok: true; values: Partial<Record<TargetKeyName, number | null>> }
  | { ok: false; errors: Partial<Record<string, string>>; values: Record<string, string> } {
  const raw: Record<string, string> = {};
  const values: Partial<Record<TargetKeyName, number | null>> = {};
  const errors: Partial<Record<string, string>> = {};
  for (const key of TARGET_KEYS) {
    const text = String(form.get(`den_${key}`) ?? "")
      .trim()
      .replace(/[.\s]/g, "");
    raw[`den_${key}`] = String(form.get(`den_${key}`) ?? "");
    if (text === "") {
      values[key] = null;
      continue;
    }
    if (!/^\d{1,7}$/.test(text)) {
      errors[`den_${key}`] =
        "Hãy nhập một số nguyên không âm (ví dụ 250), hoặc để trống để dùng danh sách nhân khẩu.";
      continue;
    }
    values[key] = Number(text);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors, values: raw } : { ok: true, values };
}

export const teamReportSchema = z.object({
  intent: z.literal("notes"),
  difficulties: z.string().trim().max(5000, "Phần khó khăn dài quá 5.000 ký tự, hãy viết ngắn lại."),
  proposals: z.string().trim().max(5000, "Phần đề xuất dài quá 5.000 ký tự, hãy viết ngắn lại."),
});

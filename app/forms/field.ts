/**
 * Field work: the schemas of the forms, used by their actions on the server. The words (browser-safe,
 * no zod) are in ~/vocabulary, so that pages showing them do not download zod.
 */
import { z } from "zod";
import { formId } from "~/forms/ids";
import { currentYear, vnDay } from "~/format";
import { priorityGroups, skillKeys, skillMethods, visitTopics } from "~/vocabulary";
import { normalizeVietnamesePhone } from "~/phone";

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("1"), z.literal("")])
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");

export const visitSchema = z.object({
  visitedOn: z
    .string({ error: "Hãy chọn ngày đến nhà." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Hãy chọn ngày đến nhà.")
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Ngày không đúng.")
    // A day of slack for a phone whose clock runs ahead.
    .refine((v) => v <= vnDay(new Date(Date.now() + 24 * 3600_000)), "Ngày đến nhà không thể ở tương lai.")
    .refine((v) => v >= "2024-01-01", "Ngày đến nhà quá xa."),
  topics: z.array(z.enum(visitTopics)).min(1, "Hãy chọn ít nhất một nội dung đã hướng dẫn."),
  notes: z.string().trim().max(2000, "Ghi chú dài quá 2.000 ký tự.").default(""),
});

export const skillsSchema = z.object({
  residentId: formId(),
  method: z.enum(skillMethods, { error: "Hãy chọn cách ghi nhận." }),
  skills: z.array(z.enum(skillKeys)).default([]),
});

export const householdSchema = z.object({
  address: z
    .string({ error: "Hãy nhập địa chỉ." })
    .trim()
    .min(3, "Hãy nhập địa chỉ của hộ.")
    .max(200, "Địa chỉ dài quá."),
  code: z
    .string()
    .trim()
    .max(40, "Mã hộ dài quá 40 ký tự.")
    .regex(/^[\p{L}\p{N}\-_./ ]*$/u, "Mã hộ chỉ gồm chữ, số và dấu gạch.")
    .default(""),
  povertyStatus: z.enum(["none", "poor", "near_poor"]).default("none"),
});

/** A resident's details as a member types them: one set of rules for adding and for correcting. */
export const residentDetailsSchema = z.object({
  fullName: z
    .string({ error: "Hãy nhập họ và tên." })
    .trim()
    .min(2, "Hãy nhập họ và tên.")
    .max(120, "Họ và tên dài quá.")
    .refine((v) => !/\d/.test(v), "Họ và tên không có chữ số."),
  birthYear: z
    .string({ error: "Hãy nhập năm sinh, ví dụ 1958." })
    .trim()
    .min(1, "Hãy nhập năm sinh, ví dụ 1958.")
    .regex(/^\d{4}$/, "Năm sinh có 4 chữ số, ví dụ 1958.")
    .transform(Number)
    .refine((v) => v >= currentYear() - 120 && v <= currentYear(), "Năm sinh không hợp lý."),
  phone: z
    .string()
    .trim()
    .default("")
    .refine(
      (v) => v === "" || normalizeVietnamesePhone(v) !== null,
      "Số di động có 10 chữ số, ví dụ 0905 123 456.",
    ),
  isHighSchoolStudent: checkbox,
  isEnterpriseWorker: checkbox,
  isFreelanceWorker: checkbox,
  isSmallTrader: checkbox,
});
export type ResidentDetails = z.infer<typeof residentDetailsSchema>;

/** Adding a resident met at the door: their details and their consent. */
export const residentSchema = residentDetailsSchema.extend({
  consent: z.literal("on", { error: "Cần người dân đồng ý trước khi ghi thông tin của họ." }),
});

/**
 * Correcting a resident's details. `version` is the record's last-changed time as the form was
 * shown, so a correction made meanwhile by someone else is not silently overwritten.
 */
export const residentUpdateSchema = residentDetailsSchema.extend({
  version: z.string().trim().max(40).default(""),
});

export const assignSchema = z.object({
  memberUserId: z.union([z.literal("none"), formId("Hãy chọn thành viên.")], {
    error: "Hãy chọn thành viên.",
  }),
  householdIds: z.array(formId()).min(1, "Hãy chọn ít nhất một hộ."),
});

export const listFilterSchema = z.object({
  notVisited: checkbox.catch(false),
  missingSkills: checkbox.catch(false),
  priority: z.enum(priorityGroups).optional().catch(undefined),
  scope: z.enum(["mine", "group"]).catch("mine").default("mine"),
  q: z
    .string()
    .trim()
    .max(80)
    .regex(/^[^\0]*$/)
    .catch("")
    .default(""),
});
export type ListFilters = z.infer<typeof listFilterSchema>;

/** Reads repeated fields (checkbox groups) and single fields from a form into one object for a schema. */
export function formValues(form: FormData, multi: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    if (multi.includes(key))
      (out[key] as string[] | undefined) ? (out[key] as string[]).push(value) : (out[key] = [value]);
    else out[key] = value;
  }
  for (const key of multi) out[key] ??= [];
  return out;
}

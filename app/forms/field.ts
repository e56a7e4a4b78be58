/** Field work: the words members read and the schemas shared by the forms and their actions. Browser-safe. */
import { z } from "zod";
import { normalizeVietnamesePhone } from "~/phone";

export const skillKeys = [
  "vneid_installed",
  "vneid_level2",
  "bhyt_in_vneid",
  "dsc_installed",
  "dvc_account",
  "cashless_payment",
  "bdhvs_confirmed",
] as const;
export type SkillKey = (typeof skillKeys)[number];

export const skillLabels: Record<SkillKey, string> = {
  vneid_installed: "Đã cài VNeID",
  vneid_level2: "Đã kích hoạt VNeID mức 2",
  bhyt_in_vneid: "Thẻ bảo hiểm y tế trong VNeID",
  dsc_installed: "Đã cài Danang Smart City",
  dvc_account: "Có tài khoản dịch vụ công",
  cashless_payment: "Thanh toán không dùng tiền mặt, mã QR",
  bdhvs_confirmed: "Kết quả “Bình dân học vụ số” đã xác nhận trên VNeID",
};

export const skillMethods = ["assisted", "confirmed", "self"] as const;
export type SkillMethod = (typeof skillMethods)[number];
export const skillMethodLabels: Record<SkillMethod, string> = {
  assisted: "Thành viên hướng dẫn làm",
  confirmed: "Thành viên đã xem tận mắt",
  self: "Người dân tự khai",
};

export const visitTopics = ["vneid", "dsc", "dvc", "thanh_toan", "an_toan", "bdhvs"] as const;
export type VisitTopic = (typeof visitTopics)[number];
export const topicLabels: Record<VisitTopic, string> = {
  vneid: "VNeID",
  dsc: "Danang Smart City",
  dvc: "Dịch vụ công trực tuyến",
  thanh_toan: "Thanh toán không dùng tiền mặt",
  an_toan: "An toàn thông tin, phòng lừa đảo",
  bdhvs: "Bình dân học vụ số",
};

export const priorityGroups = ["elderly", "poor", "near_poor", "freelance", "trader"] as const;
export type PriorityGroup = (typeof priorityGroups)[number];
export const priorityLabels: Record<PriorityGroup, string> = {
  elderly: "Người cao tuổi (60+)",
  poor: "Hộ nghèo",
  near_poor: "Hộ cận nghèo",
  freelance: "Lao động tự do",
  trader: "Tiểu thương",
};

export const povertyLabels = { none: "Không", poor: "Hộ nghèo", near_poor: "Hộ cận nghèo" } as const;

const thisYear = () => new Date().getFullYear();

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("1"), z.literal("")])
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");

export const visitSchema = z.object({
  visitedOn: z
    .string({ error: "Hãy chọn ngày đến nhà." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Hãy chọn ngày đến nhà.")
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Ngày không đúng.")
    .refine((v) => v <= new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10), "Ngày đến nhà không thể ở tương lai.")
    .refine((v) => v >= "2024-01-01", "Ngày đến nhà quá xa."),
  topics: z.array(z.enum(visitTopics)).min(1, "Hãy chọn ít nhất một nội dung đã hướng dẫn."),
  notes: z.string().trim().max(2000, "Ghi chú dài quá 2.000 ký tự.").default(""),
});

export const skillsSchema = z.object({
  residentId: z.coerce.number().int().positive(),
  method: z.enum(skillMethods, { error: "Hãy chọn cách ghi nhận." }),
  skills: z.array(z.enum(skillKeys)).default([]),
});

export const householdSchema = z.object({
  address: z.string({ error: "Hãy nhập địa chỉ." }).trim().min(3, "Hãy nhập địa chỉ của hộ.").max(200, "Địa chỉ dài quá."),
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
    .refine((v) => v >= thisYear() - 120 && v <= thisYear(), "Năm sinh không hợp lý."),
  phone: z
    .string()
    .trim()
    .default("")
    .refine((v) => v === "" || normalizeVietnamesePhone(v) !== null, "Số di động có 10 chữ số, ví dụ 0905 123 456."),
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

/** The groups a resident may belong to, in the order the forms and the household page show them. */
export const residentFlags = [
  ["isHighSchoolStudent", "Học sinh THPT"],
  ["isEnterpriseWorker", "Lao động doanh nghiệp/HTX"],
  ["isFreelanceWorker", "Lao động tự do"],
  ["isSmallTrader", "Tiểu thương"],
] as const;
export type ResidentFlag = (typeof residentFlags)[number][0];

export const assignSchema = z.object({
  memberUserId: z.union([z.literal("none"), z.coerce.number().int("Hãy chọn thành viên.").positive("Hãy chọn thành viên.")], {
    error: "Hãy chọn thành viên.",
  }),
  householdIds: z.array(z.coerce.number().int().positive()).min(1, "Hãy chọn ít nhất một hộ."),
});

export const listFilterSchema = z.object({
  notVisited: checkbox,
  missingSkills: checkbox,
  priority: z.enum(priorityGroups).optional().catch(undefined),
  scope: z.enum(["mine", "group"]).catch("mine").default("mine"),
  q: z.string().trim().max(80).catch("").default(""),
});
export type ListFilters = z.infer<typeof listFilterSchema>;

/** Reads repeated fields (checkbox groups) and single fields from a form into one object for a schema. */
export function formValues(form: FormData, multi: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    if (multi.includes(key)) (out[key] as string[] | undefined) ? (out[key] as string[]).push(value) : (out[key] = [value]);
    else out[key] = value;
  }
  for (const key of multi) out[key] ??= [];
  return out;
}

/** Follow-up 30 and 90 days after a skill was recorded: the member's answer per skill. */
export const followupStages = [30, 90] as const;
export type FollowupStage = (typeof followupStages)[number];
export const followupAnswers = ["still_uses", "needs_help", "not_met"] as const;
export type FollowupAnswer = (typeof followupAnswers)[number];
export const followupAnswerLabels: Record<FollowupAnswer, string> = {
  still_uses: "Vẫn dùng được",
  needs_help: "Cần giúp lại",
  not_met: "Không gặp",
};

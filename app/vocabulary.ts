/**
 * HọcSố's vocabulary: the keys the database stores and the words people read for them, one
 * definition each. Browser-safe (no zod, no server imports): pages, forms, exports, the reports and
 * db/schema.ts (through a relative import, for its enums) all read them here.
 *
 * Course titles are not here: each course's title is in content/courses/<course>/course.yaml, and
 * server code asks `getCompletionCatalog().titleOf(key)` (app/learning-catalog.server.ts) for it.
 */

// ─── People ─────────────────────────────────────────────────────────────────

/** Account roles, in the order pages list them. */
export const roles = ["resident", "member", "leader", "office", "admin"] as const;
export type Role = (typeof roles)[number];
export const roleLabels: Record<Role, string> = {
  resident: "Người dân",
  member: "Thành viên Tổ CNSCĐ",
  leader: "Tổ trưởng Tổ CNSCĐ",
  office: "Phòng Văn hoá – Xã hội",
  admin: "Quản trị",
};

/** A member's place in their Tổ CNSCĐ (the badge, the team's lists, the exports). */
export const teamRoles = ["member", "leader"] as const;
export type TeamRole = (typeof teamRoles)[number];
export const teamRoleLabels: Record<TeamRole, string> = {
  member: "Thành viên",
  leader: "Tổ trưởng",
};

// ─── Courses ────────────────────────────────────────────────────────────────

/**
 * The first intensive training round: the three courses targets b and d and the programme certificate need.
 */
export const CORE_COURSE_IDS: readonly string[] = [
  "nen-tang-so",
  "dich-vu-cong-truc-tuyen",
  "an-toan-thong-tin",
];

/** The certificates table's course key for the programme certificate. */
export const PROGRAMME_KEY = "programme";
/** The programme the three core courses make up: its certificate, the reports and the exports name it so. */
export const PROGRAMME_TITLE = "Chương trình bồi dưỡng kỹ năng số cơ bản";

// ─── Field work: skills, methods, visit topics, priority groups ────────────

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

export const povertyLabels = {
  none: "Không",
  poor: priorityLabels.poor,
  near_poor: priorityLabels.near_poor,
} as const;

/** The groups a resident may belong to, in the order the forms and the household page show them. */
export const residentFlags = [
  ["isHighSchoolStudent", "Học sinh THPT"],
  ["isEnterpriseWorker", "Lao động doanh nghiệp/HTX"],
  ["isFreelanceWorker", "Lao động tự do"],
  ["isSmallTrader", "Tiểu thương"],
] as const;
export type ResidentFlag = (typeof residentFlags)[number][0];

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

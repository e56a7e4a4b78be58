/**
 * The one schema for HọcSố, shared by PostgreSQL (postgres.js) and embedded PGlite.
 * Constraints and indexes live here so the database itself guards the rules
 * (one certificate per learner and course, one attempt per submission key, …).
 *
 * Roster: ward → residential group (tổ dân phố) → household (hộ) → resident (nhân khẩu).
 * A learner is always a user account. A resident who learns only with a member beside
 * them gets a "managed" account (no email, phone or password) linked to their resident row.
 */
import { sql } from "drizzle-orm";
import {
  followupAnswers,
  PROGRAMME_KEY,
  roles,
  skillKeys,
  teamRoles,
  type Role,
  type SkillKey,
} from "../app/vocabulary";
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const tstz = (name: string) => timestamp(name, { withTimezone: true });

// ─── Organisation and people ────────────────────────────────────────────────

export const wards = pgTable("wards", {
  id: serial("id").primaryKey(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const residentialGroups = pgTable(
  "residential_groups",
  {
    id: serial("id").primaryKey(),
    wardId: integer("ward_id")
      .notNull()
      .references(() => wards.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("residential_groups_ward_code_uq").on(t.wardId, t.code)],
);

export const povertyStatus = pgEnum("poverty_status", ["none", "poor", "near_poor"]);

export const households = pgTable(
  "households",
  {
    id: serial("id").primaryKey(),
    groupId: integer("group_id")
      .notNull()
      .references(() => residentialGroups.id),
    /** The roster's household code (mã hộ), the key imports update by. */
    code: text("code").notNull().unique(),
    /** A short random code handed to the family so a resident can link their own account. */
    linkCode: text("link_code").notNull().unique(),
    address: text("address").notNull(),
    povertyStatus: povertyStatus("poverty_status").notNull().default("none"),
    createdAt: createdAt(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("households_group_idx").on(t.groupId)],
);

export const residents = pgTable(
  "residents",
  {
    id: serial("id").primaryKey(),
    householdId: integer("household_id")
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    fullName: text("full_name").notNull(),
    birthYear: smallint("birth_year").notNull(),
    /** Normalised +84 form; optional. */
    phone: text("phone"),
    isHighSchoolStudent: boolean("is_high_school_student").notNull().default(false),
    isEnterpriseWorker: boolean("is_enterprise_worker").notNull().default(false),
    isFreelanceWorker: boolean("is_freelance_worker").notNull().default(false),
    isSmallTrader: boolean("is_small_trader").notNull().default(false),
    /** Explicit consent to processing, recorded with who took it (Law 91/2025/QH15). */
    consentAt: tstz("consent_at"),
    consentRecordedBy: integer("consent_recorded_by"),
    createdAt: createdAt(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("residents_household_idx").on(t.householdId),
    index("residents_birth_year_idx").on(t.birthYear),
    check("residents_birth_year_ck", sql`${t.birthYear} between 1900 and 2100`),
    check("residents_full_name_ck", sql`length(trim(${t.fullName})) > 0`),
  ],
);

// ─── Accounts ───────────────────────────────────────────────────────────────

// The roles and team roles are the vocabulary's (browser-safe, with their labels);
// the enums are built from them.
export { roles, type Role };
export const userRole = pgEnum("user_role", roles);

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    /** Lower-cased. */
    email: text("email"),
    /** Normalised Vietnamese mobile number, +84XXXXXXXXX. */
    phone: text("phone"),
    /** argon2id; null for managed accounts and invitations not yet accepted. */
    passwordHash: text("password_hash"),
    displayName: text("display_name").notNull(),
    role: userRole("role").notNull().default("resident"),
    /** The ward an office user works for. */
    wardId: integer("ward_id").references(() => wards.id),
    residentId: integer("resident_id").references(() => residents.id, { onDelete: "set null" }),
    /**
     * When the account's owner agreed to its roster link: registered at the door with them, or
     * linked by them (signed in, with the household's code). Null for links a member made alone
     * (before that was refused): such accounts get no reset codes from leaders or the office.
     */
    residentLinkConfirmedAt: tstz("resident_link_confirmed_at"),
    emailVerifiedAt: tstz("email_verified_at"),
    consentAt: tstz("consent_at"),
    disabledAt: tstz("disabled_at"),
    createdAt: createdAt(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_uq").on(t.email),
    uniqueIndex("users_phone_uq").on(t.phone),
    uniqueIndex("users_resident_uq").on(t.residentId),
    check("users_email_lower_ck", sql`${t.email} = lower(${t.email})`),
  ],
);

/** Sessions as in the lucia-auth.com guide: the id is the SHA-256 of the token, hex. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: tstz("expires_at").notNull(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    /** A short description of the device, so a user can tell sessions apart. */
    userAgent: text("user_agent"),
    /**
     * Assisted learning: the learner a team member is sitting beside. While set, lessons and
     * quizzes opened in this session are the learner's, recorded as assisted by the member.
     */
    assistingUserId: integer("assisting_user_id").references((): AnyPgColumn => users.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const tokenPurpose = pgEnum("token_purpose", [
  "verify_email",
  "reset_password",
  "reset_code",
  "invitation",
]);

/** Single-use tokens; only the SHA-256 of the secret is stored. */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: tokenPurpose("purpose").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("user_tokens_user_idx").on(t.userId, t.purpose)],
);

/** Fixed-window counters kept in the database so limits hold across app instances. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: tstz("window_started_at").notNull().defaultNow(),
  blockedUntil: tstz("blocked_until"),
});

export const dataRequestKind = pgEnum("data_request_kind", ["deletion"]);
export const dataRequestStatus = pgEnum("data_request_status", ["open", "done", "refused"]);

export const dataRequests = pgTable("data_requests", {
  id: serial("id").primaryKey(),
  userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
  kind: dataRequestKind("kind").notNull(),
  status: dataRequestStatus("status").notNull().default("open"),
  note: text("note"),
  handledBy: integer("handled_by").references(() => users.id),
  handledAt: tstz("handled_at"),
  createdAt: createdAt(),
});

// ─── Teams and field work ───────────────────────────────────────────────────

/** One Tổ CNSCĐ per residential group. */
export const teams = pgTable("teams", {
  id: serial("id").primaryKey(),
  groupId: integer("group_id")
    .notNull()
    .unique()
    .references(() => residentialGroups.id),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const teamRole = pgEnum("team_role", teamRoles);

export const teamMembers = pgTable(
  "team_members",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: teamRole("role").notNull().default("member"),
    /** What the member is in the community (Đoàn Thanh niên, giáo viên, …); shown on the badge. */
    affiliation: text("affiliation"),
    /** Random code behind the public badge page; ending the membership ends the badge. */
    badgeCode: text("badge_code").notNull().unique(),
    startedAt: tstz("started_at").notNull().defaultNow(),
    endedAt: tstz("ended_at"),
  },
  (t) => [
    index("team_members_team_idx").on(t.teamId),
    // A person belongs to at most one team at a time.
    uniqueIndex("team_members_active_user_uq").on(t.userId).where(sql`${t.endedAt} is null`),
  ],
);

/** Which member looks after which household (current assignment; history is in the audit log). */
export const householdAssignments = pgTable(
  "household_assignments",
  {
    householdId: integer("household_id")
      .primaryKey()
      .references(() => households.id, { onDelete: "cascade" }),
    memberUserId: integer("member_user_id")
      .notNull()
      .references(() => users.id),
    assignedBy: integer("assigned_by").references(() => users.id),
    assignedAt: tstz("assigned_at").notNull().defaultNow(),
  },
  (t) => [index("household_assignments_member_idx").on(t.memberUserId)],
);

// One list of skill keys: the browser-safe vocabulary owns it, the enum is built from it.
export { skillKeys, type SkillKey };
export const skillKey = pgEnum("skill_key", skillKeys);
export const skillMethod = pgEnum("skill_method", ["self", "assisted", "confirmed"]);

/** Every change to a resident's skills checklist: who, when, how. Never updated. */
export const skillRecords = pgTable(
  "skill_records",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    residentId: integer("resident_id")
      .notNull()
      .references(() => residents.id, { onDelete: "cascade" }),
    skill: skillKey("skill").notNull(),
    /** false withdraws an earlier record (ticked by mistake). */
    value: boolean("value").notNull().default(true),
    method: skillMethod("method").notNull(),
    recordedBy: integer("recorded_by").references(() => users.id, { onDelete: "set null" }),
    visitId: integer("visit_id").references(() => visits.id, { onDelete: "set null" }),
    recordedAt: tstz("recorded_at").notNull().defaultNow(),
  },
  (t) => [index("skill_records_resident_idx").on(t.residentId, t.skill, t.recordedAt)],
);

/** The current state of each resident's checklist, kept in the same transaction as skill_records. */
export const residentSkills = pgTable(
  "resident_skills",
  {
    residentId: integer("resident_id")
      .notNull()
      .references(() => residents.id, { onDelete: "cascade" }),
    skill: skillKey("skill").notNull(),
    method: skillMethod("method").notNull(),
    recordedAt: tstz("recorded_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.residentId, t.skill] }), index("resident_skills_skill_idx").on(t.skill)],
);

export const visits = pgTable(
  "visits",
  {
    id: serial("id").primaryKey(),
    householdId: integer("household_id")
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    memberUserId: integer("member_user_id")
      .notNull()
      .references(() => users.id),
    visitedOn: date("visited_on", { mode: "string" }).notNull(),
    /** Topic keys, e.g. "vneid", "dsc", "dvc", "an_toan", "thanh_toan", "bdhvs". */
    topics: jsonb("topics").$type<string[]>().notNull().default([]),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    index("visits_household_idx").on(t.householdId, t.visitedOn),
    index("visits_member_idx").on(t.memberUserId),
  ],
);

// ─── Learning ───────────────────────────────────────────────────────────────

export const lessonProgress = pgTable(
  "lesson_progress",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    lessonId: text("lesson_id").notNull(),
    readAt: tstz("read_at"),
    /** When the lesson's quiz was first passed. */
    passedAt: tstz("passed_at"),
    /** The member who sat beside the learner, when the lesson was read with help. */
    assistedBy: integer("assisted_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.courseId, t.lessonId] })],
);

export const quizAttempts = pgTable(
  "quiz_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    lessonId: text("lesson_id").notNull(),
    /** Hash of the quiz content answered, so later edits never corrupt history. */
    quizHash: text("quiz_hash").notNull(),
    /** One per form rendering: a double submit carries the same key and records nothing new. */
    submissionKey: text("submission_key").notNull(),
    answers: jsonb("answers").$type<Record<string, unknown>>().notNull(),
    correctCount: integer("correct_count").notNull(),
    questionCount: integer("question_count").notNull(),
    scorePercent: smallint("score_percent").notNull(),
    passed: boolean("passed").notNull(),
    assistedBy: integer("assisted_by").references(() => users.id, { onDelete: "set null" }),
    /**
     * The options of each question in the order this attempt showed them
     * (null before shuffling was recorded).
     */
    optionOrder: jsonb("option_order").$type<Record<string, string[]>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("quiz_attempts_submission_uq").on(t.userId, t.submissionKey),
    index("quiz_attempts_user_lesson_idx").on(t.userId, t.courseId, t.lessonId),
  ],
);

/**
 * A finished practice on simulated screens ("Thực hành", content/courses/…/*.practice.yaml).
 * Practice is counted but never changes completion or certificates.
 */
export const practiceCompletions = pgTable(
  "practice_completions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    lessonId: text("lesson_id").notNull(),
    taskId: text("task_id").notNull(),
    /** Taps on the wrong button or answer before finishing. */
    wrongTaps: smallint("wrong_taps").notNull(),
    /** One per run through the task: tapping the last button twice records one completion. */
    submissionKey: text("submission_key").notNull(),
    assistedBy: integer("assisted_by").references(() => users.id, { onDelete: "set null" }),
    completedAt: tstz("completed_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("practice_completions_submission_uq").on(t.userId, t.submissionKey),
    index("practice_completions_task_idx").on(t.courseId, t.lessonId, t.taskId),
    check("practice_completions_wrong_taps_ck", sql`${t.wrongTaps} >= 0`),
  ],
);

/**
 * Learners whose earned certificates are to be checked once outside a request: a data migration
 * that completes lessons adds them, and the start-up of any instance issues what they earned
 * (through issueEarnedCertificates, as a request would) and deletes the row in that transaction.
 */
export const certificateChecks = pgTable("certificate_checks", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
});

/** The programme certificate uses this course key (defined in the vocabulary). */
export { PROGRAMME_KEY };

export const certificates = pgTable(
  "certificates",
  {
    id: serial("id").primaryKey(),
    /** Short, human-typable, without ambiguous characters. */
    code: text("code").notNull().unique(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** A course id, or PROGRAMME_KEY for the programme certificate. */
    courseKey: text("course_key").notNull(),
    /** The name printed on the certificate, fixed at issue. */
    holderName: text("holder_name").notNull(),
    issuedAt: tstz("issued_at").notNull().defaultNow(),
    revokedAt: tstz("revoked_at"),
    revokedBy: integer("revoked_by").references(() => users.id),
    revokedReason: text("revoked_reason"),
  },
  // Exactly once per learner and course, whatever the concurrency.
  (t) => [uniqueIndex("certificates_user_course_uq").on(t.userId, t.courseKey)],
);

// ─── Targets and reports ────────────────────────────────────────────────────

export const targetKeys = ["a", "b", "c", "d", "dd", "e", "g", "i", "m"] as const;
export type TargetKey = (typeof targetKeys)[number];

/** An official denominator the office enters when the roster of a group is incomplete. */
export const targetDenominators = pgTable(
  "target_denominators",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => residentialGroups.id, { onDelete: "cascade" }),
    targetKey: text("target_key").notNull(),
    value: integer("value").notNull(),
    enteredBy: integer("entered_by").references(() => users.id),
    enteredAt: tstz("entered_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.targetKey] }),
    check("target_denominators_value_ck", sql`${t.value} >= 0`),
  ],
);

/** What a team writes in its quarterly report (difficulties, proposals). */
export const teamReports = pgTable(
  "team_reports",
  {
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** e.g. "2026-Q1" */
    quarter: text("quarter").notNull(),
    difficulties: text("difficulties").notNull().default(""),
    proposals: text("proposals").notNull().default(""),
    updatedBy: integer("updated_by").references(() => users.id),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.quarter] })],
);

/** A ward office's choices for its targets: which courses count for target a (default courses 1 and 3). */
export const targetSettings = pgTable("target_settings", {
  wardId: integer("ward_id")
    .primaryKey()
    .references(() => wards.id, { onDelete: "cascade" }),
  targetACourses: jsonb("target_a_courses").$type<string[]>().notNull(),
  updatedBy: integer("updated_by").references(() => users.id),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

/**
 * The dashboard's summary, per residential group (so per team) and target, recomputed a ward at
 * a time from the event tables (app/targets.server.ts): the ward and city views read only these
 * small tables, so they stay fast at city scale without the other modules having to call us.
 */
export const targetGroupStats = pgTable(
  "target_group_stats",
  {
    wardId: integer("ward_id").notNull(),
    groupId: integer("group_id")
      .notNull()
      .references(() => residentialGroups.id, { onDelete: "cascade" }),
    targetKey: text("target_key").notNull(),
    rosterDenominator: integer("roster_denominator").notNull(),
    numerator: integer("numerator").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.targetKey] }),
    index("target_group_stats_ward_idx").on(t.wardId),
  ],
);

/**
 * A group's history of a target as changes per period (`week`: Monday, Vietnam time; `quarter`):
 * how many met it net (people who started meeting it minus those who stopped, e.g. a withdrawn
 * skill or a revoked certificate) and how the roster denominator changed (people turning 18 or
 * 16 on 1 January, members joining and leaving). Summing the changes up to a period gives the
 * figures as they were at its end. Changes from before any date the data knows of sit in
 * `week_start` = '-infinity'.
 */
export const targetGroupWeeks = pgTable(
  "target_group_weeks",
  {
    wardId: integer("ward_id").notNull(),
    groupId: integer("group_id")
      .notNull()
      .references(() => residentialGroups.id, { onDelete: "cascade" }),
    targetKey: text("target_key").notNull(),
    period: text("period").notNull().default("week"),
    weekStart: date("week_start", { mode: "string" }).notNull(),
    reached: integer("reached").notNull(),
    denominator: integer("denominator").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.targetKey, t.period, t.weekStart] }),
    // A chart reads one period of a ward: its weeks of one target, or its quarters of all.
    index("target_group_weeks_ward_period_idx").on(t.wardId, t.period, t.targetKey, t.weekStart),
  ],
);

/**
 * What a data-deletion request erased, kept only as counts for the quarterly reports (no name,
 * no account: `person` is a random token made at erasure, so one erased learner counts once).
 */
export const erasedActivity = pgTable(
  "erased_activity",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    groupId: integer("group_id")
      .notNull()
      .references(() => residentialGroups.id, { onDelete: "cascade" }),
    /** lesson_read, certificate or skill. */
    kind: text("kind").notNull(),
    person: text("person").notNull(),
    courseKey: text("course_key"),
    skill: text("skill"),
    value: boolean("value"),
    occurredAt: tstz("occurred_at").notNull(),
  },
  (t) => [index("erased_activity_group_idx").on(t.groupId, t.occurredAt)],
);

/** When each ward's summary was last recomputed (the freshness the pages show). */
export const targetRefreshes = pgTable("target_refreshes", {
  wardId: integer("ward_id")
    .primaryKey()
    .references(() => wards.id, { onDelete: "cascade" }),
  refreshedAt: tstz("refreshed_at").notNull(),
  durationMs: integer("duration_ms").notNull(),
  /** The weekly and quarterly history (`target_group_weeks`) is recomputed on its own, less often. */
  historyRefreshedAt: tstz("history_refreshed_at"),
  historyDurationMs: integer("history_duration_ms"),
});

// ─── Files, mail, audit ─────────────────────────────────────────────────────

export const uploadKind = pgEnum("upload_kind", ["visit_photo", "roster_file"]);

export const uploads = pgTable(
  "uploads",
  {
    id: serial("id").primaryKey(),
    /** The store's key (local path or uploadthing file key). */
    storageKey: text("storage_key").notNull().unique(),
    store: text("store").notNull(),
    kind: uploadKind("kind").notNull(),
    /** Detected from the content, not the name. */
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    originalName: text("original_name").notNull(),
    visitId: integer("visit_id").references(() => visits.id, { onDelete: "cascade" }),
    uploadedBy: integer("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("uploads_visit_idx").on(t.visitId)],
);

export const outboxStatus = pgEnum("outbox_status", ["pending", "sent", "failed"]);

/** Every message is written here first, in the transaction of the change that causes it. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: serial("id").primaryKey(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    /** verify_email, reset_password, invitation, certificate, … */
    kind: text("kind").notNull(),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    createdAt: createdAt(),
    sentAt: tstz("sent_at"),
  },
  (t) => [index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** e.g. "user.role_changed", "resident.updated", "skill.recorded" */
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entity, t.entityId),
    index("audit_log_created_idx").on(t.createdAt),
  ],
);

// ─── Field work that may be repeated (double taps, offline queues) ─────────

export const fieldSubmissionKind = pgEnum("field_submission_kind", [
  "visit",
  "skills",
  "resident",
  "household",
  "followup",
]);

/**
 * One row per field create, keyed by the submission id the form carried (rendered by the server,
 * or made by the phone's offline queue). The primary key is what makes a repeat harmless: a
 * second insert of the same id waits for the first transaction and then finds its row, so the
 * repeat returns the first result and stores nothing new.
 */
export const fieldSubmissions = pgTable(
  "field_submissions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: fieldSubmissionKind("kind").notNull(),
    /** What the first submission produced (ids only, no personal data), returned to every repeat. */
    result: jsonb("result").$type<Record<string, unknown>>().notNull().default({}),
    /** true when it arrived from a phone's offline queue. */
    queued: boolean("queued").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("field_submissions_user_idx").on(t.userId, t.createdAt)],
);

/** When each member's phone last sent its offline queue: the leader's team page shows it. */
export const memberSyncs = pgTable("member_syncs", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  lastSyncedAt: tstz("last_synced_at").notNull(),
});

export const followupAnswer = pgEnum("followup_answer", followupAnswers);

/**
 * The answer to "does this person still use it?" 30 or 90 days after a skill was recorded.
 * Tied to the moment the skill was recorded (resident_skills.recorded_at), so re-recording the
 * skill starts a new 30/90-day cycle and each cycle is asked once.
 */
export const skillFollowups = pgTable(
  "skill_followups",
  {
    id: serial("id").primaryKey(),
    residentId: integer("resident_id")
      .notNull()
      .references(() => residents.id, { onDelete: "cascade" }),
    skill: skillKey("skill").notNull(),
    stage: smallint("stage").notNull(),
    skillRecordedAt: tstz("skill_recorded_at").notNull(),
    answer: followupAnswer("answer").notNull(),
    answeredBy: integer("answered_by").references(() => users.id, { onDelete: "set null" }),
    answeredAt: tstz("answered_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("skill_followups_once").on(t.residentId, t.skill, t.stage, t.skillRecordedAt),
    index("skill_followups_answered_idx").on(t.answeredAt),
    check("skill_followups_stage", sql`${t.stage} in (30, 90)`),
  ],
);

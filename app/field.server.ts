/**
 * Door-to-door field work: a member's households, the household page (residents, each one's
 * skills checklist with its history, visits), recording visits and checklist items, adding a
 * household or resident met in the field, and the leader's assignments and team coverage.
 *
 * Every function takes the request's field actor (access.server: a member or leader with their
 * team) and only ever reaches households of that team's residential group, through the access
 * module's filters; a household elsewhere is "not found". Every change is audited in
 * the transaction that makes it.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb, queryRows, type DbOrTx } from "@db/client.server";
import {
  householdAssignments,
  households,
  residentialGroups,
  residentSkills,
  residents,
  skillRecords,
  teamMembers,
  teams,
  uploads,
  users,
  visits,
} from "@db/schema";
import { recordAudit } from "~/audit.server";
import { currentYear } from "~/format";
import { claimSubmission, completeSubmission, findSubmission } from "~/field-submissions.server";
import type { ListFilters, ResidentDetails } from "~/forms/field";
import {
  skillKeys,
  type PriorityGroup,
  type SkillKey,
  type SkillMethod,
  type VisitTopic,
} from "~/vocabulary";
import { householdInGroup, reachesHousehold, type FieldActor } from "~/access.server";
import { normalizeVietnamesePhone } from "~/phone";
import { newLinkCode } from "~/roster.server";
import {
  discardStoredFile,
  insertUpload,
  PHOTOS_PER_VISIT,
  storeFile,
  UploadRejected,
  type StoredFile,
} from "~/uploads.server";
import { residentDetailColumns } from "~/resident-columns.server";

export class FieldError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "FieldError";
  }
}

// ─── Lists ──────────────────────────────────────────────────────────────────

export interface HouseholdListItem {
  id: number;
  code: string;
  address: string;
  povertyStatus: "none" | "poor" | "near_poor";
  assigneeId: number | null;
  assigneeName: string | null;
  residentCount: number;
  lastVisit: string | null;
  visitCount: number;
  elderlyCount: number;
  hasFreelance: boolean;
  hasTrader: boolean;
  /** Residents 16+ still without VNeID level 2, plus one when nobody has Danang Smart City. */
  missingSkills: number;
  priorities: PriorityGroup[];
}

interface HouseholdRow extends Record<string, unknown> {
  id: number;
  code: string;
  address: string;
  poverty_status: "none" | "poor" | "near_poor";
  assignee_id: number | null;
  assignee_name: string | null;
  resident_count: number;
  last_visit: string | Date | null;
  visit_count: number;
  elderly_count: number;
  freelance_count: number;
  trader_count: number;
  without_level2: number;
  with_dsc: number;
}

/** The households of the actor's residential group (only those assigned to `onlyAssignedTo`, when given). */
async function householdRows(actor: FieldActor, onlyAssignedTo: number | null): Promise<HouseholdListItem[]> {
  const db = await getDb();
  const year = currentYear();
  const rows = await queryRows<HouseholdRow>(
    db,
    sql`
      select h.id, h.code, h.address, h.poverty_status,
        a.member_user_id as assignee_id, u.display_name as assignee_name,
        (select count(*)::int from ${residents} r where r.household_id = h.id) as resident_count,
        (select max(v.visited_on)::text from ${visits} v where v.household_id = h.id) as last_visit,
        (select count(*)::int from ${visits} v where v.household_id = h.id) as visit_count,
        (select count(*)::int from ${residents} r
           where r.household_id = h.id and r.birth_year <= ${year - 60}) as elderly_count,
        (select count(*)::int from ${residents} r
           where r.household_id = h.id and r.is_freelance_worker) as freelance_count,
        (select count(*)::int from ${residents} r
           where r.household_id = h.id and r.is_small_trader) as trader_count,
        (select count(*)::int from ${residents} r where r.household_id = h.id and r.birth_year <= ${year - 16}
           and not exists (select 1 from ${residentSkills} rs
                           where rs.resident_id = r.id and rs.skill = 'vneid_level2')) as without_level2,
        (select count(*)::int from ${residents} r join ${residentSkills} rs on rs.resident_id = r.id
           where r.household_id = h.id and rs.skill = 'dsc_installed') as with_dsc
      from ${households} h
      left join ${householdAssignments} a on a.household_id = h.id
      left join ${users} u on u.id = a.member_user_id
      where ${householdInGroup(actor, sql`h.group_id`)}
      ${onlyAssignedTo === null ? sql`` : sql`and a.member_user_id = ${onlyAssignedTo}`}
      order by h.code
    `,
  );
  return rows.map((r) => {
    const priorities: PriorityGroup[] = [];
    if (r.elderly_count > 0) priorities.push("elderly");
    if (r.poverty_status === "poor") priorities.push("poor");
    if (r.poverty_status === "near_poor") priorities.push("near_poor");
    if (r.freelance_count > 0) priorities.push("freelance");
    if (r.trader_count > 0) priorities.push("trader");
    const lastVisit =
      r.last_visit === null
        ? null
        : typeof r.last_visit === "string"
          ? r.last_visit.slice(0, 10)
          : r.last_visit.toISOString().slice(0, 10);
    return {
      id: r.id,
      code: r.code,
      address: r.address,
      povertyStatus: r.poverty_status,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      residentCount: r.resident_count,
      lastVisit,
      visitCount: r.visit_count,
      elderlyCount: r.elderly_count,
      hasFreelance: r.freelance_count > 0,
      hasTrader: r.trader_count > 0,
      missingSkills: r.without_level2 + (r.resident_count > 0 && r.with_dsc === 0 ? 1 : 0),
      priorities,
    };
  });
}

export function applyFilters(
  items: HouseholdListItem[],
  filters: Pick<ListFilters, "notVisited" | "missingSkills" | "priority" | "q">,
) {
  const q = filters.q?.normalize("NFC").toLocaleLowerCase("vi") ?? "";
  return items.filter(
    (h) =>
      (!filters.notVisited || h.visitCount === 0) &&
      (!filters.missingSkills || h.missingSkills > 0) &&
      (!filters.priority || h.priorities.includes(filters.priority)) &&
      (!q || h.code.toLocaleLowerCase("vi").includes(q) || h.address.toLocaleLowerCase("vi").includes(q)),
  );
}

/** "My households": those assigned to the member, or every household of the team's group. */
export async function listHouseholdsForMember({
  actor,
  filters,
}: {
  actor: FieldActor;
  filters: ListFilters;
}): Promise<{ items: HouseholdListItem[]; total: number }> {
  const all = await householdRows(actor, filters.scope === "group" ? null : actor.id);
  return { items: applyFilters(all, filters), total: all.length };
}

export async function getTeamInfo(
  actor: FieldActor,
): Promise<{ teamName: string; groupName: string; groupCode: string }> {
  const db = await getDb();
  const [row] = await db
    .select({ teamName: teams.name, groupName: residentialGroups.name, groupCode: residentialGroups.code })
    .from(teams)
    .innerJoin(residentialGroups, eq(residentialGroups.id, teams.groupId))
    .where(eq(teams.id, actor.team.teamId));
  return row!;
}

// ─── The household page ─────────────────────────────────────────────────────

export interface SkillHistoryEntry {
  id: number;
  skill: SkillKey;
  value: boolean;
  method: SkillMethod;
  recordedAt: Date;
  recordedByName: string | null;
}

export interface HouseholdDetail {
  id: number;
  code: string;
  linkCode: string;
  address: string;
  povertyStatus: "none" | "poor" | "near_poor";
  groupName: string;
  assigneeId: number | null;
  assigneeName: string | null;
  residents: {
    id: number;
    fullName: string;
    birthYear: number;
    phone: string | null;
    isHighSchoolStudent: boolean;
    isEnterpriseWorker: boolean;
    isFreelanceWorker: boolean;
    isSmallTrader: boolean;
    hasConsent: boolean;
    skills: Partial<Record<SkillKey, { method: SkillMethod; recordedAt: Date }>>;
    history: SkillHistoryEntry[];
  }[];
  visits: {
    id: number;
    visitedOn: string;
    topics: string[];
    notes: string;
    memberName: string;
    photos: { id: number; originalName: string }[];
  }[];
}

/** The household, if it is in the caller's residential group; otherwise null (the route answers 404). */
export async function getHouseholdForFieldWorker({
  actor,
  householdId,
}: {
  actor: FieldActor;
  householdId: number;
}): Promise<HouseholdDetail | null> {
  const db = await getDb();
  const [household] = await db
    .select({
      id: households.id,
      code: households.code,
      linkCode: households.linkCode,
      address: households.address,
      povertyStatus: households.povertyStatus,
      groupName: residentialGroups.name,
      assigneeId: householdAssignments.memberUserId,
      assigneeName: users.displayName,
    })
    .from(households)
    .innerJoin(residentialGroups, eq(residentialGroups.id, households.groupId))
    .leftJoin(householdAssignments, eq(householdAssignments.householdId, households.id))
    .leftJoin(users, eq(users.id, householdAssignments.memberUserId))
    .where(and(eq(households.id, householdId), householdInGroup(actor)));
  if (!household) return null;

  const people = await db
    .select({
      id: residents.id,
      ...residentDetailColumns,
      consentAt: residents.consentAt,
    })
    .from(residents)
    .where(eq(residents.householdId, householdId))
    .orderBy(asc(residents.birthYear), asc(residents.id));
  const ids = people.map((p) => p.id);
  const [current, history, visitRows] = await Promise.all([
    ids.length
      ? db
          .select({
            residentId: residentSkills.residentId,
            skill: residentSkills.skill,
            method: residentSkills.method,
            recordedAt: residentSkills.recordedAt,
          })
          .from(residentSkills)
          .where(inArray(residentSkills.residentId, ids))
      : [],
    ids.length
      ? db
          .select({
            id: skillRecords.id,
            residentId: skillRecords.residentId,
            skill: skillRecords.skill,
            value: skillRecords.value,
            method: skillRecords.method,
            recordedAt: skillRecords.recordedAt,
            recordedByName: users.displayName,
          })
          .from(skillRecords)
          .leftJoin(users, eq(users.id, skillRecords.recordedBy))
          .where(inArray(skillRecords.residentId, ids))
          .orderBy(desc(skillRecords.recordedAt), desc(skillRecords.id))
      : [],
    db
      .select({
        id: visits.id,
        visitedOn: visits.visitedOn,
        topics: visits.topics,
        notes: visits.notes,
        memberName: users.displayName,
      })
      .from(visits)
      .innerJoin(users, eq(users.id, visits.memberUserId))
      .where(eq(visits.householdId, householdId))
      .orderBy(desc(visits.visitedOn), desc(visits.id)),
  ]);
  const visitIds = visitRows.map((v) => v.id);
  const photos = visitIds.length
    ? await db
        .select({ id: uploads.id, visitId: uploads.visitId, originalName: uploads.originalName })
        .from(uploads)
        .where(and(inArray(uploads.visitId, visitIds), eq(uploads.kind, "visit_photo")))
        .orderBy(asc(uploads.id))
    : [];

  return {
    ...household,
    residents: people.map(({ consentAt, ...p }) => ({
      ...p,
      hasConsent: consentAt !== null,
      skills: Object.fromEntries(
        current
          .filter((c) => c.residentId === p.id)
          .map((c) => [c.skill, { method: c.method, recordedAt: c.recordedAt }]),
      ),
      history: history.filter((h) => h.residentId === p.id).map(({ residentId: _r, ...h }) => h),
    })),
    visits: visitRows.map((v) => ({
      ...v,
      photos: photos.filter((p) => p.visitId === v.id).map(({ id, originalName }) => ({ id, originalName })),
    })),
  };
}

// ─── Recording ──────────────────────────────────────────────────────────────

export interface PhotoInput {
  name: string;
  bytes: Uint8Array;
}

/**
 * Records a visit with its photos. Photos are checked by content before anything is saved;
 * a rejected photo rejects the visit (with the reason) so nothing is half-recorded.
 */
export async function recordVisit({
  actor,
  householdId,
  visitedOn,
  topics,
  notes,
  photos,
  submissionId,
  queued = false,
}: {
  actor: FieldActor;
  householdId: number;
  visitedOn: string;
  topics: VisitTopic[];
  notes: string;
  photos: PhotoInput[];
  /** A repeat of the same id returns the first visit's id and stores nothing. */
  submissionId?: string;
  queued?: boolean;
}): Promise<number | null> {
  if (!(await reachesHousehold(actor, householdId))) return null;
  const real = photos.filter((p) => p.bytes.length > 0 || p.name);
  if (real.length > PHOTOS_PER_VISIT)
    throw new FieldError(`Mỗi lần ghi nhận chỉ gửi được tối đa ${PHOTOS_PER_VISIT} ảnh.`, "photos");
  const stored: StoredFile[] = [];
  try {
    for (const photo of real) stored.push(await storeFile("visit_photo", photo.bytes, photo.name));
    const db = await getDb();
    let repeated = false;
    const visitId = await db.transaction(async (tx) => {
      if (submissionId) {
        const prior = await claimSubmission(tx, {
          id: submissionId,
          userId: actor.id,
          kind: "visit",
          queued,
        });
        if (prior) {
          repeated = true;
          return Number(prior.visitId);
        }
      }
      const [visit] = await tx
        .insert(visits)
        .values({ householdId, memberUserId: actor.id, visitedOn, topics, notes: notes.normalize("NFC") })
        .returning({ id: visits.id });
      for (const file of stored) await insertUpload(tx, file, { visitId: visit!.id, uploadedBy: actor.id });
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: "visit.recorded",
        entity: "household",
        entityId: householdId,
        details: { visitId: visit!.id, visitedOn, topics, photos: stored.length },
      });
      if (submissionId) await completeSubmission(tx, submissionId, { visitId: visit!.id });
      return visit!.id;
    });
    if (repeated) for (const file of stored) await discardStoredFile(file);
    return visitId;
  } catch (error) {
    for (const file of stored) await discardStoredFile(file);
    if (error instanceof UploadRejected) throw new FieldError(error.message, "photos");
    throw error;
  }
}

export interface SkillChange {
  added: SkillKey[];
  withdrawn: SkillKey[];
}

/**
 * Saves one resident's checklist as ticked: each newly ticked item (or a self-declared item a
 * member now confirms or helped with) gets a record; each unticked item gets a withdrawing
 * record. The history and the current state change in one transaction.
 */
export async function recordSkills({
  actor,
  residentId,
  method,
  skills,
  tx: outer,
}: {
  actor: FieldActor;
  residentId: number;
  method: SkillMethod;
  skills: SkillKey[];
  /** Run inside this transaction (a whole household's checklist saved at once). */
  tx?: DbOrTx;
}): Promise<SkillChange | null> {
  const db = outer ?? (await getDb());
  return db.transaction(async (tx) => {
    const [person] = await tx
      .select({ id: residents.id, householdId: residents.householdId })
      .from(residents)
      .innerJoin(households, eq(households.id, residents.householdId))
      .where(and(eq(residents.id, residentId), householdInGroup(actor)));
    if (!person) return null;
    const current = await tx
      .select({ skill: residentSkills.skill, method: residentSkills.method })
      .from(residentSkills)
      .where(eq(residentSkills.residentId, residentId));
    const currentBySkill = new Map(current.map((c) => [c.skill, c.method]));
    const wanted = new Set(skills.filter((s) => (skillKeys as readonly string[]).includes(s)));
    const now = new Date();
    const added: SkillKey[] = [];
    const withdrawn: SkillKey[] = [];
    for (const skill of skillKeys) {
      const had = currentBySkill.get(skill);
      if (wanted.has(skill)) {
        if (had && !(had === "self" && method !== "self")) continue;
        added.push(skill);
        await tx
          .insert(skillRecords)
          .values({ residentId, skill, value: true, method, recordedBy: actor.id, recordedAt: now });
        await tx
          .insert(residentSkills)
          .values({ residentId, skill, method, recordedAt: now })
          .onConflictDoUpdate({
            target: [residentSkills.residentId, residentSkills.skill],
            set: { method, recordedAt: now },
          });
      } else if (had) {
        withdrawn.push(skill);
        await tx
          .insert(skillRecords)
          .values({ residentId, skill, value: false, method, recordedBy: actor.id, recordedAt: now });
        await tx
          .delete(residentSkills)
          .where(and(eq(residentSkills.residentId, residentId), eq(residentSkills.skill, skill)));
      }
    }
    if (added.length || withdrawn.length) {
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: "skill.recorded",
        entity: "resident",
        entityId: residentId,
        details: { householdId: person.householdId, method, added, withdrawn },
      });
    }
    return { added, withdrawn };
  });
}

export interface ChecklistEntry {
  residentId: number;
  method: SkillMethod;
  skills: SkillKey[];
}

export type ChecklistResult =
  | { status: "saved"; changes: (SkillChange & { residentId: number })[] }
  /** A resident on the form is no longer in this household (moved, removed): nothing was saved. */
  | { status: "missing"; residentIds: number[] };

/**
 * Saves the whole household's checklist at once, every person in one transaction, so a tick is
 * never shown as saved when it was not. With a submission id a repeat changes nothing and
 * returns the first save's changes.
 */
export async function recordChecklist({
  actor,
  householdId,
  entries,
  submissionId,
  queued = false,
}: {
  actor: FieldActor;
  householdId: number;
  entries: ChecklistEntry[];
  submissionId?: string;
  queued?: boolean;
}): Promise<ChecklistResult | null> {
  if (!(await reachesHousehold(actor, householdId))) return null;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const wanted = [...new Set(entries.map((e) => e.residentId))];
    const present = wanted.length
      ? await tx
          .select({ id: residents.id })
          .from(residents)
          .where(and(eq(residents.householdId, householdId), inArray(residents.id, wanted)))
      : [];
    const missing = wanted.filter((id) => !present.some((p) => p.id === id));
    // Checked before the claim, so nothing is stored and a record re-attached later may be sent again.
    if (missing.length > 0) return { status: "missing" as const, residentIds: missing };
    if (submissionId) {
      const prior = await claimSubmission(tx, { id: submissionId, userId: actor.id, kind: "skills", queued });
      if (prior) return prior as ChecklistResult;
    }
    const changes: (SkillChange & { residentId: number })[] = [];
    for (const entry of entries) {
      const change = await recordSkills({
        actor,
        residentId: entry.residentId,
        method: entry.method,
        skills: entry.skills,
        tx,
      });
      if (change && (change.added.length || change.withdrawn.length))
        changes.push({ residentId: entry.residentId, ...change });
    }
    const result: ChecklistResult = { status: "saved", changes };
    if (submissionId) await completeSubmission(tx, submissionId, { ...result });
    return result;
  });
}

/** A household met in the field: created in the member's group and assigned to them. */
export async function addHousehold({
  actor,
  address,
  code,
  povertyStatus,
  submissionId,
  queued = false,
}: {
  actor: FieldActor;
  address: string;
  code: string;
  povertyStatus: "none" | "poor" | "near_poor";
  submissionId?: string;
  queued?: boolean;
}): Promise<number> {
  // A repeat must not trip over the code its first submission took.
  const earlier = submissionId ? await findSubmission(submissionId, actor.id) : null;
  if (earlier) return Number(earlier.householdId);
  const db = await getDb();
  const [group] = await db
    .select({ code: residentialGroups.code })
    .from(residentialGroups)
    .where(eq(residentialGroups.id, actor.groupId));
  const finalCode = (code.trim() || `${group!.code}-TT-${newLinkCode().slice(0, 5)}`)
    .normalize("NFC")
    .toUpperCase();
  const [taken] = await db
    .select({ id: households.id })
    .from(households)
    .where(eq(households.code, finalCode));
  if (taken) throw new FieldError(`Mã hộ ${finalCode} đã có. Hãy để trống để hệ thống tự đặt mã.`, "code");
  return db.transaction(async (tx) => {
    if (submissionId) {
      const prior = await claimSubmission(tx, {
        id: submissionId,
        userId: actor.id,
        kind: "household",
        queued,
      });
      if (prior) return Number(prior.householdId);
    }
    const [household] = await tx
      .insert(households)
      .values({
        groupId: actor.groupId,
        code: finalCode,
        linkCode: newLinkCode(),
        address: address.normalize("NFC"),
        povertyStatus,
      })
      .returning({ id: households.id });
    await tx
      .insert(householdAssignments)
      .values({ householdId: household!.id, memberUserId: actor.id, assignedBy: actor.id });
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "household.created",
      entity: "household",
      entityId: household!.id,
      details: { code: finalCode, groupId: actor.groupId, source: "field" },
    });
    if (submissionId) await completeSubmission(tx, submissionId, { householdId: household!.id });
    return household!.id;
  });
}

/** Names arrive typed on phones in either Unicode form and with stray spaces; one stored form. */
function cleanName(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** A resident met in the field, with the consent the member took from them. */
export async function addResident({
  actor,
  householdId,
  resident,
  submissionId,
  queued = false,
}: {
  actor: FieldActor;
  householdId: number;
  submissionId?: string;
  queued?: boolean;
  resident: {
    fullName: string;
    birthYear: number;
    phone: string;
    isHighSchoolStudent: boolean;
    isEnterpriseWorker: boolean;
    isFreelanceWorker: boolean;
    isSmallTrader: boolean;
  };
}): Promise<number | null> {
  if (!(await reachesHousehold(actor, householdId))) return null;
  const db = await getDb();
  return db.transaction(async (tx) => {
    if (submissionId) {
      const prior = await claimSubmission(tx, {
        id: submissionId,
        userId: actor.id,
        kind: "resident",
        queued,
      });
      if (prior) return Number(prior.residentId);
    }
    const now = new Date();
    const [row] = await tx
      .insert(residents)
      .values({
        householdId,
        fullName: cleanName(resident.fullName),
        birthYear: resident.birthYear,
        phone: resident.phone ? normalizeVietnamesePhone(resident.phone) : null,
        isHighSchoolStudent: resident.isHighSchoolStudent,
        isEnterpriseWorker: resident.isEnterpriseWorker,
        isFreelanceWorker: resident.isFreelanceWorker,
        isSmallTrader: resident.isSmallTrader,
        consentAt: now,
        consentRecordedBy: actor.id,
      })
      .returning({ id: residents.id });
    await tx.update(households).set({ updatedAt: now }).where(eq(households.id, householdId));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "resident.created",
      entity: "resident",
      entityId: row!.id,
      details: { householdId, source: "field", consent: true },
    });
    if (submissionId) await completeSubmission(tx, submissionId, { residentId: row!.id });
    return row!.id;
  });
}

/** `phone` is the stored +84 form, or "" when there is none. */
export interface ResidentForCorrection extends ResidentDetails {
  id: number;
  householdId: number;
  householdCode: string;
  householdAddress: string;
  /** When the record last changed (ISO), sent back with the form to catch a concurrent correction. */
  version: string;
}

/** The resident, in that household, in the caller's residential group (join households first). */
function residentOfGroup(actor: FieldActor, householdId: number, residentId: number) {
  return and(eq(residents.id, residentId), eq(residents.householdId, householdId), householdInGroup(actor));
}

/** One resident of a household in the caller's residential group, for the correction form; otherwise null. */
export async function getResidentForFieldWorker({
  actor,
  householdId,
  residentId,
}: {
  actor: FieldActor;
  householdId: number;
  residentId: number;
}): Promise<ResidentForCorrection | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: residents.id,
      householdId: residents.householdId,
      householdCode: households.code,
      householdAddress: households.address,
      ...residentDetailColumns,
      updatedAt: residents.updatedAt,
    })
    .from(residents)
    .innerJoin(households, eq(households.id, residents.householdId))
    .where(residentOfGroup(actor, householdId, residentId));
  if (!row) return null;
  const { updatedAt, phone, ...rest } = row;
  return { ...rest, phone: phone ?? "", version: updatedAt.toISOString() };
}

export type ResidentCorrection =
  | { status: "updated"; fields: (keyof ResidentDetails)[] }
  | { status: "unchanged" }
  /** Someone else changed the record after the form was shown; nothing was saved. */
  | { status: "conflict" };

// Values the audit log may keep. The log outlives a deletion request (which erases the resident
// row), so for the name and the phone it records only that they changed, never the values.
const auditedValues = new Set<keyof ResidentDetails>([
  "birthYear",
  "isHighSchoolStudent",
  "isEnterpriseWorker",
  "isFreelanceWorker",
  "isSmallTrader",
]);

/**
 * A member corrects a resident's details. Only what differs is written, in one transaction with
 * an audit entry naming the fields changed; saving the same values changes and logs nothing.
 * With `version` (from the form), a record changed meanwhile by someone else is not overwritten.
 * Returns null when the resident is not in that household of the caller's residential group.
 */
export async function updateResident({
  actor,
  householdId,
  residentId,
  resident,
  version,
}: {
  actor: FieldActor;
  householdId: number;
  residentId: number;
  resident: ResidentDetails;
  version?: string;
}): Promise<ResidentCorrection | null> {
  const wanted: ResidentDetails = {
    ...resident,
    fullName: cleanName(resident.fullName),
    phone: resident.phone ? (normalizeVietnamesePhone(resident.phone) ?? "") : "",
  };
  if (resident.phone && !wanted.phone)
    throw new FieldError("Số di động có 10 chữ số, ví dụ 0905 123 456.", "phone");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({
        ...residentDetailColumns,
        updatedAt: residents.updatedAt,
      })
      .from(residents)
      .innerJoin(households, eq(households.id, residents.householdId))
      .where(residentOfGroup(actor, householdId, residentId))
      .for("update", { of: residents });
    if (!current) return null;
    const stored: ResidentDetails = { ...current, phone: current.phone ?? "" };
    const fields = (Object.keys(wanted) as (keyof ResidentDetails)[]).filter(
      (key) => wanted[key] !== stored[key],
    );
    if (fields.length === 0) return { status: "unchanged" as const };
    // Both sides are millisecond times read through the same driver, so equal means untouched.
    if (version && Date.parse(version) !== current.updatedAt.getTime())
      return { status: "conflict" as const };

    const now = new Date();
    await tx
      .update(residents)
      .set({
        fullName: wanted.fullName,
        birthYear: wanted.birthYear,
        phone: wanted.phone || null,
        isHighSchoolStudent: wanted.isHighSchoolStudent,
        isEnterpriseWorker: wanted.isEnterpriseWorker,
        isFreelanceWorker: wanted.isFreelanceWorker,
        isSmallTrader: wanted.isSmallTrader,
        updatedAt: now,
      })
      .where(eq(residents.id, residentId));
    await tx.update(households).set({ updatedAt: now }).where(eq(households.id, householdId));
    const logged = fields.filter((key) => auditedValues.has(key));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "resident.updated",
      entity: "resident",
      entityId: residentId,
      details: {
        householdId,
        fields,
        from: Object.fromEntries(logged.map((key) => [key, stored[key]])),
        to: Object.fromEntries(logged.map((key) => [key, wanted[key]])),
      },
    });
    return { status: "updated" as const, fields };
  });
}

/** A roster resident met at the door agrees to their data being processed; recorded with who took it. */
export async function recordConsent({
  actor,
  residentId,
}: {
  actor: FieldActor;
  residentId: number;
}): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [person] = await tx
      .select({ id: residents.id, consentAt: residents.consentAt })
      .from(residents)
      .innerJoin(households, eq(households.id, residents.householdId))
      .where(and(eq(residents.id, residentId), householdInGroup(actor)));
    if (!person) return false;
    if (person.consentAt) return true;
    const now = new Date();
    await tx
      .update(residents)
      .set({ consentAt: now, consentRecordedBy: actor.id, updatedAt: now })
      .where(eq(residents.id, residentId));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "resident.consent_recorded",
      entity: "resident",
      entityId: residentId,
      details: { source: "field" },
    });
    return true;
  });
}

// ─── The leader's page ──────────────────────────────────────────────────────

export interface TeamMemberSummary {
  userId: number;
  displayName: string;
  role: "member" | "leader";
  affiliation: string | null;
  assigned: number;
  visited: number;
  missingSkills: number;
}

export interface TeamCoverage {
  totals: { households: number; visited: number; unassigned: number; missingSkills: number };
  members: TeamMemberSummary[];
  households: HouseholdListItem[];
}

export async function listTeamMembers(actor: FieldActor) {
  const db = await getDb();
  return db
    .select({
      userId: teamMembers.userId,
      displayName: users.displayName,
      role: teamMembers.role,
      affiliation: teamMembers.affiliation,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, actor.team.teamId), isNull(teamMembers.endedAt)))
    .orderBy(desc(teamMembers.role), asc(users.displayName));
}

export async function getTeamCoverage({ actor }: { actor: FieldActor }): Promise<TeamCoverage> {
  const [items, people] = await Promise.all([householdRows(actor, null), listTeamMembers(actor)]);
  const members = people.map((m) => {
    const mine = items.filter((h) => h.assigneeId === m.userId);
    return {
      ...m,
      assigned: mine.length,
      visited: mine.filter((h) => h.visitCount > 0).length,
      missingSkills: mine.filter((h) => h.missingSkills > 0).length,
    };
  });
  return {
    totals: {
      households: items.length,
      visited: items.filter((h) => h.visitCount > 0).length,
      unassigned: items.filter((h) => h.assigneeId === null || !people.some((p) => p.userId === h.assigneeId))
        .length,
      missingSkills: items.filter((h) => h.missingSkills > 0).length,
    },
    members,
    households: items,
  };
}

/**
 * A leader gives households of the team's group to a current member of the team (or takes them
 * back with null). The assignment table holds the current assignee; the audit log the history.
 */
export async function assignHouseholds({
  actor,
  householdIds,
  memberUserId,
}: {
  actor: FieldActor;
  householdIds: number[];
  memberUserId: number | null;
}): Promise<number> {
  if (actor.team.teamRole !== "leader") throw new FieldError("Chỉ tổ trưởng mới phân công hộ.");
  const db = await getDb();
  return db.transaction(async (tx) => {
    if (memberUserId !== null) {
      const [member] = await tx
        .select({ userId: teamMembers.userId })
        .from(teamMembers)
        .where(
          and(
            eq(teamMembers.teamId, actor.team.teamId),
            eq(teamMembers.userId, memberUserId),
            isNull(teamMembers.endedAt),
          ),
        );
      if (!member) throw new FieldError("Người này không phải thành viên của tổ.", "memberUserId");
    }
    const ids = [...new Set(householdIds)];
    const found = await tx
      .select({ id: households.id, assignee: householdAssignments.memberUserId })
      .from(households)
      .leftJoin(householdAssignments, eq(householdAssignments.householdId, households.id))
      .where(and(inArray(households.id, ids), householdInGroup(actor)));
    if (found.length !== ids.length)
      throw new FieldError("Có hộ không thuộc tổ dân phố của tổ.", "householdIds");
    let changed = 0;
    const now = new Date();
    for (const h of found) {
      if (h.assignee === memberUserId) continue;
      changed++;
      if (memberUserId === null)
        await tx.delete(householdAssignments).where(eq(householdAssignments.householdId, h.id));
      else
        await tx
          .insert(householdAssignments)
          .values({ householdId: h.id, memberUserId, assignedBy: actor.id, assignedAt: now })
          .onConflictDoUpdate({
            target: householdAssignments.householdId,
            set: { memberUserId, assignedBy: actor.id, assignedAt: now },
          });
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: "household.assigned",
        entity: "household",
        entityId: h.id,
        details: { from: h.assignee, to: memberUserId },
      });
    }
    return changed;
  });
}

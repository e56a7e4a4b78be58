/**
 * Follow-up at 30 and 90 days. Thirty and ninety days after a skill is recorded for a resident
 * (resident_skills.recorded_at: re-recording starts a new cycle), the household comes back on
 * the member's "Cần hỏi lại" list; the member answers per skill: still uses it / needs help
 * again / not met. Retention is the share of skills still in use among the people actually
 * asked (a "not met" answer says nothing about the skill, so it is left out of the share).
 *
 * A skill recorded more than 90 days ago and never asked at 30 is asked once, at 90.
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb, queryRows } from "@db/client.server";
import {
  householdAssignments,
  households,
  residentialGroups,
  residents,
  residentSkills,
  skillFollowups,
} from "@db/schema";
import { recordAudit } from "~/audit.server";
import {
  followupAnswers,
  skillKeys,
  type FollowupAnswer,
  type FollowupStage,
  type SkillKey,
} from "~/vocabulary";
import { householdInGroup, inWard, reachesHousehold, type FieldActor } from "~/access.server";

const DAY_MS = 24 * 3600 * 1000;

/** Which question is due for a skill recorded at `recordedAt`, or null. */
export function dueStage(
  recordedAt: Date,
  now: Date,
  answered: ReadonlySet<FollowupStage>,
): FollowupStage | null {
  const age = now.getTime() - recordedAt.getTime();
  if (age >= 90 * DAY_MS) return answered.has(90) ? null : 90;
  if (age >= 30 * DAY_MS) return answered.has(30) ? null : 30;
  return null;
}

interface DueRow extends Record<string, unknown> {
  household_id: number;
  household_code: string;
  address: string;
  resident_id: number;
  full_name: string;
  skill: SkillKey;
  recorded_at: string | Date;
  stage: number;
}

/** Every skill due for a follow-up question, in households matching `where` (over h). */
async function dueRows(where: SQL, now: Date): Promise<DueRow[]> {
  const db = await getDb();
  const day30 = new Date(now.getTime() - 30 * DAY_MS);
  const day90 = new Date(now.getTime() - 90 * DAY_MS);
  return queryRows<DueRow>(
    db,
    sql`
      select * from (
        select h.id as household_id, h.code as household_code, h.address,
          r.id as resident_id, r.full_name, rs.skill, rs.recorded_at,
          case when rs.recorded_at <= ${day90.toISOString()}::timestamptz then 90 else 30 end as stage
        from ${households} h
        join ${residents} r on r.household_id = h.id
        join ${residentSkills} rs on rs.resident_id = r.id
        where ${where} and rs.recorded_at <= ${day30.toISOString()}::timestamptz
      ) due
      where not exists (
        select 1 from ${skillFollowups} f
        where f.resident_id = due.resident_id and f.skill = due.skill
          and f.skill_recorded_at = due.recorded_at and f.stage = due.stage
      )
      order by due.household_id, due.resident_id, due.skill
    `,
  );
}

export interface FollowupHousehold {
  id: number;
  code: string;
  address: string;
  due: number;
}

/** The member's "Cần hỏi lại" list: their assigned households with a question due. */
export async function listFollowupHouseholds({
  actor,
  now = new Date(),
}: {
  actor: FieldActor;
  now?: Date;
}): Promise<FollowupHousehold[]> {
  const rows = await dueRows(
    sql`${householdInGroup(actor, sql`h.group_id`)} and exists (
      select 1 from ${householdAssignments} a
      where a.household_id = h.id and a.member_user_id = ${actor.id})`,
    now,
  );
  const byHousehold = new Map<number, FollowupHousehold>();
  for (const r of rows) {
    const h = byHousehold.get(r.household_id) ?? {
      id: r.household_id,
      code: r.household_code,
      address: r.address,
      due: 0,
    };
    h.due++;
    byHousehold.set(r.household_id, h);
  }
  return [...byHousehold.values()];
}

export interface FollowupQuestion {
  residentId: number;
  fullName: string;
  skill: SkillKey;
  stage: FollowupStage;
  /** ISO: which recording of the skill the answer is about. */
  recordedAt: string;
}

/** The questions due in one household of the caller's residential group. */
export async function householdFollowups({
  actor,
  householdId,
  now = new Date(),
}: {
  actor: FieldActor;
  householdId: number;
  now?: Date;
}): Promise<FollowupQuestion[]> {
  const rows = await dueRows(sql`${householdInGroup(actor, sql`h.group_id`)} and h.id = ${householdId}`, now);
  return rows.map((r) => ({
    residentId: r.resident_id,
    fullName: r.full_name,
    skill: r.skill,
    stage: r.stage === 90 ? 90 : 30,
    recordedAt: new Date(r.recorded_at).toISOString(),
  }));
}

export interface FollowupInput {
  residentId: number;
  skill: SkillKey;
  stage: FollowupStage;
  recordedAt: string;
  answer: FollowupAnswer;
}

/**
 * Stores the answers for one household. Each question is answered once (a unique index on
 * resident, skill, stage and recording): a repeat, a double tap or an offline replay stores
 * nothing new. Returns how many answers were stored, or null if the household is not the caller's.
 */
export async function recordFollowups({
  actor,
  householdId,
  answers,
}: {
  actor: FieldActor;
  householdId: number;
  answers: FollowupInput[];
}): Promise<number | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const people = await queryRows<{ id: number }>(
      tx,
      sql`select r.id from ${residents} r join ${households} h on h.id = r.household_id
          where h.id = ${householdId} and ${householdInGroup(actor, sql`h.group_id`)}`,
    );
    if (!(await reachesHousehold(actor, householdId, tx))) return null;
    const ids = new Set(people.map((p) => p.id));
    const valid = answers.filter(
      (a) =>
        ids.has(a.residentId) &&
        (skillKeys as readonly string[]).includes(a.skill) &&
        (followupAnswers as readonly string[]).includes(a.answer) &&
        !Number.isNaN(Date.parse(a.recordedAt)),
    );
    if (valid.length === 0) return 0;
    const stored = await tx
      .insert(skillFollowups)
      .values(
        valid.map((a) => ({
          residentId: a.residentId,
          skill: a.skill,
          stage: a.stage,
          skillRecordedAt: new Date(a.recordedAt),
          answer: a.answer,
          answeredBy: actor.id,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: skillFollowups.id });
    if (stored.length > 0) {
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: "skill.followed_up",
        entity: "household",
        entityId: householdId,
        details: { answers: stored.length },
      });
    }
    return stored.length;
  });
}

export interface RetentionFigure {
  /** Skills still in use, and needing help again; "not met" answers are not counted. */
  stillUses: number;
  needsHelp: number;
  notMet: number;
  /** stillUses / (stillUses + needsHelp), or null when nobody was asked. */
  share: number | null;
}

export interface RetentionRow {
  groupId: number | null;
  groupName: string;
  day30: RetentionFigure;
  day90: RetentionFigure;
}

function figure(stillUses: number, needsHelp: number, notMet: number): RetentionFigure {
  return {
    stillUses,
    needsHelp,
    notMet,
    share: stillUses + needsHelp > 0 ? stillUses / (stillUses + needsHelp) : null,
  };
}

interface RetentionSqlRow extends Record<string, unknown> {
  group_id: number;
  group_name: string;
  stage: number;
  still_uses: number;
  needs_help: number;
  not_met: number;
}

/**
 * Retention by residential group of a ward, with the ward's total last (groupId null). With
 * `answeredBefore`, only answers given before that moment count (a quarter's report keeps its past).
 */
export async function wardRetention({
  wardId,
  answeredBefore,
}: {
  wardId: number;
  answeredBefore?: Date;
}): Promise<RetentionRow[]> {
  const db = await getDb();
  // Both at once: the answers and the ward's groups (a group with no answer yet still gets its row).
  const [rows, groups] = await Promise.all([
    queryRows<RetentionSqlRow>(
      db,
      sql`
      select g.id as group_id, g.name as group_name, f.stage,
        count(*) filter (where f.answer = 'still_uses')::int as still_uses,
        count(*) filter (where f.answer = 'needs_help')::int as needs_help,
        count(*) filter (where f.answer = 'not_met')::int as not_met
      from ${skillFollowups} f
      join ${residents} r on r.id = f.resident_id
      join ${households} h on h.id = r.household_id
      join ${residentialGroups} g on g.id = h.group_id
      where ${inWard(sql`g.ward_id`, wardId)}
        ${answeredBefore ? sql`and f.answered_at < ${answeredBefore.toISOString()}::timestamptz` : sql``}
      group by g.id, g.name, f.stage
    `,
    ),
    queryRows<{ id: number; name: string }>(
      db,
      sql`select id, name from ${residentialGroups}
          where ${inWard(residentialGroups.wardId, wardId)} order by code, id`,
    ),
  ]);
  const cell = (groupId: number | null, stage: number) => {
    const matching = rows.filter((r) => r.stage === stage && (groupId === null || r.group_id === groupId));
    return figure(
      matching.reduce((n, r) => n + r.still_uses, 0),
      matching.reduce((n, r) => n + r.needs_help, 0),
      matching.reduce((n, r) => n + r.not_met, 0),
    );
  };
  return [
    ...groups.map((g) => ({
      groupId: g.id,
      groupName: g.name,
      day30: cell(g.id, 30),
      day90: cell(g.id, 90),
    })),
    { groupId: null, groupName: "Cả phường", day30: cell(null, 30), day90: cell(null, 90) },
  ];
}

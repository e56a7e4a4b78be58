/**
 * The quarterly report each Tổ CNSCĐ owes the ward office (plan section IV.5.b), and the
 * ward-wide one: what was done in the quarter, the targets as of the quarter's end, and the
 * difficulties and proposals the teams wrote.
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb, queryRows, type DbOrTx } from "@db/client.server";
import { recordAudit } from "~/audit.server";
import { canSeeTeam, inWard, isLeaderOf, type Actor } from "~/access.server";
import { forbidden } from "~/permissions.server";
import type { Quarter, TargetFigure } from "~/targets";
import { TIME_ZONE, vnMidnight } from "~/format";
import { getCompletionCatalog } from "~/learning-catalog.server";
import { skillKeys, skillLabels, type SkillKey } from "~/vocabulary";
import { computeGroupFigures, computeWardFigures } from "~/targets.server";
import { wardRetention, type RetentionRow } from "~/retention.server";

const TZ = sql.raw(`'${TIME_ZONE}'`);

export interface ActivityRow {
  groupId: number;
  groupName: string;
  teamId: number | null;
  teamName: string | null;
  visits: number;
  householdsVisited: number;
  householdsFirstReached: number;
  learners: number;
  courseCertificates: number;
  programmeCertificates: number;
  skillsAdded: number;
  skillsWithdrawn: number;
}

export interface TeamNote {
  teamId: number;
  teamName: string;
  difficulties: string;
  proposals: string;
  updatedAt: string | null;
}

export interface QuarterlyReport {
  quarter: Quarter;
  kind: "team" | "ward";
  title: string;
  wardId: number;
  wardName: string;
  /** Targets are counted as of this moment: the quarter's end, or now for the current quarter. */
  asOf: string;
  /** The quarter has not ended yet: its figures are "so far". */
  running: boolean;
  activity: ActivityRow[];
  total: Omit<ActivityRow, "groupId" | "groupName" | "teamId" | "teamName">;
  certificatesByCourse: { courseKey: string; count: number; title: string }[];
  skillsBySkill: { skill: string; added: number; withdrawn: number; label: string }[];
  figures: TargetFigure[];
  /** Ward reports: each group's figures too. */
  groupFigures: { groupId: number; groupName: string; figures: TargetFigure[] }[];
  notes: TeamNote[];
  /**
   * Ward reports: skills still in use when asked again at 30 and 90 days, answers given by the quarter's end.
   */
  retention?: RetentionRow[];
}

export interface TeamInfo {
  teamId: number;
  teamName: string;
  groupId: number;
  groupName: string;
  wardId: number;
  wardName: string;
}

export async function getTeamInfo(teamId: number): Promise<TeamInfo | null> {
  if (!Number.isSafeInteger(teamId) || teamId <= 0) return null;
  const db = await getDb();
  const [row] = await queryRows<{
    team_id: number;
    team_name: string;
    group_id: number;
    group_name: string;
    ward_id: number;
    ward_name: string;
  }>(
    db,
    sql`select t.id as team_id, t.name as team_name, g.id as group_id, g.name as group_name,
               w.id as ward_id, w.name as ward_name
        from teams t join residential_groups g on g.id = t.group_id join wards w on w.id = g.ward_id
        where t.id = ${teamId}`,
  );
  return row
    ? {
        teamId: row.team_id,
        teamName: row.team_name,
        groupId: row.group_id,
        groupName: row.group_name,
        wardId: row.ward_id,
        wardName: row.ward_name,
      }
    : null;
}

/**
 * Office of the ward (or city, admin) reads any team's report; a team's own members read theirs,
 * its leader writes it.
 */
export async function requireTeamReportAccess(
  actor: Actor,
  teamId: number,
): Promise<{ team: TeamInfo; canEdit: boolean }> {
  const team = await getTeamInfo(teamId);
  if (!team) throw new Response("Không tìm thấy Tổ.", { status: 404 });
  if (!canSeeTeam(actor, team)) throw forbidden();
  return { team, canEdit: isLeaderOf(actor, team.teamId) };
}

/**
 * Who learns for a group, and since when: the residents on its roster (always), and its Tổ's
 * members for as long as they served, so a member who leaves still counts in the quarters she
 * served in. Rows (group_id, user_id, f, t).
 */
function peopleOfGroups(groupIds: SQL): SQL {
  return sql`
    select h.group_id, u.id as user_id, '-infinity'::timestamptz as f, 'infinity'::timestamptz as t
    from households h join residents r on r.household_id = h.id join users u on u.resident_id = r.id
    where h.group_id in (${groupIds})
    union all
    select t.group_id, tm.user_id, tm.started_at, coalesce(tm.ended_at, 'infinity'::timestamptz)
    from teams t join team_members tm on tm.team_id = t.id
    where t.group_id in (${groupIds})`;
}

/**
 * Certificates issued in the quarter to a group's people (needs the CTEs `people` and `erased`),
 * including those a deletion request has since erased; a revoked certificate never counts.
 * Rows (group_id, course_key).
 */
function certificatesOfQuarter(start: SQL, end: SQL): SQL {
  return sql`
    select distinct on (p.group_id, c.id) p.group_id, c.course_key
    from people p join certificates c on c.user_id = p.user_id
    where c.revoked_at is null and c.issued_at >= ${start} and c.issued_at < ${end}
      and c.issued_at >= p.f and c.issued_at < p.t
    union all
    select group_id, course_key from erased where kind = 'certificate'`;
}

/** Checklist changes in the quarter, including erased ones. Rows (group_id, skill, value). */
function skillChangesOfQuarter(groupIds: SQL, start: SQL, end: SQL): SQL {
  return sql`
    select h.group_id, sr.skill::text as skill, sr.value
    from skill_records sr join residents r on r.id = sr.resident_id join households h on h.id = r.household_id
    where h.group_id in (${groupIds}) and sr.recorded_at >= ${start} and sr.recorded_at < ${end}
    union all
    select ea.group_id, ea.skill, ea.value from erased_activity ea
    where ea.kind = 'skill' and ea.group_id in (${groupIds})
      and ea.occurred_at >= ${start} and ea.occurred_at < ${end}`;
}

/**
 * Before a deletion request erases a person, keeps what the quarterly reports count of them as
 * anonymous rows (group, kind, moment; a random token so a learner counts once): the reports of
 * past quarters keep their figures, the person's name and account go.
 */
export async function keepErasedActivity(tx: DbOrTx, userId: number): Promise<void> {
  const person = crypto.randomUUID();
  await tx.execute(sql`
    with people as (${peopleOfGroups(sql`select id from residential_groups`)})
    insert into erased_activity (group_id, kind, person, course_key, occurred_at)
    select distinct p.group_id, 'lesson_read', ${person}, lp.course_id, lp.read_at
    from people p join lesson_progress lp on lp.user_id = p.user_id
    where p.user_id = ${userId} and lp.read_at is not null and lp.read_at >= p.f and lp.read_at < p.t
    union all
    select distinct on (p.group_id, c.id) p.group_id, 'certificate', ${person}, c.course_key, c.issued_at
    from people p join certificates c on c.user_id = p.user_id
    where p.user_id = ${userId} and c.revoked_at is null and c.issued_at >= p.f and c.issued_at < p.t
  `);
  await tx.execute(sql`
    insert into erased_activity (group_id, kind, person, skill, value, occurred_at)
    select h.group_id, 'skill', ${person}, sr.skill::text, sr.value, sr.recorded_at
    from users u join residents r on r.id = u.resident_id join households h on h.id = r.household_id
    join skill_records sr on sr.resident_id = r.id
    where u.id = ${userId}
  `);
}

async function activity(groups: SQL, q: Quarter): Promise<ActivityRow[]> {
  const db = await getDb();
  const start = sql`(${q.start}::date::timestamp at time zone ${TZ})`;
  const end = sql`(${q.end}::date::timestamp at time zone ${TZ})`;
  const rows = await queryRows<{
    group_id: number;
    group_name: string;
    team_id: number | null;
    team_name: string | null;
    visits: number;
    households_visited: number;
    first_reached: number;
    learners: number;
    course_certs: number;
    programme_certs: number;
    skills_added: number;
    skills_withdrawn: number;
  }>(
    db,
    sql`
    with grp as materialized (
      select g.id as group_id, g.name as group_name, g.code, t.id as team_id, t.name as team_name
      from residential_groups g left join teams t on t.group_id = g.id where ${groups}
    ),
    v as (
      select h.group_id, count(*)::int as visits, count(distinct v.household_id)::int as households
      from visits v join households h on h.id = v.household_id
      where h.group_id in (select group_id from grp)
        and v.visited_on >= ${q.start}::date and v.visited_on < ${q.end}::date
      group by h.group_id
    ),
    fv as (
      select group_id, count(*)::int as first_reached from (
        select h.group_id, min(v.visited_on) as first_on
        from visits v join households h on h.id = v.household_id
        where h.group_id in (select group_id from grp)
        group by h.group_id, v.household_id
      ) x where first_on >= ${q.start}::date and first_on < ${q.end}::date group by group_id
    ),
    people as (${peopleOfGroups(sql`select group_id from grp`)}),
    erased as (
      select * from erased_activity ea
      where ea.group_id in (select group_id from grp)
        and ea.occurred_at >= ${start} and ea.occurred_at < ${end}
    ),
    l as (
      select group_id, count(distinct who)::int as learners from (
        select p.group_id, p.user_id::text as who from people p
        where exists (select 1 from lesson_progress lp
                      where lp.user_id = p.user_id and lp.read_at >= ${start} and lp.read_at < ${end}
                        and lp.read_at >= p.f and lp.read_at < p.t)
        union all
        select group_id, person from erased where kind = 'lesson_read'
      ) x group by group_id
    ),
    c as (
      select group_id,
        count(*) filter (where course_key <> 'programme')::int as course_certs,
        count(*) filter (where course_key = 'programme')::int as programme_certs
      from (${certificatesOfQuarter(start, end)}) x
      group by group_id
    ),
    sk as (
      select group_id, count(*) filter (where value)::int as added,
        count(*) filter (where not value)::int as withdrawn
      from (${skillChangesOfQuarter(sql`select group_id from grp`, start, end)}) x
      group by group_id
    )
    select grp.group_id, grp.group_name, grp.team_id, grp.team_name,
      coalesce(v.visits, 0) as visits, coalesce(v.households, 0) as households_visited,
      coalesce(fv.first_reached, 0) as first_reached, coalesce(l.learners, 0) as learners,
      coalesce(c.course_certs, 0) as course_certs, coalesce(c.programme_certs, 0) as programme_certs,
      coalesce(sk.added, 0) as skills_added, coalesce(sk.withdrawn, 0) as skills_withdrawn
    from grp
    left join v on v.group_id = grp.group_id left join fv on fv.group_id = grp.group_id
    left join l on l.group_id = grp.group_id left join c on c.group_id = grp.group_id
    left join sk on sk.group_id = grp.group_id
    order by grp.code, grp.group_id`,
  );
  return rows.map((r) => ({
    groupId: r.group_id,
    groupName: r.group_name,
    teamId: r.team_id,
    teamName: r.team_name,
    visits: r.visits,
    householdsVisited: r.households_visited,
    householdsFirstReached: r.first_reached,
    learners: r.learners,
    courseCertificates: r.course_certs,
    programmeCertificates: r.programme_certs,
    skillsAdded: r.skills_added,
    skillsWithdrawn: r.skills_withdrawn,
  }));
}

async function breakdowns(groups: SQL, q: Quarter) {
  const db = await getDb();
  const start = sql`(${q.start}::date::timestamp at time zone ${TZ})`;
  const end = sql`(${q.end}::date::timestamp at time zone ${TZ})`;
  const grp = sql`select g.id from residential_groups g where ${groups}`;
  const [certs, skills, catalog] = await Promise.all([
    queryRows<{ course_key: string; n: number }>(
      db,
      sql`with grp as (select g.id as group_id from residential_groups g where ${groups}),
          people as (${peopleOfGroups(sql`select group_id from grp`)}),
          erased as (select * from erased_activity ea
                     where ea.group_id in (select group_id from grp)
                       and ea.occurred_at >= ${start} and ea.occurred_at < ${end})
          select course_key, count(*)::int as n from (${certificatesOfQuarter(start, end)}) x
          group by course_key order by course_key`,
    ),
    queryRows<{ skill: SkillKey; added: number; withdrawn: number }>(
      db,
      sql`select skill, count(*) filter (where value)::int as added,
                 count(*) filter (where not value)::int as withdrawn
          from (${skillChangesOfQuarter(grp, start, end)}) x
          group by skill order by skill`,
    ),
    getCompletionCatalog(),
  ]);
  return {
    certificatesByCourse: certs.map((c) => ({
      courseKey: c.course_key,
      count: c.n,
      title: catalog.titleOf(c.course_key),
    })),
    // In the checklist's own order.
    skillsBySkill: skills
      .sort((x, y) => skillKeys.indexOf(x.skill) - skillKeys.indexOf(y.skill))
      .map((s) => ({ skill: s.skill, added: s.added, withdrawn: s.withdrawn, label: skillLabels[s.skill] })),
  };
}

async function notes(
  teamIds: number[],
  quarter: string,
): Promise<Map<number, { difficulties: string; proposals: string; updatedAt: string }>> {
  if (teamIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await queryRows<{
    team_id: number;
    difficulties: string;
    proposals: string;
    updated_at: Date | string;
  }>(
    db,
    sql`select team_id, difficulties, proposals, updated_at from team_reports
        where quarter = ${quarter} and team_id in (${sql.join(
          teamIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  );
  return new Map(
    rows.map((r) => [
      r.team_id,
      {
        difficulties: r.difficulties,
        proposals: r.proposals,
        updatedAt: new Date(r.updated_at).toISOString(),
      },
    ]),
  );
}

/** "quý IV năm 2026": the label inside a sentence keeps its Roman numeral. */
function quarterInSentence(q: Quarter): string {
  return q.label.replace(/^Quý/, "quý");
}

function asOfFor(q: Quarter): Date {
  const end = vnMidnight(q.end);
  return end.getTime() < Date.now() ? end : new Date();
}

function totalOf(rows: ActivityRow[]): QuarterlyReport["total"] {
  const sum = (k: keyof QuarterlyReport["total"]) => rows.reduce((n, r) => n + r[k], 0);
  return {
    visits: sum("visits"),
    householdsVisited: sum("householdsVisited"),
    householdsFirstReached: sum("householdsFirstReached"),
    learners: sum("learners"),
    courseCertificates: sum("courseCertificates"),
    programmeCertificates: sum("programmeCertificates"),
    skillsAdded: sum("skillsAdded"),
    skillsWithdrawn: sum("skillsWithdrawn"),
  };
}

export async function getTeamQuarterlyReport(team: TeamInfo, quarter: Quarter): Promise<QuarterlyReport> {
  const asOf = asOfFor(quarter);
  const groups = sql`g.id = ${team.groupId}`;
  const [rows, extra, figures, teamNotes] = await Promise.all([
    activity(groups, quarter),
    breakdowns(groups, quarter),
    computeGroupFigures({ id: team.groupId, wardId: team.wardId }, { asOf }),
    notes([team.teamId], quarter.key),
  ]);
  const n = teamNotes.get(team.teamId);
  return {
    quarter,
    kind: "team",
    title: `Báo cáo ${quarterInSentence(quarter)} – ${team.teamName}`,
    wardId: team.wardId,
    wardName: team.wardName,
    asOf: asOf.toISOString(),
    running: asOf.getTime() < vnMidnight(quarter.end).getTime(),
    activity: rows,
    total: totalOf(rows),
    ...extra,
    figures,
    groupFigures: [],
    notes: [
      {
        teamId: team.teamId,
        teamName: team.teamName,
        difficulties: n?.difficulties ?? "",
        proposals: n?.proposals ?? "",
        updatedAt: n?.updatedAt ?? null,
      },
    ],
  };
}

export async function getWardQuarterlyReport(
  ward: { id: number; name: string },
  quarter: Quarter,
): Promise<QuarterlyReport> {
  const asOf = asOfFor(quarter);
  const groups = inWard(sql`g.ward_id`, ward.id);
  const [rows, extra, computed, retention] = await Promise.all([
    activity(groups, quarter),
    breakdowns(groups, quarter),
    computeWardFigures(ward.id, { asOf }),
    wardRetention({ wardId: ward.id, answeredBefore: asOf }),
  ]);
  const teamIds = rows.map((r) => r.teamId).filter((id): id is number => id !== null);
  const teamNotes = await notes(teamIds, quarter.key);
  return {
    quarter,
    kind: "ward",
    title: `Báo cáo ${quarterInSentence(quarter)} – ${ward.name}`,
    wardId: ward.id,
    wardName: ward.name,
    asOf: asOf.toISOString(),
    running: asOf.getTime() < vnMidnight(quarter.end).getTime(),
    activity: rows,
    total: totalOf(rows),
    ...extra,
    figures: computed.figures,
    retention,
    groupFigures: rows.map((r) => ({
      groupId: r.groupId,
      groupName: r.groupName,
      figures: computed.byGroup.get(r.groupId) ?? [],
    })),
    notes: rows
      .filter((r) => r.teamId !== null)
      .map((r) => {
        const n = teamNotes.get(r.teamId!);
        return {
          teamId: r.teamId!,
          teamName: r.teamName!,
          difficulties: n?.difficulties ?? "",
          proposals: n?.proposals ?? "",
          updatedAt: n?.updatedAt ?? null,
        };
      }),
  };
}

export async function saveTeamNotes(input: {
  teamId: number;
  quarter: Quarter;
  difficulties: string;
  proposals: string;
  actorUserId: number;
}): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into team_reports (team_id, quarter, difficulties, proposals, updated_by, updated_at)
      values (${input.teamId}::int, ${input.quarter.key}, ${input.difficulties}, ${input.proposals},
              ${input.actorUserId}::int, now())
      on conflict (team_id, quarter) do update set
        difficulties = excluded.difficulties, proposals = excluded.proposals,
        updated_by = excluded.updated_by, updated_at = now()
    `);
    await recordAudit(tx, {
      actorUserId: input.actorUserId,
      action: "team_report.updated",
      entity: "team",
      entityId: input.teamId,
      details: { quarter: input.quarter.key },
    });
  });
}

/**
 * Progress toward the plan's targets (a, b, c, d, đ, e, g, i, m), for the ward, each residential
 * group and each team (one team per group, so a team's figures are its group's; m counts its members).
 *
 * Every figure comes from one SQL builder, `targetEntities`: one row per person, household or
 * member counted by a target, with the moment they first met it (null while they have not). Then:
 *  - a group's page and its "still missing" lists run it live for that group (hundreds of rows);
 *  - the ward and city views read `target_group_stats` / `target_group_weeks`, a per-group summary
 *    recomputed a ward at a time (`refreshWardTargets`) — on first view, in the background when
 *    older than TARGETS_MAX_AGE_MINUTES, on the office's "update now", or by `npm run targets:refresh`.
 *    The other modules (courses, certificates, field work) never have to call us; the pages say
 *    when the figures were computed.
 *  - quarterly reports run it "as of" the quarter's end.
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb, queryRows, type DbOrTx } from "@db/client.server";
import { env } from "~/env.server";
import { currentYear, TIME_ZONE, vnDay, vnMidnight } from "~/format";
import { CORE_COURSE_IDS } from "~/vocabulary";
import {
  DEFAULT_TARGET_A_COURSES,
  TARGET_KEYS,
  makeFigure,
  recentQuarters,
  type DenominatorSource,
  type Quarter,
  type TargetFigure,
  type TargetKeyName,
} from "~/targets";
import { inWard, type WardInfo } from "~/access.server";
import { recordAudit } from "~/audit.server";
import { stagedTargetDeltas, targetChanges, targetCountsAt, targetDeltas } from "~/target-history.server";
import { logError } from "~/server/logging.mjs";
import { targetRefreshFailures, targetRefreshSeconds } from "~/metrics.server";

const REFRESH_LOCK = 727_002;
const HISTORY_LOCK = 727_003;

export interface EntityOptions {
  /** A condition on residential_groups aliased `g`: which groups to count. */
  groups: SQL;
  /** Ages are counted from this calendar year. */
  year: number;
  /** Courses target a asks of high-school students. */
  targetACourses: string[];
  /** Only these targets (all when omitted). */
  keys?: readonly TargetKeyName[];
}

function inList(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/**
 * One row per counted entity: (group_id, target_key, entity_id, at). `at` is when the entity
 * first met the target: the last certificate it needed, the skill's recording, the visit's day.
 */
export function targetEntities(opts: EntityOptions): SQL {
  const keys = new Set(opts.keys ?? TARGET_KEYS);
  const setA = [...new Set(opts.targetACourses)];
  const visitAt = (col: SQL) => sql`(${col}::timestamp at time zone ${sql.raw(`'${TIME_ZONE}'`)})`;
  const parts: SQL[] = [];
  if (keys.has("a"))
    parts.push(
      sql`select group_id, 'a'::text as target_key, resident_id as entity_id, a_at as at from rq where hs`,
    );
  if (keys.has("b"))
    parts.push(sql`select group_id, 'b'::text, resident_id, core_at from rq where age >= 18`);
  if (keys.has("c"))
    parts.push(sql`select group_id, 'c'::text, resident_id, bdhvs_at from rq where age >= 18`);
  if (keys.has("d")) parts.push(sql`select group_id, 'd'::text, resident_id, core_at from rq where ew`);
  if (keys.has("g"))
    parts.push(sql`select group_id, 'g'::text, resident_id, vneid_at from rq where age >= 16`);
  if (keys.has("dd"))
    parts.push(sql`select group_id, 'dd'::text, household_id, least(dsc_at, dsc_visit_at) from hq`);
  if (keys.has("e")) parts.push(sql`select group_id, 'e'::text, household_id, first_visit_at from hq`);
  if (keys.has("i")) parts.push(sql`select group_id, 'i'::text, household_id, i_at from hq`);
  if (keys.has("m")) parts.push(sql`select group_id, 'm'::text, member_id, m_at from mq`);
  return sql`
    with grp as materialized (
      select g.id as group_id from residential_groups g where ${opts.groups}
    ),
    hh as materialized (
      select h.id as household_id, h.group_id from households h where h.group_id in (select group_id from grp)
    ),
    rq as materialized (
      select r.id as resident_id, r.household_id, hh.group_id,
        ${opts.year}::int - r.birth_year as age,
        r.is_high_school_student as hs,
        r.is_enterprise_worker as ew,
        case when cert.n_a = ${setA.length}::int then cert.a_at end as a_at,
        case when cert.n_core = ${CORE_COURSE_IDS.length}::int then cert.core_at end as core_at,
        sk.vneid_at, sk.dvc_at, sk.dsc_at, sk.bdhvs_at
      from hh
      join residents r on r.household_id = hh.household_id
      left join users u on u.resident_id = r.id
      left join lateral (
        select
          count(*) filter (where c.course_key in (${inList(setA)})) as n_a,
          max(c.issued_at) filter (where c.course_key in (${inList(setA)})) as a_at,
          count(*) filter (where c.course_key in (${inList(CORE_COURSE_IDS)})) as n_core,
          max(c.issued_at) filter (where c.course_key in (${inList(CORE_COURSE_IDS)})) as core_at
        from certificates c
        where c.user_id = u.id and c.revoked_at is null
      ) cert on true
      left join lateral (
        select
          max(s.recorded_at) filter (where s.skill = 'vneid_installed') as vneid_at,
          max(s.recorded_at) filter (where s.skill = 'dvc_account') as dvc_at,
          max(s.recorded_at) filter (where s.skill = 'dsc_installed') as dsc_at,
          max(s.recorded_at) filter (where s.skill = 'bdhvs_confirmed') as bdhvs_at
        from resident_skills s
        where s.resident_id = r.id
      ) sk on true
    ),
    hq as (
      select hh.household_id, hh.group_id, rh.dsc_at, rh.i_at,
        ${visitAt(sql`vh.dsc_visit`)} as dsc_visit_at,
        ${visitAt(sql`vh.first_visit`)} as first_visit_at
      from hh
      left join (
        select household_id,
          min(dsc_at) as dsc_at,
          min(case when core_at is not null and vneid_at is not null and dvc_at is not null
                   then greatest(core_at, vneid_at, dvc_at) end) as i_at
        from rq group by household_id
      ) rh on rh.household_id = hh.household_id
      left join (
        select v.household_id,
          min(v.visited_on) as first_visit,
          min(v.visited_on) filter (where v.topics @> '["dsc"]'::jsonb) as dsc_visit
        from visits v
        where v.household_id in (select household_id from hh)
        group by v.household_id
      ) vh on vh.household_id = hh.household_id
    ),
    mq as (
      select t.group_id, tm.id as member_id, c.issued_at as m_at
      from teams t
      join team_members tm on tm.team_id = t.id and tm.ended_at is null
      left join certificates c
        on c.user_id = tm.user_id and c.course_key = 'programme' and c.revoked_at is null
      where t.group_id in (select group_id from grp)
    )
    select * from (${sql.join(parts, sql` union all `)}) as x(group_id, target_key, entity_id, at)
  `;
}

/**
 * A ward-sized query in a transaction of its own with JIT compilation off (it costs more than it saves here).
 */
async function withoutJit<T>(fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return fn(tx);
  });
}

const keysValues = sql.raw(`(values ${TARGET_KEYS.map((k) => `('${k}')`).join(", ")}) as k(target_key)`);

// ─── Settings ──────────────────────────────────────────────────────────────────

export async function getTargetACourses(wardId: number, db?: DbOrTx): Promise<string[]> {
  const conn = db ?? (await getDb());
  const [row] = await queryRows<{ courses: string[] }>(
    conn,
    sql`select target_a_courses as courses from target_settings where ward_id = ${wardId}`,
  );
  const chosen = (row?.courses ?? []).filter((c) => CORE_COURSE_IDS.includes(c));
  return chosen.length > 0 ? chosen : DEFAULT_TARGET_A_COURSES;
}

export async function setTargetACourses(input: {
  wardId: number;
  courses: string[];
  actorUserId: number;
}): Promise<void> {
  const db = await getDb();
  const courses = CORE_COURSE_IDS.filter((c) => input.courses.includes(c));
  if (courses.length === 0) throw new Error("target a needs at least one course");
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into target_settings (ward_id, target_a_courses, updated_by, updated_at)
      values (${input.wardId}::int, ${JSON.stringify(courses)}::jsonb, ${input.actorUserId}::int, now())
      on conflict (ward_id) do update set
        target_a_courses = excluded.target_a_courses, updated_by = excluded.updated_by, updated_at = now()
    `);
    await recordAudit(tx, {
      actorUserId: input.actorUserId,
      action: "targets.settings_changed",
      entity: "ward",
      entityId: input.wardId,
      details: { targetACourses: courses },
    });
  });
  await refreshWard(input.wardId);
}

// ─── Summary refresh ───────────────────────────────────────────────────────────

export interface RefreshResult {
  wardId: number;
  refreshed: boolean;
  durationMs: number;
}

/** Whether to wait for another instance's refresh of the same ward, or skip the ward (`wait: false`). */
async function lockWard(tx: DbOrTx, lock: number, wardId: number, wait: boolean): Promise<boolean> {
  if (wait) {
    await tx.execute(sql`select pg_advisory_xact_lock(${lock}, ${wardId})`);
    return true;
  }
  const [row] = await queryRows<{ ok: boolean }>(
    tx,
    sql`select pg_try_advisory_xact_lock(${lock}, ${wardId}) as ok`,
  );
  return row?.ok ?? false;
}

/**
 * One part of a ward's figures recomputed in one transaction, so readers see either the old rows or
 * the new ones. `wait: false` skips the ward when another instance is already computing that part.
 */
async function refreshPart(
  wardId: number,
  part: "summary" | "history",
  wait: boolean,
  compute: (tx: DbOrTx, targetACourses: string[], started: number) => Promise<void>,
): Promise<RefreshResult> {
  const db = await getDb();
  const started = Date.now();
  const refreshed = await db.transaction(async (tx) => {
    // The plan's cost crosses PostgreSQL's JIT threshold, and compiling costs more than it saves here.
    await tx.execute(sql`set local jit = off`);
    if (!(await lockWard(tx, part === "summary" ? REFRESH_LOCK : HISTORY_LOCK, wardId, wait))) return false;
    await compute(tx, await getTargetACourses(wardId, tx), started);
    return true;
  });
  if (refreshed) {
    const trigger = wait ? "direct" : "background";
    targetRefreshSeconds.observe(
      { trigger: part === "summary" ? trigger : `history_${trigger}` },
      (Date.now() - started) / 1000,
    );
  }
  return { wardId, refreshed, durationMs: Date.now() - started };
}

/** Recomputes one ward's summary: the figures now, per group and target (`target_group_stats`). */
export function refreshWardTargets(
  wardId: number,
  options: { wait?: boolean; year?: number } = {},
): Promise<RefreshResult> {
  const year = options.year ?? currentYear();
  return refreshPart(wardId, "summary", options.wait !== false, async (tx, targetACourses, started) => {
    await tx.execute(sql`delete from target_group_stats where ward_id = ${wardId}`);
    const entities = targetEntities({ groups: inWard(sql`g.ward_id`, wardId), year, targetACourses });
    await tx.execute(sql`
      with e as (${entities}),
      counts as (
        select group_id, target_key, count(*)::int as roster, count(at)::int as reached
        from e group by group_id, target_key
      )
      insert into target_group_stats (ward_id, group_id, target_key, roster_denominator, numerator)
      select ${wardId}::int, g.id, k.target_key, coalesce(c.roster, 0), coalesce(c.reached, 0)
      from residential_groups g cross join ${keysValues}
      left join counts c on c.group_id = g.id and c.target_key = k.target_key
      where ${inWard(sql`g.ward_id`, wardId)}
    `);
    await tx.execute(sql`
      insert into target_refreshes (ward_id, refreshed_at, duration_ms)
      values (${wardId}::int, now(), ${Date.now() - started}::int)
      on conflict (ward_id) do update set
        refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms
    `);
  });
}

/**
 * Recomputes one ward's history: each group and target's changes per week and per quarter
 * (`target_group_weeks`), from `target-history.server.ts`. Apart from the summary and less often
 * (TARGETS_HISTORY_MAX_AGE_MINUTES): it reads every checklist record of the ward, a few times the
 * summary's work, and the current week's figure on the page is the summary's.
 */
export function refreshWardHistory(wardId: number, options: { wait?: boolean } = {}): Promise<RefreshResult> {
  return refreshPart(wardId, "history", options.wait !== false, async (tx, targetACourses, started) => {
    await tx.execute(sql`delete from target_group_weeks where ward_id = ${wardId}`);
    const changes = targetChanges(
      await stagedTargetDeltas(tx, { groups: inWard(sql`g.ward_id`, wardId), targetACourses }),
      { since: vnMidnight(historyHorizon()) },
    );
    await tx.execute(sql`
      insert into target_group_weeks (ward_id, group_id, target_key, period, week_start, reached, denominator)
      select ${wardId}::int, group_id, target_key, period, start, reached, denominator from (${changes}) c
    `);
    // A ward's history is only read once it has a summary (see ensureWardSummary).
    await tx.execute(sql`
      update target_refreshes
      set history_refreshed_at = now(), history_duration_ms = ${Date.now() - started}::int
      where ward_id = ${wardId}
    `);
  });
}

/** The summary, then the history: what "update now", a settings change and `npm run targets:refresh` do. */
export async function refreshWard(
  wardId: number,
  options: { year?: number } = {},
): Promise<{ summary: RefreshResult; history: RefreshResult }> {
  const summary = await refreshWardTargets(wardId, options);
  const history = await refreshWardHistory(wardId);
  return { summary, history };
}

/** Every ward, one after the other (a ward at a time keeps each transaction short). */
export async function refreshAllWards(
  onWard?: (r: { summary: RefreshResult; history: RefreshResult }) => void,
): Promise<{ summary: RefreshResult; history: RefreshResult }[]> {
  const db = await getDb();
  const wards = await queryRows<{ id: number }>(db, sql`select id from wards order by id`);
  const results: { summary: RefreshResult; history: RefreshResult }[] = [];
  for (const w of wards) {
    const r = await refreshWard(w.id);
    results.push(r);
    onWard?.(r);
  }
  return results;
}

/**
 * Background refreshes wait in one queue per instance and run one at a time, so a burst of
 * visits to stale wards never runs many ward computations at once.
 */
type Job = `${"summary" | "history"}:${number}`;
const queued = new Set<Job>();
let worker: Promise<void> | undefined;

function refreshInBackground(jobs: Job[]): void {
  for (const job of jobs) queued.add(job);
  worker ??= (async () => {
    while (queued.size > 0) {
      const job: Job = queued.values().next().value!;
      queued.delete(job);
      const [part, id] = job.split(":") as ["summary" | "history", string];
      const wardId = Number(id);
      try {
        if (part === "summary") await refreshWardTargets(wardId, { wait: false });
        else await refreshWardHistory(wardId, { wait: false });
      } catch (error) {
        targetRefreshFailures.inc();
        logError(`refreshing a ward's ${part} failed`, error, { wardId });
      }
    }
  })().finally(() => {
    worker = undefined;
  });
}

/** At shutdown: drop the queued wards and wait for the one being computed. */
export async function stopBackgroundRefresh(): Promise<void> {
  queued.clear();
  await worker;
}

export interface Freshness {
  refreshedAt: string;
  durationMs: number;
  /** A newer computation has started and will show on the next visit. */
  refreshing: boolean;
}

/** First computations in flight, by ward and part: the dashboard and its charts ask at the same time. */
const firstComputations = new Map<Job, Promise<RefreshResult>>();

function computeFirstTime(job: Job, compute: () => Promise<RefreshResult>): Promise<RefreshResult> {
  let running = firstComputations.get(job);
  if (!running) {
    running = compute().finally(() => firstComputations.delete(job));
    firstComputations.set(job, running);
  }
  return running;
}

type RefreshRow = {
  refreshed_at: Date | string;
  duration_ms: number;
  history_refreshed_at: Date | string | null;
};

async function refreshRow(wardId: number): Promise<RefreshRow | undefined> {
  const db = await getDb();
  const [row] = await queryRows<RefreshRow>(
    db,
    sql`select refreshed_at, duration_ms, history_refreshed_at from target_refreshes
        where ward_id = ${wardId}`,
  );
  return row;
}

const isOlderThan = (at: Date | string, minutes: number) =>
  Date.now() - new Date(at).getTime() > minutes * 60_000;

/** The ward's summary time; computes it first when there is none, refreshes it behind when old. */
async function ensureWardSummary(wardId: number): Promise<Freshness & { historyAt: string | null }> {
  let row = await refreshRow(wardId);
  if (!row) {
    await computeFirstTime(`summary:${wardId}`, () => refreshWardTargets(wardId));
    row = (await refreshRow(wardId))!;
  }
  const stale: Job[] = [];
  if (isOlderThan(row.refreshed_at, env.TARGETS_MAX_AGE_MINUTES)) stale.push(`summary:${wardId}`);
  if (row.history_refreshed_at && isOlderThan(row.history_refreshed_at, env.TARGETS_HISTORY_MAX_AGE_MINUTES))
    stale.push(`history:${wardId}`);
  if (stale.length > 0) refreshInBackground(stale);
  return {
    refreshedAt: new Date(row.refreshed_at).toISOString(),
    durationMs: row.duration_ms,
    refreshing: stale.includes(`summary:${wardId}`),
    historyAt: row.history_refreshed_at ? new Date(row.history_refreshed_at).toISOString() : null,
  };
}

/**
 * The ward's history: computed first when there is none (so the first view shows its weeks),
 * refreshed behind when old.
 */
async function ensureWardHistory(wardId: number): Promise<string> {
  const { historyAt } = await ensureWardSummary(wardId);
  if (historyAt) return historyAt;
  await computeFirstTime(`history:${wardId}`, () => refreshWardHistory(wardId));
  return new Date((await refreshRow(wardId))!.history_refreshed_at!).toISOString();
}

// ─── Readers ───────────────────────────────────────────────────────────────────

export interface GroupRow {
  groupId: number;
  code: string;
  name: string;
  teamId: number | null;
  teamName: string | null;
  figures: TargetFigure[];
}

interface FigurePart {
  key: TargetKeyName;
  numerator: number;
  roster: number;
  denominator: number;
  official: boolean;
  /** Some of this part's denominator is official, some the roster's (a ward in the city total). */
  mixed?: boolean;
}

/**
 * Totals over groups (or wards). A group whose official denominator is below what it has already
 * reached adds no more than its denominator, so it cannot lift the others' rate.
 */
function sumFigures(rows: FigurePart[]): TargetFigure[] {
  return TARGET_KEYS.map((key) => {
    const mine = rows.filter((r) => r.key === key);
    const numerator = mine.reduce(
      (n, r) => n + (r.official ? Math.min(r.numerator, r.denominator) : r.numerator),
      0,
    );
    const roster = mine.reduce((n, r) => n + r.roster, 0);
    const denominator = mine.reduce((n, r) => n + r.denominator, 0);
    const officials = mine.filter((r) => r.official && !r.mixed).length;
    const partly = mine.some((r) => r.mixed);
    const source: DenominatorSource =
      officials === 0 && !partly ? "roster" : officials === mine.length ? "official" : "mixed";
    const figure = makeFigure(key, numerator, roster, source === "roster" ? null : denominator, source);
    const capped = mine.filter((r) => r.official && r.numerator > r.denominator).length;
    return capped > 0 ? { ...figure, cappedGroups: capped } : figure;
  });
}

export interface WardDashboard {
  ward: WardInfo;
  freshness: Freshness;
  figures: TargetFigure[];
  groups: GroupRow[];
  targetACourses: string[];
}

type StatsRow = {
  group_id: number;
  code: string;
  name: string;
  team_id: number | null;
  team_name: string | null;
  target_key: string | null;
  roster: number | null;
  numerator: number | null;
  official: number | null;
};

/** The ward's summary per group and target, with each group's team and official denominators. */
async function wardStats(wardId: number): Promise<StatsRow[]> {
  return queryRows<StatsRow>(
    await getDb(),
    sql`select g.id as group_id, g.code, g.name, t.id as team_id, t.name as team_name,
               s.target_key, s.roster_denominator as roster, s.numerator, d.value as official
        from residential_groups g
        left join teams t on t.group_id = g.id
        left join target_group_stats s on s.group_id = g.id
        left join target_denominators d on d.group_id = g.id and d.target_key = s.target_key
        where ${inWard(sql`g.ward_id`, wardId)}
        order by g.code, g.id`,
  );
}

function dashboardFrom(
  ward: WardInfo,
  freshness: Freshness,
  rows: StatsRow[],
  targetACourses: string[],
): WardDashboard {
  const groups = new Map<
    number,
    GroupRow & { raw: Map<string, { roster: number; numerator: number; official: number | null }> }
  >();
  for (const r of rows) {
    let g = groups.get(r.group_id);
    if (!g) {
      g = {
        groupId: r.group_id,
        code: r.code,
        name: r.name,
        teamId: r.team_id,
        teamName: r.team_name,
        figures: [],
        raw: new Map(),
      };
      groups.set(r.group_id, g);
    }
    if (r.target_key)
      g.raw.set(r.target_key, { roster: r.roster ?? 0, numerator: r.numerator ?? 0, official: r.official });
  }
  const all: FigurePart[] = [];
  const list: GroupRow[] = [];
  for (const g of groups.values()) {
    const figures = TARGET_KEYS.map((key) => {
      const v = g.raw.get(key) ?? { roster: 0, numerator: 0, official: null };
      all.push({
        key,
        numerator: v.numerator,
        roster: v.roster,
        denominator: v.official ?? v.roster,
        official: v.official !== null,
      });
      return makeFigure(key, v.numerator, v.roster, v.official);
    });
    list.push({
      groupId: g.groupId,
      code: g.code,
      name: g.name,
      teamId: g.teamId,
      teamName: g.teamName,
      figures,
    });
  }
  return { ward, freshness, figures: sumFigures(all), groups: list, targetACourses };
}

export async function getWardDashboard(ward: WardInfo): Promise<WardDashboard> {
  const { historyAt: _, ...freshness } = await ensureWardSummary(ward.id);
  const [rows, targetACourses] = await Promise.all([wardStats(ward.id), getTargetACourses(ward.id)]);
  return dashboardFrom(ward, freshness, rows, targetACourses);
}

/**
 * The ward dashboard and its charts in one round of queries (the office's ward page): the summary,
 * the chosen target's weeks and every target's quarters.
 */
export async function getWardPage(
  ward: WardInfo,
  weekKey: TargetKeyName,
): Promise<{ dashboard: WardDashboard; charts: WardCharts }> {
  const { historyAt, ...freshness } = await ensureWardSummary(ward.id);
  const version = historyAt ?? (await ensureWardHistory(ward.id));
  const window = chartWindow({});
  const [rows, targetACourses, weekRows, quarterRows] = await Promise.all([
    wardStats(ward.id),
    getTargetACourses(ward.id),
    readWeeks(ward.id, weekKey, window, version),
    readQuarters(ward.id, window, version),
  ]);
  const summary = summaryFrom(rows);
  return {
    dashboard: dashboardFrom(ward, freshness, rows, targetACourses),
    charts: {
      weekly: weeklyFrom(summary, weekRows, weekKey, window),
      quarterly: quarterlyFrom(summary, quarterRows, window),
    },
  };
}

export interface WeekPoint {
  /** The period's first day (a Monday, or a quarter's first day), Vietnam time. */
  weekStart: string;
  /** Met at the end of that period. */
  reached: number;
  /** Counted at the end of that period (the official figure where the office entered one). */
  denominator: number;
}

type ChangeRow = {
  group_id: number;
  start: string;
  reached: number;
  denominator: number;
};

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Monday of this week, Vietnam time. */
function currentWeekStart(now = new Date()): string {
  const today = vnDay(now);
  const dow = new Date(`${today}T00:00:00Z`).getUTCDay();
  return addDays(today, -((dow + 6) % 7));
}

/**
 * The figures at the end of each period, from the net changes of each group: a group's reached
 * count is capped at its official denominator, as in the totals.
 */
type GroupCount = { reached: number; roster: number };

/**
 * The figure at the end of each period, summed over groups (an official denominator caps what its
 * group adds), from `rows` sorted by start (as every reader returns them). With `now`, the last
 * period (the current one) takes the summary's figures, so the chart ends where the dashboard's
 * headline stands even while the history waits for its refresh.
 */
function pointsFrom(
  rows: ChangeRow[],
  periods: string[],
  officials: Map<number, number>,
  now?: Map<number, GroupCount>,
): WeekPoint[] {
  const groups = new Map<number, GroupCount>();
  for (const r of rows) groups.set(r.group_id, { reached: 0, roster: 0 });
  let i = 0;
  const total = (counts: Map<number, GroupCount>): { reached: number; denominator: number } => {
    let reached = 0;
    let denominator = 0;
    for (const [groupId, g] of counts) {
      const official = officials.get(groupId);
      reached += official === undefined ? g.reached : Math.min(g.reached, official);
      denominator += official ?? g.roster;
    }
    return { reached, denominator };
  };
  return periods.map((period, index) => {
    while (i < rows.length && rows[i]!.start <= period) {
      const r = rows[i++]!;
      const g = groups.get(r.group_id)!;
      g.reached += Number(r.reached);
      g.roster += Number(r.denominator);
    }
    const last = now && index === periods.length - 1;
    return { weekStart: period, ...total(last ? now : groups) };
  });
}

/**
 * The stored history keeps the weeks and quarters from the first day of the quarter three years
 * back; what changed before it is folded into one row per group and target (`targetChanges`).
 * Reports of older quarters compute their figures live.
 */
const HISTORY_QUARTERS = 13;

function historyHorizon(now = new Date()): string {
  return recentQuarters(now, HISTORY_QUARTERS).at(-1)!.start;
}

/** The first Monday on or after `day`. */
function mondayFrom(day: string): string {
  return addDays(day, (8 - new Date(`${day}T00:00:00Z`).getUTCDay()) % 7);
}

/**
 * The last `weeks` weeks up to this one, starting no earlier than the first week anyone met the
 * target ('-infinity' when it was met before the stored history's horizon), nor than `floor`.
 */
function weekPeriods(rows: ChangeRow[], weeks: number, floor?: string): string[] {
  const firstMet = rows
    .filter((r) => Number(r.reached) !== 0)
    .map((r) => r.start)
    .sort()[0];
  if (!firstMet) return [];
  const last = currentWeekStart();
  let first = addDays(last, -7 * (weeks - 1));
  if (floor && floor > first) first = floor;
  if (firstMet > first) first = firstMet;
  const periods: string[] = [];
  for (let w = first; w <= last; w = addDays(w, 7)) periods.push(w);
  return periods;
}

async function officialsFor(groups: SQL, key: TargetKeyName): Promise<Map<number, number>> {
  const db = await getDb();
  const rows = await queryRows<{ group_id: number; value: number }>(
    db,
    sql`select d.group_id, d.value from target_denominators d join residential_groups g on g.id = d.group_id
        where ${groups} and d.target_key = ${key}`,
  );
  return new Map(rows.map((r) => [r.group_id, r.value]));
}

export interface QuarterSeries {
  quarters: Quarter[];
  /** Per target, the figure at the end of each quarter (now for the current one). */
  byTarget: Record<TargetKeyName, WeekPoint[]>;
}

export interface WardCharts {
  /** The chosen target's figure at the end of each of the last weeks (this week's is the summary's). */
  weekly: WeekPoint[];
  /** Every target at the end of each of the last quarters, oldest first (this quarter's is the summary's). */
  quarterly: QuarterSeries;
}

/**
 * A ward's weekly figures for one target from its stored history, each week against its own
 * denominator (this week's is the summary's). The weeks before the window are read as one row per
 * group, counted into its first. Waits for the ward's first history when there is none yet.
 */
export async function getWardWeekly(wardId: number, key: TargetKeyName, weeks = 26): Promise<WeekPoint[]> {
  const version = await ensureWardHistory(wardId);
  const window = chartWindow({ weeks });
  const [rows, weekRows] = await Promise.all([wardStats(wardId), readWeeks(wardId, key, window, version)]);
  return weeklyFrom(summaryFrom(rows), weekRows, key, window);
}

/** Every target at the end of each of the last `count` quarters, the same way (see getWardWeekly). */
export async function getWardQuarterly(wardId: number, count = 6): Promise<QuarterSeries> {
  const version = await ensureWardHistory(wardId);
  const window = chartWindow({ quarters: count });
  const [rows, quarterRows] = await Promise.all([wardStats(wardId), readQuarters(wardId, window, version)]);
  return quarterlyFrom(summaryFrom(rows), quarterRows, window);
}

interface ChartWindow {
  weeks: number;
  firstWeek: string;
  quarters: Quarter[];
}

function chartWindow(options: { weeks?: number; quarters?: number }): ChartWindow {
  const weeks = options.weeks ?? 26;
  const fromWeeks = addDays(currentWeekStart(), -7 * (weeks - 1));
  const horizon = mondayFrom(historyHorizon());
  const quarters = recentQuarters(new Date(), Math.min(options.quarters ?? 6, HISTORY_QUARTERS)).reverse();
  return { weeks, firstWeek: horizon > fromWeeks ? horizon : fromWeeks, quarters };
}

type QuarterRow = ChangeRow & { target_key: string };

/** `rows` sorted by start, as pointsFrom reads them ('-infinity' first). */
function byStart<T extends ChangeRow>(rows: T[]): T[] {
  return rows.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
}

/** Rows by target, each list sorted by start (as pointsFrom reads them). */
type RowsByTarget = Map<string, ChangeRow[]>;

/**
 * What each instance last read of a ward's stored history, by ward, period, target and window, and
 * the time of the history's refresh it read: the history changes only when it is refreshed
 * (hourly), while a busy office reloads its dashboard every few seconds.
 */
const historyCache = new Map<string, { version: string; rows: Promise<unknown> }>();
const HISTORY_CACHE_SIZE = 500;

function cachedHistory<T>(key: string, version: string, query: () => Promise<T>): Promise<T> {
  const cached = historyCache.get(key);
  if (cached?.version === version) return cached.rows as Promise<T>;
  const rows = query().catch((error: unknown) => {
    historyCache.delete(key);
    throw error;
  });
  historyCache.delete(key);
  if (historyCache.size >= HISTORY_CACHE_SIZE) historyCache.delete(historyCache.keys().next().value!);
  historyCache.set(key, { version, rows });
  return rows;
}

/** One target's stored weeks from the window's first (version: the history's refresh time). */
function readWeeks(
  wardId: number,
  key: TargetKeyName,
  window: ChartWindow,
  version: string,
): Promise<ChangeRow[]> {
  return cachedHistory(`${wardId}:week:${key}:${window.firstWeek}`, version, async () =>
    byStart(
      await queryRows<ChangeRow>(
        await getDb(),
        sql`select group_id, greatest(week_start, ${window.firstWeek}::date)::text as start,
              sum(reached)::int as reached, sum(denominator)::int as denominator
            from target_group_weeks
            where ward_id = ${wardId} and period = 'week' and target_key = ${key}
            group by group_id, 2`,
      ),
    ),
  );
}

/** Every target's stored quarters from the window's first (version: the history's refresh time). */
function readQuarters(wardId: number, window: ChartWindow, version: string): Promise<RowsByTarget> {
  const first = window.quarters[0]!.start;
  return cachedHistory(`${wardId}:quarter:${first}`, version, async () => {
    const rows = await queryRows<QuarterRow>(
      await getDb(),
      sql`select group_id, target_key, greatest(week_start, ${first}::date)::text as start,
            sum(reached)::int as reached, sum(denominator)::int as denominator
          from target_group_weeks
          where ward_id = ${wardId} and period = 'quarter'
          group by group_id, target_key, 3`,
    );
    const byTarget: RowsByTarget = new Map();
    for (const r of byStart(rows)) {
      const list = byTarget.get(r.target_key);
      if (list) list.push(r);
      else byTarget.set(r.target_key, [r]);
    }
    return byTarget;
  });
}

/** Each group's official denominators and its figures now, by target, from the summary's rows. */
interface SummaryMaps {
  officials: Map<string, Map<number, number>>;
  now: Map<string, Map<number, GroupCount>>;
}

function summaryFrom(stats: StatsRow[]): SummaryMaps {
  const officials = new Map<string, Map<number, number>>();
  const now = new Map<string, Map<number, GroupCount>>();
  for (const r of stats) {
    if (!r.target_key) continue;
    if (!now.has(r.target_key)) {
      now.set(r.target_key, new Map());
      officials.set(r.target_key, new Map());
    }
    now.get(r.target_key)!.set(r.group_id, { reached: r.numerator ?? 0, roster: r.roster ?? 0 });
    if (r.official !== null) officials.get(r.target_key)!.set(r.group_id, r.official);
  }
  return { officials, now };
}

function weeklyFrom(
  { officials, now }: SummaryMaps,
  weekRows: ChangeRow[],
  key: TargetKeyName,
  window: ChartWindow,
): WeekPoint[] {
  return pointsFrom(
    weekRows,
    weekPeriods(weekRows, window.weeks, window.firstWeek),
    officials.get(key) ?? new Map(),
    now.get(key) ?? new Map(),
  );
}

function quarterlyFrom(
  { officials, now }: SummaryMaps,
  quarterRows: RowsByTarget,
  window: ChartWindow,
): QuarterSeries {
  const byTarget = {} as Record<TargetKeyName, WeekPoint[]>;
  for (const key of TARGET_KEYS) {
    byTarget[key] = pointsFrom(
      quarterRows.get(key) ?? [],
      window.quarters.map((q) => q.start),
      officials.get(key) ?? new Map(),
      now.get(key) ?? new Map(),
    );
  }
  return { quarters: window.quarters, byTarget };
}

export interface CityRow {
  wardId: number;
  code: string;
  name: string;
  refreshedAt: string | null;
  figures: TargetFigure[];
}

export interface CityView {
  wards: CityRow[];
  figures: TargetFigure[];
  oldestRefresh: string | null;
  missingWards: number;
}

export async function getCityView(): Promise<CityView> {
  const db = await getDb();
  const [wards, rows] = await Promise.all([
    queryRows<{ id: number; code: string; name: string; refreshed_at: Date | string | null }>(
      db,
      sql`select w.id, w.code, w.name, r.refreshed_at
          from wards w left join target_refreshes r on r.ward_id = w.id order by w.name, w.id`,
    ),
    queryRows<{
      ward_id: number;
      target_key: string;
      numerator: number;
      roster: number;
      denominator: number;
      officials: number;
      n: number;
    }>(
      db,
      sql`select s.ward_id, s.target_key,
                 sum(case when d.value is null then s.numerator
                          else least(s.numerator, d.value) end)::int as numerator,
                 sum(s.roster_denominator)::int as roster,
                 sum(coalesce(d.value, s.roster_denominator))::int as denominator,
                 count(d.value)::int as officials, count(*)::int as n
          from target_group_stats s
          left join target_denominators d on d.group_id = s.group_id and d.target_key = s.target_key
          group by s.ward_id, s.target_key`,
    ),
  ]);
  const byWard = new Map<number, typeof rows>();
  for (const r of rows) {
    const list = byWard.get(r.ward_id) ?? [];
    list.push(r);
    byWard.set(r.ward_id, list);
  }
  const all: FigurePart[] = [];
  const list: CityRow[] = wards.map((w) => {
    const mine = byWard.get(w.id) ?? [];
    const figures = TARGET_KEYS.map((key) => {
      const r = mine.find((x) => x.target_key === key);
      const numerator = r?.numerator ?? 0;
      const roster = r?.roster ?? 0;
      const denominator = r?.denominator ?? 0;
      const source: DenominatorSource =
        !r || r.officials === 0 ? "roster" : r.officials === r.n ? "official" : "mixed";
      all.push({
        key,
        numerator,
        roster,
        denominator,
        official: source !== "roster",
        mixed: source === "mixed",
      });
      return makeFigure(key, numerator, roster, source === "roster" ? null : denominator, source);
    });
    return {
      wardId: w.id,
      code: w.code,
      name: w.name,
      refreshedAt: w.refreshed_at ? new Date(w.refreshed_at).toISOString() : null,
      figures,
    };
  });
  const stale = list
    .filter((w) => !w.refreshedAt || isOlderThan(w.refreshedAt, env.TARGETS_MAX_AGE_MINUTES))
    .sort((x, y) => (x.refreshedAt ?? "").localeCompare(y.refreshedAt ?? ""))
    .map((w): Job => `summary:${w.wardId}`);
  refreshInBackground(stale);
  const times = list
    .map((w) => w.refreshedAt)
    .filter((t): t is string => !!t)
    .sort();
  return {
    wards: list,
    figures: sumFigures(all),
    oldestRefresh: times[0] ?? null,
    missingWards: list.filter((w) => !w.refreshedAt).length,
  };
}

// ─── One group, live ───────────────────────────────────────────────────────────

async function officialDenominators(groupId: number): Promise<Map<string, number>> {
  const db = await getDb();
  const rows = await queryRows<{ target_key: string; value: number }>(
    db,
    sql`select target_key, value from target_denominators where group_id = ${groupId}`,
  );
  return new Map(rows.map((r) => [r.target_key, r.value]));
}

/**
 * A group's (and its team's) figures computed now from the event tables.
 * `asOf` counts only what was met before it.
 */
export async function computeGroupFigures(
  group: { id: number; wardId: number },
  options: { year?: number; asOf?: Date } = {},
): Promise<TargetFigure[]> {
  const db = await getDb();
  const [targetACourses, officials] = await Promise.all([
    getTargetACourses(group.wardId),
    officialDenominators(group.id),
  ]);
  const groups = sql`g.id = ${group.id}`;
  // As of a past moment: who was counted and who met it then (ages by that year, skills since withdrawn, …).
  const query = options.asOf
    ? targetCountsAt(targetDeltas({ groups, targetACourses }), options.asOf)
    : sql`select target_key, count(*)::int as roster, count(at)::int as reached
          from (${targetEntities({ groups, year: options.year ?? currentYear(), targetACourses })}) e
          group by target_key`;
  const rows = await queryRows<{ target_key: string; roster: number; reached: number }>(db, query);
  return TARGET_KEYS.map((key) => {
    const r = rows.find((x) => x.target_key === key);
    return makeFigure(key, r?.reached ?? 0, r?.roster ?? 0, officials.get(key) ?? null);
  });
}

/** The ward's figures computed now (or as of a moment) over all its groups; for reports and tests. */
export async function computeWardFigures(
  wardId: number,
  options: { year?: number; asOf?: Date } = {},
): Promise<{
  figures: TargetFigure[];
  byGroup: Map<number, TargetFigure[]>;
}> {
  const db = await getDb();
  const [targetACourses, officials] = await Promise.all([
    getTargetACourses(wardId),
    queryRows<{ group_id: number; target_key: string; value: number }>(
      db,
      sql`select d.group_id, d.target_key, d.value
          from target_denominators d join residential_groups g on g.id = d.group_id
          where ${inWard(sql`g.ward_id`, wardId)}`,
    ),
  ]);
  const groups = inWard(sql`g.ward_id`, wardId);
  const counts = options.asOf
    ? targetCountsAt(targetDeltas({ groups, targetACourses }), options.asOf)
    : sql`select group_id, target_key, count(*) as roster, count(at) as reached
          from (${targetEntities({ groups, year: options.year ?? currentYear(), targetACourses })}) e
          group by group_id, target_key`;
  const rows = await withoutJit((tx) =>
    queryRows<{ group_id: number; target_key: string; roster: number; reached: number }>(
      tx,
      sql`select g.id as group_id, k.target_key,
                 coalesce(c.roster, 0)::int as roster, coalesce(c.reached, 0)::int as reached
        from residential_groups g cross join ${keysValues}
        left join (${counts}) c on c.group_id = g.id and c.target_key = k.target_key
        where ${inWard(sql`g.ward_id`, wardId)}`,
    ),
  );
  const official = new Map(officials.map((o) => [`${o.group_id}:${o.target_key}`, o.value]));
  const byGroup = new Map<number, TargetFigure[]>();
  const all: FigurePart[] = [];
  for (const r of rows) {
    const key = r.target_key as TargetKeyName;
    const o = official.get(`${r.group_id}:${key}`) ?? null;
    const list = byGroup.get(r.group_id) ?? [];
    list.push(makeFigure(key, r.reached, r.roster, o));
    byGroup.set(r.group_id, list);
    all.push({
      key,
      numerator: r.reached,
      roster: r.roster,
      denominator: o ?? r.roster,
      official: o !== null,
    });
  }
  for (const [id, list] of byGroup)
    byGroup.set(
      id,
      TARGET_KEYS.map((k) => list.find((f) => f.key === k)!),
    );
  return { figures: sumFigures(all), byGroup };
}

/**
 * One group's weekly figures for one target, each week against its own denominator: the weeks
 * before this one from the ward's stored history (what the ward's chart reads, cached by the
 * history's refresh time), this week's from the group's live figures (`figures`, computed when not
 * given). Before the ward has any stored history, every week is computed live.
 */
export async function getGroupWeekly(
  group: { id: number; wardId: number },
  key: TargetKeyName,
  weeks = 26,
  figures?: TargetFigure[] | Promise<TargetFigure[]>,
): Promise<WeekPoint[]> {
  const historyAt = (await refreshRow(group.wardId))?.history_refreshed_at;
  if (!historyAt) return liveGroupWeekly(group, key, weeks);
  if (isOlderThan(historyAt, env.TARGETS_HISTORY_MAX_AGE_MINUTES))
    refreshInBackground([`history:${group.wardId}`]);
  const window = chartWindow({ weeks });
  const [wardRows, current] = await Promise.all([
    readWeeks(group.wardId, key, window, new Date(historyAt).toISOString()),
    figures ?? computeGroupFigures(group),
  ]);
  const rows = wardRows.filter((r) => r.group_id === group.id);
  const figure = current.find((f) => f.key === key)!;
  let periods = weekPeriods(rows, window.weeks, window.firstWeek);
  // Met for the first time this week: the stored history has no week yet, the live figure has.
  if (periods.length === 0 && figure.numerator > 0) periods = [currentWeekStart()];
  return pointsFrom(
    rows,
    periods,
    new Map(figure.source === "official" ? [[group.id, figure.denominator]] : []),
    new Map([[group.id, { reached: figure.numerator, roster: figure.rosterDenominator }]]),
  );
}

/** One group's weekly figures computed live from the event tables (before the ward's first history). */
async function liveGroupWeekly(
  group: { id: number; wardId: number },
  key: TargetKeyName,
  weeks: number,
): Promise<WeekPoint[]> {
  const db = await getDb();
  const targetACourses = await getTargetACourses(group.wardId);
  const changes = targetChanges(
    targetDeltas({ groups: sql`g.id = ${group.id}`, targetACourses, keys: [key] }),
    { periods: ["week"] },
  );
  const [rows, officials] = await Promise.all([
    queryRows<ChangeRow>(
      db,
      sql`select group_id, start::text as start, reached, denominator from (${changes}) c
          where period = 'week'`,
    ),
    officialsFor(sql`g.id = ${group.id}`, key),
  ]);
  return pointsFrom(byStart(rows), weekPeriods(rows, weeks), officials);
}

// ─── Who is still missing ──────────────────────────────────────────────────────

export const priorityKeys = ["elderly", "poor", "near_poor", "freelance", "trader"] as const;
export type PriorityKey = (typeof priorityKeys)[number];

export interface MissingPerson {
  kind: "person";
  residentId: number;
  fullName: string;
  birthYear: number;
  householdCode: string;
  address: string;
  assignedTo: string | null;
  priorities: PriorityKey[];
}

export interface MissingHousehold {
  kind: "household";
  householdId: number;
  householdCode: string;
  address: string;
  people: number;
  assignedTo: string | null;
  priorities: PriorityKey[];
}

export interface MissingMember {
  kind: "member";
  memberId: number;
  displayName: string;
  role: "member" | "leader";
  affiliation: string | null;
  priorities: PriorityKey[];
}

export type MissingEntry = MissingPerson | MissingHousehold | MissingMember;

function prioritiesOf(flags: {
  elderly?: boolean;
  poverty?: string;
  freelance?: boolean;
  trader?: boolean;
}): PriorityKey[] {
  const out: PriorityKey[] = [];
  if (flags.elderly) out.push("elderly");
  if (flags.poverty === "poor") out.push("poor");
  if (flags.poverty === "near_poor") out.push("near_poor");
  if (flags.freelance) out.push("freelance");
  if (flags.trader) out.push("trader");
  return out;
}

/** Everyone a target still counts as missing in one group, priority groups flagged. */
export async function listMissing(
  group: { id: number; wardId: number },
  key: TargetKeyName,
  year = currentYear(),
): Promise<MissingEntry[]> {
  const db = await getDb();
  const targetACourses = await getTargetACourses(group.wardId);
  const entities = targetEntities({ groups: sql`g.id = ${group.id}`, year, targetACourses, keys: [key] });
  if (key === "m") {
    const rows = await queryRows<{
      id: number;
      display_name: string;
      role: "member" | "leader";
      affiliation: string | null;
    }>(
      db,
      sql`select tm.id, u.display_name, tm.role, tm.affiliation
          from (${entities}) e join team_members tm on tm.id = e.entity_id join users u on u.id = tm.user_id
          where e.at is null order by tm.role desc, u.display_name`,
    );
    return rows.map((r) => ({
      kind: "member",
      memberId: r.id,
      displayName: r.display_name,
      role: r.role,
      affiliation: r.affiliation,
      priorities: [],
    }));
  }
  if (key === "dd" || key === "e" || key === "i") {
    const rows = await queryRows<{
      id: number;
      code: string;
      address: string;
      poverty_status: string;
      people: number;
      elderly: boolean;
      freelance: boolean;
      trader: boolean;
      assigned_to: string | null;
    }>(
      db,
      sql`select h.id, h.code, h.address, h.poverty_status::text as poverty_status,
                 (select count(*)::int from residents r where r.household_id = h.id) as people,
                 exists (select 1 from residents r
                         where r.household_id = h.id and ${year}::int - r.birth_year >= 60) as elderly,
                 exists (select 1 from residents r
                         where r.household_id = h.id and r.is_freelance_worker) as freelance,
                 exists (select 1 from residents r
                         where r.household_id = h.id and r.is_small_trader) as trader,
                 mu.display_name as assigned_to
          from (${entities}) e
          join households h on h.id = e.entity_id
          left join household_assignments ha on ha.household_id = h.id
          left join users mu on mu.id = ha.member_user_id
          where e.at is null
          order by h.code`,
    );
    return rows.map((r) => ({
      kind: "household",
      householdId: r.id,
      householdCode: r.code,
      address: r.address,
      people: r.people,
      assignedTo: r.assigned_to,
      priorities: prioritiesOf({
        elderly: r.elderly,
        poverty: r.poverty_status,
        freelance: r.freelance,
        trader: r.trader,
      }),
    }));
  }
  const rows = await queryRows<{
    id: number;
    full_name: string;
    birth_year: number;
    code: string;
    address: string;
    poverty_status: string;
    freelance: boolean;
    trader: boolean;
    assigned_to: string | null;
  }>(
    db,
    sql`select r.id, r.full_name, r.birth_year, h.code, h.address, h.poverty_status::text as poverty_status,
               r.is_freelance_worker as freelance, r.is_small_trader as trader, mu.display_name as assigned_to
        from (${entities}) e
        join residents r on r.id = e.entity_id
        join households h on h.id = r.household_id
        left join household_assignments ha on ha.household_id = h.id
        left join users mu on mu.id = ha.member_user_id
        where e.at is null
        order by h.code, r.birth_year, r.id`,
  );
  return rows.map((r) => ({
    kind: "person",
    residentId: r.id,
    fullName: r.full_name,
    birthYear: r.birth_year,
    householdCode: r.code,
    address: r.address,
    assignedTo: r.assigned_to,
    priorities: prioritiesOf({
      elderly: year - r.birth_year >= 60,
      poverty: r.poverty_status,
      freelance: r.freelance,
      trader: r.trader,
    }),
  }));
}

// ─── Official denominators ─────────────────────────────────────────────────────

export async function getOfficialDenominators(
  groupId: number,
): Promise<Partial<Record<TargetKeyName, number>>> {
  return Object.fromEntries(await officialDenominators(groupId)) as Partial<Record<TargetKeyName, number>>;
}

/** Sets (a number) or clears (null) the office's official denominators of one group. */
export async function setOfficialDenominators(input: {
  group: { id: number; wardId: number };
  values: Partial<Record<TargetKeyName, number | null>>;
  actorUserId: number;
}): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    for (const key of TARGET_KEYS) {
      if (!(key in input.values)) continue;
      const value = input.values[key];
      if (value === null || value === undefined) {
        await tx.execute(
          sql`delete from target_denominators where group_id = ${input.group.id} and target_key = ${key}`,
        );
      } else {
        await tx.execute(sql`
          insert into target_denominators (group_id, target_key, value, entered_by, entered_at)
          values (${input.group.id}::int, ${key}, ${value}::int, ${input.actorUserId}::int, now())
          on conflict (group_id, target_key) do update set
            value = excluded.value, entered_by = excluded.entered_by, entered_at = now()
        `);
      }
    }
    await recordAudit(tx, {
      actorUserId: input.actorUserId,
      action: "targets.denominators_changed",
      entity: "residential_group",
      entityId: input.group.id,
      details: { values: input.values },
    });
  });
}

/**
 * The targets as they were at any moment: for each person, household or member a target counts,
 * the spans of time when they were in its denominator and when they met it.
 *
 * `targetEntities` (targets.server.ts) answers "who meets it now". History needs more: a skill
 * withdrawn in May still counted in April, a certificate revoked later was held before, a member
 * who left still counted while she served, and a person born in 2008 became an adult (target b) on
 * 1 January 2026, not before. So every signal becomes a span [from, to):
 *  - a checklist skill: from each "ticked" record to the next record of that skill;
 *  - a certificate: from its issue to its revocation;
 *  - a visit: from its day on;
 *  - an age: from 1 January of the year the person reaches it (Vietnam time);
 *  - a membership: from its start to its end.
 * A target's spans are the intersections (all three core certificates, …) and unions (any resident
 * of the household, …) of those; the spans of one entity are merged, and its "met" spans are cut
 * to its "counted" ones. Unbounded ends are ±infinity.
 *
 * The roster has no move-in dates, so a resident on it is taken as having lived there all along.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@db/client.server";
import { TIME_ZONE } from "~/format";
import { TARGET_KEYS, type TargetKeyName } from "~/targets";
import { CORE_COURSE_IDS } from "~/vocabulary";

const tz = sql.raw(`'${TIME_ZONE}'`);

function inList(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

export interface HistoryOptions {
  /** A condition on residential_groups aliased `g`: which groups to count. */
  groups: SQL;
  /** Courses target a asks of high-school students. */
  targetACourses: string[];
  keys?: readonly TargetKeyName[];
}

function deltaParts(opts: HistoryOptions): DeltaParts {
  const keys = new Set(opts.keys ?? TARGET_KEYS);
  const setA = [...new Set(opts.targetACourses)];
  const ageFrom = (years: number) =>
    sql`(make_date(rq.birth_year + ${years}::int, 1, 1)::timestamp at time zone ${tz})`;
  const inf = sql`'infinity'::timestamptz`;
  const ninf = sql`'-infinity'::timestamptz`;
  const skillKeys = ["vneid_installed", "dvc_account", "dsc_installed", "bdhvs_confirmed"];
  // Who is counted changes in bulk (a household is counted from always, an adult from 1 January of
  // the year she turns 18), so the denominator's changes are counted per group and moment, never
  // listed person by person: (group_id, target_key, at, delta).
  const den: SQL[] = [];
  // An entity's spans meeting the target, already cut to when it is counted: (group_id,
  // target_key, entity_id, f, t). `met` holds targets whose spans of one entity never overlap (a
  // certificate, one skill's records one after the other, a household's first visit); `union`
  // the targets met by any resident of a household, whose spans overlap and are merged first.
  const met: SQL[] = [];
  const union: SQL[] = [];
  const adults = (years: number, key: string) =>
    sql`select group_id, ${key}::text, ${ageFrom(years)}, count(*) from rq
        where rq.birth_year is not null group by group_id, birth_year`;
  const households = (key: string) =>
    sql`select group_id, ${key}::text, ${ninf}, count(*) from hh group by group_id`;
  if (keys.has("a")) {
    den.push(sql`select group_id, 'a'::text, ${ninf}, count(*) from rq where hs group by group_id`);
    met.push(
      sql`select rq.group_id, 'a'::text, rq.resident_id, ca.f, ca.t
          from rq join ca on ca.resident_id = rq.resident_id where rq.hs`,
    );
  }
  if (keys.has("b")) {
    den.push(adults(18, "b"));
    met.push(
      sql`select rq.group_id, 'b'::text, rq.resident_id, greatest(cc.f, ${ageFrom(18)}), cc.t
          from rq join cc on cc.resident_id = rq.resident_id where rq.birth_year is not null`,
    );
  }
  if (keys.has("c")) {
    den.push(adults(18, "c"));
    met.push(
      sql`select rq.group_id, 'c'::text, rq.resident_id, greatest(sk.f, ${ageFrom(18)}), sk.t
          from rq join sk on sk.resident_id = rq.resident_id and sk.skill = 'bdhvs_confirmed'
          where rq.birth_year is not null`,
    );
  }
  if (keys.has("d")) {
    den.push(sql`select group_id, 'd'::text, ${ninf}, count(*) from rq where ew group by group_id`);
    met.push(
      sql`select rq.group_id, 'd'::text, rq.resident_id, cc.f, cc.t
          from rq join cc on cc.resident_id = rq.resident_id where rq.ew`,
    );
  }
  if (keys.has("g")) {
    den.push(adults(16, "g"));
    met.push(
      sql`select rq.group_id, 'g'::text, rq.resident_id, greatest(sk.f, ${ageFrom(16)}), sk.t
          from rq join sk on sk.resident_id = rq.resident_id and sk.skill = 'vneid_installed'
          where rq.birth_year is not null`,
    );
  }
  if (keys.has("dd")) {
    den.push(households("dd"));
    union.push(
      sql`select rq.group_id, 'dd'::text, rq.household_id, sk.f, sk.t
          from rq join sk on sk.resident_id = rq.resident_id and sk.skill = 'dsc_installed'`,
    );
    union.push(
      sql`select vh.group_id, 'dd'::text, vh.household_id, vh.dsc_visit_at, ${inf}
          from vh where vh.dsc_visit_at is not null`,
    );
  }
  if (keys.has("e")) {
    den.push(households("e"));
    met.push(sql`select vh.group_id, 'e'::text, vh.household_id, vh.first_visit_at, ${inf} from vh`);
  }
  if (keys.has("i")) {
    den.push(households("i"));
    union.push(sql`select rq.group_id, 'i'::text, rq.household_id,
                   greatest(cc.f, v.f, d.f), least(cc.t, v.t, d.t)
                 from rq join cc on cc.resident_id = rq.resident_id
                 join sk v on v.resident_id = rq.resident_id and v.skill = 'vneid_installed'
                 join sk d on d.resident_id = rq.resident_id and d.skill = 'dvc_account'`);
  }
  if (keys.has("m")) {
    // A member is counted while she serves: her own span, not a bulk one.
    den.push(sql`select group_id, 'm'::text, started_at, count(*) from mq
                 where started_at < ended_at group by 1, 3
                 union all
                 select group_id, 'm'::text, ended_at, -count(*) from mq
                 where started_at < ended_at and ended_at <> ${inf} group by 1, 3`);
    met.push(sql`select mq.group_id, 'm'::text, mq.member_id, greatest(c.issued_at, mq.started_at),
                   least(coalesce(c.revoked_at, ${inf}), mq.ended_at)
                 from mq join certificates c on c.user_id = mq.user_id and c.course_key = 'programme'`);
  }
  const certSpan = (courses: readonly string[]) => sql`
    select rq.resident_id, max(c.issued_at) as f, coalesce(min(c.revoked_at), ${inf}) as t
    from rq join certificates c on c.user_id = rq.user_id and c.course_key in (${inList(courses)})
    group by rq.resident_id having count(distinct c.course_key) = ${courses.length}::int`;
  const spanDeltas = (spans: SQL) => sql`
    select group_id, target_key, 'n'::text, f, 1 from ${spans} s where f < t
    union all
    select group_id, target_key, 'n'::text, t, -1 from ${spans} s where f < t and t <> ${inf}`;
  const none = sql`select null::int, null::text, null::int, null::timestamptz, null::timestamptz where false`;
  const noDen = sql`select null::int, null::text, null::timestamptz, 0::bigint where false`;
  const parts: DeltaParts = {
    inputs: [
      ["grp", sql`select g.id as group_id from residential_groups g where ${opts.groups}`],
      [
        "hh",
        sql`select h.id as household_id, h.group_id from households h
            where h.group_id in (select group_id from grp)`,
      ],
      [
        "rq",
        sql`select r.id as resident_id, r.household_id, hh.group_id, r.birth_year,
          r.is_high_school_student as hs, r.is_enterprise_worker as ew, u.id as user_id
        from hh join residents r on r.household_id = hh.household_id
        left join users u on u.resident_id = r.id`,
      ],
      ["ca", certSpan(setA)],
      ["cc", certSpan(CORE_COURSE_IDS)],
      [
        "sk",
        sql`select resident_id, skill, f, t from (
          select sr.resident_id, sr.skill::text as skill, sr.value, sr.recorded_at as f,
            coalesce(lead(sr.recorded_at) over (partition by sr.resident_id, sr.skill
                                                order by sr.recorded_at, sr.id), ${inf}) as t
          from rq cross join lateral (
            select * from skill_records s where s.resident_id = rq.resident_id offset 0) sr
          where sr.skill::text in (${inList(skillKeys)})
        ) x where x.value
        union all
        -- A checklist entry with no history behind it holds from its recording on. Both are read
        -- resident by resident through their indexes (LATERAL … OFFSET 0 keeps it so): a ward is a
        -- thirtieth of the city, and a scan of the city's checklists costs seconds.
        select rs.resident_id, rs.skill::text, rs.recorded_at, ${inf}
        from rq cross join lateral (
          select * from resident_skills s where s.resident_id = rq.resident_id offset 0) rs
        where rs.skill::text in (${inList(skillKeys)})
          and not exists (select 1 from skill_records sr
                          where sr.resident_id = rs.resident_id and sr.skill = rs.skill)`,
      ],
      [
        "vh",
        sql`select hh.group_id, v.household_id,
          (min(v.visited_on)::timestamp at time zone ${tz}) as first_visit_at,
          (min(v.visited_on) filter (where v.topics @> '["dsc"]'::jsonb))::timestamp at time zone ${tz}
            as dsc_visit_at
        from hh cross join lateral (select * from visits x where x.household_id = hh.household_id offset 0) v
        group by hh.group_id, v.household_id`,
      ],
      [
        "mq",
        sql`select t.group_id, tm.id as member_id, tm.user_id, tm.started_at,
                   coalesce(tm.ended_at, ${inf}) as ended_at
        from teams t join team_members tm on tm.team_id = t.id
        where t.group_id in (select group_id from grp)`,
      ],
    ],
    deltas: sql`
      with met as (
        select * from (${sql.join(met.length ? met : [none], sql` union all `)})
          as m(group_id, target_key, entity_id, f, t)
      ),
      joined as (
        select * from (${sql.join(union.length ? union : [none], sql` union all `)})
          as u(group_id, target_key, entity_id, f, t)
        where f < t
      ),
      ordered as (
        select *, max(t) over (partition by group_id, target_key, entity_id order by f, t
                               rows between unbounded preceding and 1 preceding) as prev_t
        from joined
      ),
      merged as (
        select group_id, target_key, entity_id, min(f) as f, max(t) as t from (
          select *, count(*) filter (where prev_t is null or f > prev_t)
                   over (partition by group_id, target_key, entity_id
                         order by f, t rows unbounded preceding) as island
          from ordered
        ) islands group by group_id, target_key, entity_id, island
      )
      select group_id, target_key, kind, at, sum(delta)::int as delta from (
        select group_id, target_key, 'd'::text, at, n
        from (${sql.join(den.length ? den : [noDen], sql` union all `)}) as d(group_id, target_key, at, n)
        union all ${spanDeltas(sql`met`)}
        union all ${spanDeltas(sql`merged`)}
      ) as x(group_id, target_key, kind, at, delta)
      group by group_id, target_key, kind, at`,
  };
  // Only the inputs the chosen targets read (a group's weekly chart of e needs its visits alone).
  const needs: Record<string, TargetKeyName[]> = {
    rq: ["a", "b", "c", "d", "g", "dd", "i"],
    ca: ["a"],
    cc: ["b", "d", "i"],
    sk: ["c", "g", "dd", "i"],
    vh: ["dd", "e"],
    mq: ["m"],
  };
  parts.inputs = parts.inputs.filter(([name]) => needs[name]?.some((k) => keys.has(k)) ?? true);
  return parts;
}

/**
 * The deltas query in parts: its inputs, each a named relation the next ones read,
 * and the deltas drawn from them.
 */
interface DeltaParts {
  inputs: [name: string, query: SQL][];
  deltas: SQL;
}

/**
 * Rows (group_id, target_key, kind, at, delta): at moment `at` (timestamptz, ±infinity) the count
 * of group × target changes by `delta`: kind 'd' those counted (the denominator), 'n' those meeting
 * it. The count at a moment is the sum of the deltas at or before it. One statement, its inputs as
 * materialized CTEs: for a group or a few (a live drill-down, a report as of a date).
 */
export function targetDeltas(opts: HistoryOptions): SQL {
  const { inputs, deltas } = deltaParts(opts);
  const ctes = sql.join(
    inputs.map(([name, query]) => sql`${sql.raw(name)} as materialized (${query})`),
    sql`,\n`,
  );
  return sql`with ${ctes} select * from (${deltas}) deltas`;
}

/**
 * The same deltas for a whole ward, inside a transaction: each input becomes a temporary table
 * (dropped at commit) with fresh statistics before the next one is computed. PostgreSQL cannot
 * estimate what a CTE holds (it guesses 200 distinct values, or one row after a HAVING), and at
 * city scale (30,000 residents a ward) those guesses chose nested loops over CTE scans that cost
 * 23 s a ward; staged and analysed, and with the denominator counted in bulk, about 1 s
 * (scripts/bench-city.ts).
 */
export async function stagedTargetDeltas(tx: DbOrTx, opts: HistoryOptions): Promise<SQL> {
  const { inputs, deltas } = deltaParts(opts);
  for (const [name, query] of inputs) {
    await tx.execute(sql`drop table if exists ${sql.raw(`pg_temp.${name}`)}`);
    await tx.execute(sql`create temporary table ${sql.raw(name)} on commit drop as ${query}`);
    await tx.execute(sql`analyze ${sql.raw(name)}`);
  }
  return deltas;
}

/**
 * Net changes per group, target and period start (week: Monday; quarter: its first day), Vietnam
 * time: (group_id, target_key, period, start, reached, denominator). A change at -infinity, or
 * before `since` when given, lands in the '-infinity' period: what a chart needs of the years
 * before its window is where they ended (the adults born since 1930 are one row, not ninety).
 */
export function targetChanges(
  deltas: SQL,
  options: { since?: Date; periods?: readonly ("week" | "quarter")[] } = {},
): SQL {
  const bucket = (period: "week" | "quarter", col: string) => {
    const folded = options.since
      ? `${col} < '${options.since.toISOString()}'::timestamptz`
      : `${col} = '-infinity'`;
    return sql.raw(
      `case when ${folded} then '-infinity'::date
            else date_trunc('${period}', ${col} at time zone '${TIME_ZONE}')::date end`,
    );
  };
  const perPeriod = (period: "week" | "quarter") => sql`
    select group_id, target_key, ${period}::text as period, ${bucket(period, "at")} as start,
      sum(case when kind = 'n' then delta else 0 end)::int as reached,
      sum(case when kind = 'd' then delta else 0 end)::int as denominator
    from changes group by 1, 2, 3, 4`;
  return sql`
    with changes as materialized (${deltas})
    select * from (${sql.join((options.periods ?? ["week", "quarter"]).map(perPeriod), sql` union all `)}) x
    where reached <> 0 or denominator <> 0`;
}

/** (group_id, target_key, roster, reached) as of a moment: who was counted, and who met it, then. */
export function targetCountsAt(deltas: SQL, at: Date): SQL {
  const moment = sql`${at.toISOString()}::timestamptz`;
  return sql`
    select group_id, target_key,
      coalesce(sum(delta) filter (where kind = 'd'), 0)::int as roster,
      coalesce(sum(delta) filter (where kind = 'n'), 0)::int as reached
    from (${deltas}) s
    where s.at <= ${moment}
    group by group_id, target_key`;
}

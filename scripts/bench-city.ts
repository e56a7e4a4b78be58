/**
 * `npm run bench:city`: the dashboard at the size of Đà Nẵng city.
 *
 * 1. Makes a fresh PostgreSQL database and fills it, inside PostgreSQL with generate_series, with
 *    94 wards, 3,766 residential groups and teams, 24,000 members, 1,000,000 households,
 *    3,000,000 residents, 600,000 learner accounts, 10,000,000 lesson-progress and quiz-attempt
 *    rows, certificates, skills checklists, visits and assignments.
 * 2. Recomputes every ward's target summary and history (what `npm run targets:refresh` does) and
 *    times each.
 * 3. Serves the production build against it and measures the ward dashboard, a residential
 *    group's drill-down (computed live), its "still missing" list and the city-wide view:
 *    p50/p95 over N requests each at 10 concurrent clients, on loopback.
 * 4. Drops the database (unless --keep).
 *
 * Options: --scale=0.1 (a tenth of the city, for development), --requests=200, --concurrency=10,
 * --keep (leave the database), --no-build (serve the existing build/), --skip-refresh (with --reuse),
 * --only=ward|group|city (one scenario), --instances=1,2 (measure with one app instance, then two),
 * --reuse (measure an existing bench database without refilling).
 * BENCH_DATABASE_URL (or DATABASE_URL) points at the server; the database made is `hocso_bench_city`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import postgres from "postgres";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k!, v ?? "1"] as const;
  }),
);
const scale = Number(args.get("scale") ?? 1);
const requests = Number(args.get("requests") ?? 200);
const concurrency = Number(args.get("concurrency") ?? 10);
const keep = args.has("keep");
const reuse = args.has("reuse");
const port = Number(process.env.BENCH_PORT ?? 3190);
/** App instances, as a deployment runs one per core behind a load balancer; the clients take turns. */
const instanceCounts = (args.get("instances") ?? "1").split(",").map(Number);
const dbName = "hocso_bench_city";

const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const benchUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

const N = {
  wards: 94,
  groups: Math.max(94, Math.round(3766 * scale)),
  households: Math.round(1_000_000 * scale),
  residents: Math.round(3_000_000 * scale),
  members: Math.round(24_000 * scale),
  learners: Math.round(600_000 * scale),
};

const t0 = Date.now();
const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
function log(message: string) {
  console.info(`[bench:city ${since(t0).padStart(8)}] ${message}`);
}

async function main() {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  if (!reuse) {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.unsafe(`create database ${dbName}`);
  }
  await admin.end();

  process.env.DATABASE_URL = benchUrl;
  process.env.SEED_DEMO = "off";
  const { getDb, closeDb } = await import("../db/client.server");
  await getDb(); // applies the migrations
  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });

  if (!reuse) await fill(sql);
  else log("reusing the existing bench database");

  const [counts] = await sql`
    select (select count(*) from residents)::int as residents,
           (select count(*) from households)::int as households,
           (select count(*) from lesson_progress)::int as progress,
           (select count(*) from quiz_attempts)::int as attempts,
           (select count(*) from certificates)::int as certificates,
           (select count(*) from team_members)::int as members,
           pg_size_pretty(pg_database_size(current_database())) as size`;
  log(`dataset: ${JSON.stringify(counts)}`);

  const { refreshAllWards } = await import("../app/targets.server");
  const tr = Date.now();
  const results = args.has("skip-refresh") ? [] : await refreshAllWards();
  const durations = results.map((r) => r.summary.durationMs).sort((a, b) => a - b);
  const historyDurations = results.map((r) => r.history.durationMs).sort((a, b) => a - b);
  const refreshTotal = Date.now() - tr;
  log(
    `refreshed the summary and history of ${results.length} wards in ${(refreshTotal / 1000).toFixed(1)} s ` +
      `(per ward: summary p50 ${pct(durations, 50)} ms, max ${durations.at(-1)} ms; ` +
      `history p50 ${pct(historyDurations, 50)} ms, max ${historyDurations.at(-1)} ms)`,
  );
  // Sessions for an admin (city view) and a ward's office user; staff sessions last 12 h.
  const token = randomBytes(20).toString("hex");
  const [adminUser] = await sql<{ id: number }[]>`select id from users where role = 'admin' limit 1`;
  const sessionId = createHash("sha256").update(token).digest("hex");
  await sql`insert into sessions (id, user_id, expires_at)
            values (${sessionId}, ${adminUser!.id}, now() + interval '12 hours')`;
  const wardIds = (await sql<{ id: number }[]>`select id from wards order by id`).map((r) => r.id);
  const groupIds = (await sql<{ id: number }[]>`select id from residential_groups order by id`).map(
    (r) => r.id,
  );
  await sql.end();

  if (!args.has("no-build") || !fs.existsSync("build/index.js")) {
    log("building the production site");
    const b = spawnSync("npx", ["remix", "build"], {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (b.status !== 0) throw new Error("build failed");
  }
  const scenarios: { name: string; url: () => string; whileRefreshing?: boolean }[] = (() => {
    let w = 0;
    let g = 0;
    return [
      { name: "ward dashboard", url: () => `/office/wards/${wardIds[w++ % wardIds.length]}` },
      { name: "group drill-down", url: () => `/office/groups/${groupIds[(g++ * 7919) % groupIds.length]}` },
      {
        name: "group missing list (e)",
        url: () => `/office/groups/${groupIds[(g++ * 104729) % groupIds.length]}/e`,
      },
      { name: "city-wide view", url: () => `/office/city` },
      // The price of freshness: the same ward pages while wards are being recomputed back to back.
      {
        name: "ward, during refreshes",
        url: () => `/office/wards/${wardIds[w++ % wardIds.length]}`,
        whileRefreshing: true,
      },
    ];
  })();
  const only = args.get("only");
  const report: string[] = [];
  const loadBefore = os.loadavg()[0]!.toFixed(1);
  for (const instances of instanceCounts) {
    const ports = Array.from({ length: instances }, (_, i) => port + i);
    for (const p of ports)
      if (await isUp(p)) throw new Error(`port ${p} is already in use; set BENCH_PORT to a free port`);
    const servers = ports.map((p) =>
      spawn(process.execPath, ["node_modules/@remix-run/serve/dist/cli.js", "./build/index.js"], {
        stdio: ["ignore", "ignore", "inherit"],
        env: {
          ...process.env,
          NODE_ENV: "production",
          INSECURE_COOKIES: "1",
          PORT: String(p),
          DATABASE_URL: benchUrl,
          HOST: "127.0.0.1",
          // Without the refresh just above, the figures are old:
          // keep the pages from recomputing them mid-measure.
          ...(args.has("skip-refresh")
            ? { TARGETS_MAX_AGE_MINUTES: "1440", TARGETS_HISTORY_MAX_AGE_MINUTES: "1440" }
            : {}),
        },
      }),
    );
    try {
      await Promise.all(ports.map((p) => waitForServer(p)));
      const cookie = `hocso_session=${token}`;
      // Warm up: every ward page and the city view once, so V8 has optimised the render and
      // PostgreSQL has the summary pages in memory, as on a server that has been up a while.
      let wi = 0;
      await load(
        ports,
        () => (wi < wardIds.length ? `/office/wards/${wardIds[wi++]}` : "/office/city"),
        cookie,
        wardIds.length + 5,
        concurrency,
      );
      const rows: string[] = [];
      for (const s of scenarios.filter((x) => !only || x.name.startsWith(only))) {
        await load(ports, s.url, cookie, 20, concurrency); // warm up
        const refresher = s.whileRefreshing ? refreshLoop(wardIds) : undefined;
        const { times, failures, seconds } = await load(ports, s.url, cookie, requests, concurrency);
        const refreshed = refresher ? await refresher.stop() : 0;
        if (refresher) log(`${refreshed} ward refreshes ran during "${s.name}"`);
        times.sort((a, b) => a - b);
        rows.push(
          `${s.name.padEnd(24)} ${String(times.length).padStart(5)} ${String(failures).padStart(4)} ` +
            `${pct(times, 50).toFixed(0).padStart(7)} ${pct(times, 95).toFixed(0).padStart(7)} ` +
            `${(times.at(-1) ?? 0).toFixed(0).padStart(7)} ` +
            `${(times.length / seconds).toFixed(1).padStart(8)}`,
        );
      }
      report.push(
        `${instances} app instance${instances > 1 ? "s" : ""} ` +
          `(clients take turns between them, as behind a load balancer):\n` +
          `${"page".padEnd(24)} ${"reqs".padStart(5)} ${"fail".padStart(4)} ` +
          `${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"max ms".padStart(7)} ${"req/s".padStart(8)}\n` +
          rows.join("\n"),
      );
    } finally {
      await Promise.all(servers.map((s) => stop(s)));
    }
  }
  console.info(
    `\nHọcSố city benchmark (scale ${scale}: ${counts!.residents.toLocaleString("en")} residents, ` +
      `${counts!.households.toLocaleString("en")} households, ` +
      `${(counts!.progress + counts!.attempts).toLocaleString("en")} progress+attempt rows, ` +
      `${counts!.size}), ${concurrency} concurrent clients, loopback; ` +
      `load average before/after ${loadBefore} / ${os.loadavg()[0]!.toFixed(1)} ` +
      `on ${os.cpus().length} cores\n` +
      (results.length > 0
        ? `summary refresh: all ${results.length} wards (summary and history) ` +
          `${(refreshTotal / 1000).toFixed(1)} s, one ward's summary p50 ${pct(durations, 50)} ms, ` +
          `max ${durations.at(-1)} ms; its history p50 ${pct(historyDurations, 50)} ms, ` +
          `max ${historyDurations.at(-1)} ms\n`
        : "") +
      `\n${report.join("\n\n")}\n`,
  );

  await closeDb();
  if (!keep) {
    const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${dbName} with (force)`);
    await a.end();
    log(`dropped ${dbName}`);
  } else log(`kept ${dbName} (${benchUrl})`);
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Recomputes wards (summary and history) one after the other,
 * the busiest a city's background refresh gets, until stopped.
 */
function refreshLoop(wardIds: number[]) {
  let stopped = false;
  let count = 0;
  const done = (async () => {
    const { refreshWard } = await import("../app/targets.server");
    for (let i = 0; !stopped; i++) {
      await refreshWard(wardIds[i % wardIds.length]!);
      count++;
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      return count;
    },
  };
}

/** The server waits for keep-alive connections on SIGTERM; after a short grace it is killed. */
async function stop(server: ChildProcess) {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 2000);
  await exited;
  clearTimeout(timer);
}

async function isUp(p: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${p}/healthz`)).ok;
  } catch {
    return false;
  }
}

async function waitForServer(p: number) {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${p}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not start");
}

async function load(ports: number[], url: () => string, cookie: string, total: number, clients: number) {
  const times: number[] = [];
  let failures = 0;
  let issued = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (issued < total) {
        issued++;
        const path = url();
        const t = performance.now();
        try {
          const r = await fetch(`http://127.0.0.1:${ports[issued % ports.length]}${path}`, {
            headers: { Cookie: cookie },
            redirect: "manual",
          });
          await r.arrayBuffer();
          if (r.status !== 200) {
            failures++;
            if (failures <= 3) console.error(`  ${path} → ${r.status}`);
            continue;
          }
        } catch (e) {
          failures++;
          if (failures <= 3) console.error(`  ${path} → ${String(e)}`);
          continue;
        }
        times.push(performance.now() - t);
      }
    }),
  );
  return { times, failures, seconds: (Date.now() - started) / 1000 };
}

/** The dataset, generated inside PostgreSQL. Deterministic: the same scale gives the same rows. */
async function fill(sql: postgres.Sql) {
  const step = async (name: string, query: string) => {
    const t = Date.now();
    await sql.unsafe(query);
    log(`${name} (${since(t)})`);
  };
  // A bulk load of consistent generated rows: skip per-row foreign-key triggers, no fsync per commit.
  await sql.unsafe(
    `set session_replication_role = replica; set synchronous_commit = off; ` +
      `set maintenance_work_mem = '256MB'; set work_mem = '64MB'`,
  );
  const { groups, households, residents, members, learners } = N;
  const lessons = 15;

  await step(
    "wards, groups, teams",
    `
    insert into wards (id, code, name)
      select i, 'w' || i, case when i <= 56 then 'Phường ' else 'Xã ' end || 'Thử nghiệm ' || i
      from generate_series(1, 94) i;
    insert into residential_groups (id, ward_id, code, name)
      select i, (i - 1) % 94 + 1, 'TDP' || lpad(((i - 1) / 94 + 1)::text, 3, '0'),
             'Tổ dân phố ' || ((i - 1) / 94 + 1)
      from generate_series(1, ${groups}) i;
    insert into teams (id, group_id, name)
      select i, i, 'Tổ Công nghệ số cộng đồng – Tổ dân phố ' || ((i - 1) / 94 + 1)
      from generate_series(1, ${groups}) i;
    select setval('wards_id_seq', 94); select setval('residential_groups_id_seq', ${groups});
    select setval('teams_id_seq', ${groups});
  `,
  );
  await step(
    `${households.toLocaleString("en")} households`,
    `
    insert into households (id, group_id, code, link_code, address, poverty_status)
      select i, ((i - 1)::bigint * ${groups} / ${households})::int + 1, 'HH' || i, 'L' || i,
             (i % 300 + 1) || ' đường số ' || (i % 97 + 1),
             (case when i % 25 = 0 then 'poor'
                   when i % 25 = 1 then 'near_poor'
                   else 'none' end)::poverty_status
      from generate_series(1, ${households}) i;
    select setval('households_id_seq', ${households});
  `,
  );
  await step(
    `${residents.toLocaleString("en")} residents`,
    `
    insert into residents (id, household_id, full_name, birth_year, is_high_school_student,
                           is_enterprise_worker, is_freelance_worker, is_small_trader)
      select i, ((i - 1)::bigint * ${households} / ${residents})::int + 1, 'Người dân ' || i, 2025 - a,
             a between 15 and 17, a between 18 and 59 and i % 4 = 0,
             a between 18 and 64 and i % 9 = 0, a between 18 and 69 and i % 10 = 0
      from (select i, ((i::bigint * 7919) % 90)::int + 1 as a from generate_series(1, ${residents}) i) x;
    select setval('residents_id_seq', ${residents});
  `,
  );
  // Users: 1 admin, one office user per ward, the members, then the learners (residents with accounts).
  const firstMember = 1 + 94 + 1;
  const firstLearner = firstMember + members;
  await step(
    `users: admin, 94 office, ${members.toLocaleString("en")} members, ` +
      `${learners.toLocaleString("en")} learners`,
    `
    insert into users (id, email, display_name, role) values (1, 'admin@bench.local', 'Quản trị', 'admin');
    insert into users (id, email, display_name, role, ward_id)
      select 1 + i, 'office' || i || '@bench.local', 'Văn phòng ' || i, 'office', i
      from generate_series(1, 94) i;
    insert into users (id, phone, display_name, role)
      select ${firstMember} + i, '+8490' || lpad(i::text, 7, '0'), 'Thành viên ' || i,
             case when i < ${groups} then 'leader' else 'member' end::user_role
      from generate_series(0, ${members - 1}) i;
    insert into users (id, display_name, role, resident_id)
      select ${firstLearner} + i, 'Người học ' || i, 'resident', 1 + ((i::bigint * 5) % ${residents})
      from generate_series(0, ${learners - 1}) i;
    select setval('users_id_seq', ${firstLearner + learners});
    insert into team_members (team_id, user_id, role, badge_code)
      select i % ${groups} + 1, ${firstMember} + i,
             case when i < ${groups} then 'leader' else 'member' end::team_role, 'B' || i
      from generate_series(0, ${members - 1}) i;
    insert into household_assignments (household_id, member_user_id)
      select h, ${firstMember} + g - 1 + ${groups} * (h % greatest(1, ${Math.floor(members / groups)}))
      from (select h, ((h - 1)::bigint * ${groups} / ${households})::int + 1 as g
            from generate_series(1, ${households}) h) x;
  `,
  );
  // Learner i has read the first k of 15 lessons; k spreads 1..15.
  await step(
    `lesson progress`,
    `
    insert into lesson_progress (user_id, course_id, lesson_id, read_at, passed_at, updated_at)
      select u, (array['nen-tang-so','dich-vu-cong-truc-tuyen','an-toan-thong-tin'])[(l - 1) / 5 + 1],
             'bai-' || l,
             timestamptz '2026-01-05' + ((u * 37 + l * 3) % 300) * interval '1 day',
             timestamptz '2026-01-05' + ((u * 37 + l * 3) % 300) * interval '1 day', now()
      from generate_series(${firstLearner}, ${firstLearner + learners - 1}) u
      cross join lateral generate_series(1, 1 + (u % ${lessons})) l;
  `,
  );
  const [{ progress }] = (await sql`select count(*)::int as progress from lesson_progress`) as unknown as [
    { progress: number },
  ];
  const attempts = Math.round(10_000_000 * scale) - progress;
  await step(
    `${attempts.toLocaleString("en")} quiz attempts`,
    `
    insert into quiz_attempts (user_id, course_id, lesson_id, quiz_hash, submission_key, answers,
                               correct_count, question_count, score_percent, passed, created_at)
      select ${firstLearner} + (n % ${learners}),
             (array['nen-tang-so','dich-vu-cong-truc-tuyen','an-toan-thong-tin'])[n % 3 + 1],
             'bai-' || (n % 15 + 1),
             'h1', 'k' || n, '{"q1":"a","q2":["b","c"]}'::jsonb, 4 + n % 2, 5, 80 + (n % 2) * 20, true,
             timestamptz '2026-01-05' + (n % 300) * interval '1 day'
      from generate_series(1, ${attempts}) n;
  `,
  );
  // Certificates: a course for each 5 lessons read; members almost all done.
  await step(
    "certificates",
    `
    insert into certificates (code, user_id, course_key, holder_name, issued_at)
      select 'C' || u || '-' || c, u, (array['nen-tang-so','dich-vu-cong-truc-tuyen','an-toan-thong-tin'])[c],
             'Người học ' || u,
             timestamptz '2026-01-12' + ((u * 13 + c * 29) % 300) * interval '1 day'
      from generate_series(${firstLearner}, ${firstLearner + learners - 1}) u
      cross join lateral generate_series(1, (1 + (u % ${lessons})) / 5) c;
    insert into certificates (code, user_id, course_key, holder_name, issued_at)
      select 'C' || u || '-' || c, u, c, 'Thành viên ' || u,
             timestamptz '2026-01-12' + (u % 60) * interval '1 day'
      from generate_series(${firstMember}, ${firstLearner - 1}) u
      cross join unnest(array['nen-tang-so','dich-vu-cong-truc-tuyen','an-toan-thong-tin','programme']) c
      where u % 10 <> 0;
  `,
  );
  await step(
    "skills checklists",
    `
    insert into resident_skills (resident_id, skill, method, recorded_at)
      select r.id, s.skill::skill_key, 'assisted',
             timestamptz '2026-01-05' + ((r.id * 11 + s.n * 7) % 300) * interval '1 day'
      from residents r
      cross join (values (1, 'vneid_installed', 60), (2, 'dsc_installed', 40),
                         (3, 'dvc_account', 30), (4, 'bdhvs_confirmed', 25)) as s(n, skill, share)
      where 2025 - r.birth_year >= 16 and (r.id * 31 + s.n * 17) % 100 < s.share;
  `,
  );
  await step(
    "visits",
    `
    insert into visits (household_id, member_user_id, visited_on, topics, notes)
      select h, ${firstMember} + ((h - 1)::bigint * ${groups} / ${households})::int,
             date '2026-01-05' + ((h * 3 + v * 41) % 300),
             case when v = 1 then '["vneid","dsc","an_toan"]'::jsonb else '["dvc"]'::jsonb end, ''
      from generate_series(1, ${households}) h
      cross join lateral generate_series(1, case when h % 10 < 7 then 1 + h % 2 else 0 end) v;
  `,
  );
  await step("analyze", `analyze`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

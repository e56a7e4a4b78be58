/**
 * `npm run bench`: builds the production site, serves it on a fresh PostgreSQL database with the
 * demo ward, and measures, at 1, 10 and 50 concurrent clients:
 *   - the lesson page (GET, signed in as the demo resident),
 *   - quiz submission (POST, graded and stored; every request a new attempt),
 * printing requests/s and p50/p95 latency, then the JavaScript the lesson page ships (gzip).
 *
 * Bounded and local: the server listens on 127.0.0.1 only, each level runs at most
 * BENCH_SECONDS seconds (default 5) and BENCH_MAX_REQUESTS requests (default 5000); the
 * database is dropped and the server stopped at the end. Later issues add their pages here.
 *
 *   BENCH_DATABASE_URL  admin connection used to create/drop the database
 *                       (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_PORT          default 3190
 *   --no-build          reuse the existing build
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import postgres from "postgres";
import { findLesson, readContentTree, type Quiz } from "~/courses/content.server";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PORT = Number(process.env.BENCH_PORT ?? 3190);
const BASE = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 5000);
const LEVELS = [1, 10, 50];
const COURSE = "nen-tang-so";
const LESSON = "cai-dat-va-kich-hoat-vneid";
const RESIDENT = { identifier: "0905123456", password: "AnHai@2026" };

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status})`);
}

async function waitForHealth(server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error("the server stopped before answering");
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not become healthy within 180 s");
}

async function signIn(): Promise<string> {
  const response = await fetch(`${BASE}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: BASE },
    body: new URLSearchParams({ ...RESIDENT, redirectTo: "/courses", website: "" }).toString(),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 302 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return cookie;
}

function quizForm(quiz: Quiz): URLSearchParams {
  const form = new URLSearchParams();
  for (const q of quiz.questions) {
    if (q.type === "order") q.answer.forEach((id, i) => form.append(`q:${q.id}:${id}`, String(i + 1)));
    else if (Array.isArray(q.answer)) q.answer.forEach((id) => form.append(`q:${q.id}`, id));
    else form.append(`q:${q.id}`, String(q.answer));
  }
  return form;
}

interface LevelResult {
  concurrency: number;
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `concurrency` clients, each sending its next request as soon as the last one is answered. */
async function load(concurrency: number, request: () => Promise<boolean>): Promise<LevelResult> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && issued < MAX_REQUESTS) {
        issued++;
        const t0 = performance.now();
        let ok = false;
        try {
          ok = await request();
        } catch {
          ok = false;
        }
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { concurrency, requests: latencies.length, errors, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function shippedJavaScript(path: string, cookie: string): Promise<{ files: number; raw: number; gzip: number }> {
  const html = await (await fetch(`${BASE}${path}`, { headers: { Cookie: cookie } })).text();
  const bodies: string[] = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).filter((s) => s.trim());
  const urls = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
  for (const url of new Set(urls)) bodies.push(await (await fetch(new URL(url, BASE))).text());
  return {
    files: bodies.length,
    raw: bodies.reduce((n, b) => n + Buffer.byteLength(b), 0),
    gzip: bodies.reduce((n, b) => n + gzipSync(b).length, 0),
  };
}

const table = (rows: (string | number)[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padStart(widths[i]!)).join("  ")).join("\n");
};

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  if (!process.argv.includes("--no-build")) run("npm", ["run", "build"], env);

  const database = `hocso_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const serverEnv: NodeJS.ProcessEnv = { ...env, DATABASE_URL: url.toString(), PORT: String(PORT), HOST: "127.0.0.1", INSECURE_COOKIES: "1" };
  let server: ChildProcess | undefined;
  try {
    console.info(`\nbench: seeding the demo ward into ${database}…`);
    run("npx", ["tsx", "db/seed-cli.ts"], serverEnv);
    const child = spawn("node", ["server.mjs", "./build/index.js"], { env: serverEnv, stdio: ["ignore", "ignore", "inherit"], detached: true });
    server = child;
    await waitForHealth(child);

    const cookie = await signIn();
    const { catalog, issues } = await readContentTree();
    if (issues.length) throw new Error("content has problems: run npm run content:check");
    const quiz = findLesson(catalog, COURSE, LESSON)!.lesson.quiz;
    const form = quizForm(quiz);
    const lessonPath = `/courses/${COURSE}/${LESSON}`;
    const quizPath = `${lessonPath}/quiz?index`;

    const lessonPage = async () => {
      const r = await fetch(`${BASE}${lessonPath}`, { headers: { Cookie: cookie } });
      await r.arrayBuffer();
      return r.status === 200;
    };
    const submitQuiz = async () => {
      const body = new URLSearchParams(form);
      body.set("submissionKey", randomBytes(18).toString("base64url"));
      const r = await fetch(`${BASE}${quizPath}`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      });
      await r.arrayBuffer();
      return r.status === 302 && /\/quiz\/\d+$/.test(r.headers.get("location") ?? "");
    };

    // Warm up: first requests open the database pool and load the catalogue.
    for (let i = 0; i < 20; i++) await Promise.all([lessonPage(), submitQuiz()]);

    const rows: (string | number)[][] = [["scenario", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms"]];
    for (const [name, request] of [
      ["lesson page (GET)", lessonPage],
      ["quiz submission (POST)", submitQuiz],
    ] as const) {
      for (const level of LEVELS) {
        const r = await load(level, request);
        rows.push([name, r.concurrency, r.requests, r.errors, r.perSecond.toFixed(0), r.p50.toFixed(1), r.p95.toFixed(1)]);
      }
    }
    const lessonJs = await shippedJavaScript(lessonPath, cookie);
    const quizJs = await shippedJavaScript(quizPath.replace("?index", ""), cookie);

    console.info(`\nHọcSố bench: production build on PostgreSQL, ${SECONDS} s (max ${MAX_REQUESTS} requests) per level, 127.0.0.1\n`);
    console.info(table(rows));
    console.info(
      `\nJavaScript shipped by the lesson page: ${lessonJs.files} script(s), ${lessonJs.raw} bytes, ${lessonJs.gzip} bytes gzip` +
        `\nJavaScript shipped by the quiz page (hydrated, for comparison): ${quizJs.files} script(s), ${(quizJs.gzip / 1024).toFixed(1)} KiB gzip`,
    );
  } finally {
    if (server?.pid && server.exitCode === null) {
      // The server runs in its own process group (npx → node): stop that group only.
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        server.kill("SIGTERM");
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
}

await main();

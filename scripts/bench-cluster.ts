/**
 * `npm run bench:cluster`: two production instances behind nginx on one PostgreSQL, under a mixed
 * load, with one instance crashed in the middle.
 *
 * 1. A fresh PostgreSQL database with the demo ward; a small HTTP server that stands in for Resend
 *    (`POST /emails`, answering like Resend: 200 with an id, the first answer again for a repeated
 *    Idempotency-Key); nginx from deploy/nginx.conf.template (non-root, non-daemon, its own prefix)
 *    in front of two instances of the production build (`node server.mjs ./build/index.js`, needs
 *    `npm run build`) with TRUST_PROXY=1 and RESEND_API_KEY / RESEND_BASE_URL pointing at the stand-in.
 * 2. A mixed load through nginx, each client from its own loopback address (127.0.1.x, 127.0.2.x),
 *    so the per-address rate limits see separate people: anonymous page and lesson reads; sign-ins;
 *    two signed-in residents taking quizzes (the submission key from each rendered form; every fifth
 *    form sent twice at once); two team members recording visits on a household of their group (the
 *    submission id from each rendered form; every third sent twice at once); sign-ups with an email
 *    and "forgot password" requests, both of which queue mail.
 * 3. A third of the way in, 150 ms after a burst of four quiz submissions and four visits (so some
 *    are surely inside it), instance 1 is killed with SIGKILL (a crash: no draining, requests in
 *    flight are cut) and started again; once it serves, instance 2 is stopped with SIGTERM (graceful)
 *    and started again. The load goes on until a few seconds after the second restart.
 *    A client repeats a POST that failed (no answer, or 502/503/504) with the same body, so with the
 *    same submission key or id, as a phone would; a GET is never repeated by the client.
 * 4. After the load, waits for the outbox to drain (CLUSTER_MAIL_TIMEOUT, default 360 s: a message
 *    claimed by the crashed instance is offered again after the 5-minute claim lease), then checks,
 *    each printed PASS or FAIL (exit code 1 on any FAIL):
 *    - no request failed outside the crash window (before the kill, or after instance 1 serves again,
 *      including the whole SIGTERM cycle of instance 2);
 *    - in the crash window, no GET failed but one whose answer the crashed instance had begun (nginx
 *      passes any other on to the other instance; a POST it does not, and the client repeats it);
 *    - every POST that failed was answered when the client repeated it, and each form so repeated is
 *      stored once (the report says whether the cut try or the repeat stored it);
 *    - quiz attempts and visits in the database: one per acknowledged submission key or id, none lost,
 *      none doubled, nothing stored that was not sent; every answer to a replay names the same attempt;
 *    - every sign-up answered is in the database;
 *    - every message in the outbox was sent, and the stand-in accepted each exactly once (its
 *      Idempotency-Key `hocso-mail-<outbox id>`), nothing else, no key with two different messages.
 *    It prints requests, failures, req/s, p50 and p95 per kind, how many requests each instance
 *    answered and what nginx passed on (from its access log, which names the upstreams tried).
 *    On a FAIL, nginx's logs are kept and their folder printed.
 *
 *   BENCH_DATABASE_URL  admin connection used to create/drop the database
 *                       (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *   CLUSTER_PORT        nginx's port (default 3180; the instances use +1 and +2, the stand-in +3)
 *   CLUSTER_SECONDS     the planned load time (default 30; it runs on until the restarts are done)
 *   CLUSTER_WORKERS     server processes per instance (WEB_CONCURRENCY, default 1: one process per
 *                       instance, so the two instances are what shares the two cores here)
 *   CLUSTER_MAIL_TIMEOUT  seconds to wait for the outbox to drain (default 360)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { findLesson, readContentTree } from "~/courses/content.server";
import { quizForm } from "./quiz-form";

const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BASE_PORT = Number(process.env.CLUSTER_PORT ?? 3180);
const [LB, APP1, APP2, RESEND_PORT] = [BASE_PORT, BASE_PORT + 1, BASE_PORT + 2, BASE_PORT + 3];
const ORIGIN = `http://127.0.0.1:${LB}`;
const SECONDS = Number(process.env.CLUSTER_SECONDS ?? 30);
const WORKERS = process.env.CLUSTER_WORKERS ?? "1";
const MAIL_TIMEOUT_MS = Number(process.env.CLUSTER_MAIL_TIMEOUT ?? 360) * 1000;
const PASSWORD = "AnHai@2026";
const COURSE = "nen-tang-so";
const QUIZ_LESSONS = ["to-cnscd-va-phuong-an-hai", "danang-smart-city", "cai-dat-va-kich-hoat-vneid"];
const READS = [
  "/",
  "/courses",
  `/courses/${COURSE}`,
  ...QUIZ_LESSONS.map((l) => `/courses/${COURSE}/${l}`),
  "/verify",
];
/** Accounts with an email (seeded), for "forgot password". */
const EMAIL_ACCOUNTS = ["admin@hocso.demo", "vanhoa@anhai.demo"];
const SIGN_INS = ["0905123456", "0905000102", "0905000101", "vanhoa@anhai.demo"];
/** Group 1's first member and group 2's second (see db/seed.ts: 0905 0GG 1NN). */
const MEMBERS = ["0905000102", "0905001103"];
/** A POST that got no answer, or 502/503/504, is repeated this many times at most. */
const POST_TRIES = 20;

if (!fs.existsSync("build/index.js") || !fs.existsSync(".cache/content")) {
  console.error(
    "bench:cluster serves the production build and its compiled lessons: run `npm run build` first.",
  );
  process.exit(1);
}

const run = randomBytes(3).toString("hex");
const database = `hocso_cluster_${Date.now().toString(36)}_${run}`;
const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-cluster-"));
const children = new Set<ChildProcess>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

// ─── Processes ──────────────────────────────────────────────────────────────

/** One instance: its own process group, so a crash takes its node:cluster workers with it. */
function startInstance(port: number): ChildProcess {
  const child = spawn("node", ["server.mjs", "./build/index.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: dbUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: ORIGIN,
      TRUST_PROXY: "1",
      INSECURE_COOKIES: "1",
      LOG_LEVEL: "warn",
      WEB_CONCURRENCY: WORKERS,
      DATA_DIR: path.join(prefix, "data"),
      RESEND_API_KEY: "re_test",
      RESEND_BASE_URL: `http://127.0.0.1:${RESEND_PORT}`,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.signalCode ?? child.exitCode ?? 0);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code ?? 0)));
}

async function waitReady(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await sleep(250);
  }
}

function stopAll(): Promise<unknown> {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  return Promise.all([...children].map(exited));
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const child of children) child.kill("SIGKILL");
    process.exit(130);
  });
}

// ─── The stand-in for Resend ────────────────────────────────────────────────

interface Delivery {
  id: string;
  to: string;
  digest: string;
  /** POSTs with this key: more than one when an instance resent a message (say after a crash). */
  posts: number;
}

const deliveries = new Map<string, Delivery>();
const standIn = { unkeyed: 0, conflicting: 0 };

const resend = http.createServer((req, res) => {
  let raw = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (raw += chunk));
  req.on("end", () => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || req.url !== "/emails")
      return reply(404, { statusCode: 404, name: "not_found", message: "Not found" });
    const key = req.headers["idempotency-key"];
    if (typeof key !== "string") {
      standIn.unkeyed++;
      return reply(200, { id: randomUUID() });
    }
    const digest = createHash("sha256").update(raw).digest("hex");
    const seen = deliveries.get(key);
    if (seen) {
      // Resend: the same key with the same payload answers the first response and sends nothing.
      seen.posts++;
      if (seen.digest === digest) return reply(200, { id: seen.id });
      standIn.conflicting++;
      return reply(409, {
        statusCode: 409,
        name: "invalid_idempotent_request",
        message: "Same idempotency key used with a different request payload.",
      });
    }
    const mail = JSON.parse(raw) as { to: string[] };
    const id = randomUUID();
    deliveries.set(key, { id, to: mail.to.join(","), digest, posts: 1 });
    reply(200, { id });
  });
});

// ─── Clients ────────────────────────────────────────────────────────────────

interface Answer {
  status: number;
  location: string;
  session: string | null;
  body: string;
}

interface Client {
  agent: http.Agent;
  cookie?: string;
}

/**
 * A client with keep-alive connections from its own loopback address (nginx passes it on as X-Forwarded-For).
 */
function client(address: string, cookie?: string): Client {
  return { agent: new http.Agent({ keepAlive: true, localAddress: address }), cookie };
}

function send(c: Client, method: "GET" | "POST", pathname: string, form?: URLSearchParams): Promise<Answer> {
  const body = form?.toString();
  const headers: http.OutgoingHttpHeaders = {};
  if (c.cookie) headers.Cookie = c.cookie;
  if (body !== undefined)
    Object.assign(headers, {
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": Buffer.byteLength(body),
      Origin: ORIGIN,
    });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: LB, method, path: pathname, agent: c.agent, headers, timeout: 90_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        // The connection closed after the status line:
        // the answer was cut short (an instance crashed mid-answer).
        const cut = () =>
          reject(Object.assign(new Error("answer cut short"), { status: res.statusCode ?? 0, cut: true }));
        res.on("error", cut);
        res.on("close", () => (res.complete ? undefined : cut()));
        res.on("end", () => {
          const session = (res.headers["set-cookie"] ?? [])
            .map((v) => v.split(";")[0]!)
            .find((v) => v.startsWith("hocso_session=") && v !== "hocso_session=");
          resolve({
            status: res.statusCode ?? 0,
            location: String(res.headers.location ?? ""),
            session: session ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer in 90 s")));
    req.on("error", reject);
    req.end(body);
  });
}

type Kind =
  | "page read"
  | "sign-in"
  | "signed-in page"
  | "quiz page"
  | "quiz submission"
  | "household page"
  | "visit"
  | "sign-up"
  | "forgot password";

interface Sample {
  kind: Kind;
  post: boolean;
  /** ms since the load started */
  at: number;
  ms: number;
  ok: boolean;
  status: number;
  /** A GET whose answer had begun (status line received) when its connection closed. */
  cut?: boolean;
}

const samples: Sample[] = [];
/** POSTs still unanswered after POST_TRIES, by kind. */
const gaveUp = new Map<Kind, number>();
let loadStart = 0;
const now = () => Date.now() - loadStart;
let endAt = Infinity;
const running = () => now() < endAt;

/** A GET, following up to `redirects` redirects (an office user's start page sends them on to their ward). */
async function get(kind: Kind, c: Client, pathname: string, redirects = 0): Promise<Answer | null> {
  const at = now();
  let answer: Answer | null = null;
  let cut = false;
  try {
    answer = await send(c, "GET", pathname);
    for (let n = 0; n < redirects && answer.status === 302; n++)
      answer = await send(c, "GET", answer.location);
  } catch (error) {
    cut = (error as { cut?: boolean }).cut === true;
  }
  const ok = answer?.status === 200;
  samples.push({ kind, post: false, at, ms: now() - at, ok, status: answer?.status ?? 0, cut });
  return ok ? answer : null;
}

/** One form a client sent (perhaps twice at once), for the checks against the database. */
interface Sent {
  /** Some answer said it was done. */
  acked: boolean;
  /** When the client first repeated it after a try got no answer (or a 502): null if it never had to. */
  repeatedAt: Date | null;
}
const newSent = (): Sent => ({ acked: false, repeatedAt: null });

/** Sends a form; repeats the very same form while there is no answer or a 502/503/504, as a phone would. */
async function post(
  kind: Kind,
  c: Client,
  pathname: string,
  form: URLSearchParams,
  ok: (a: Answer) => boolean,
  sent?: Sent,
): Promise<Answer | null> {
  for (let attempt = 0; attempt < POST_TRIES; attempt++) {
    const at = now();
    if (attempt > 0 && sent) sent.repeatedAt ??= new Date();
    let answer: Answer | null = null;
    try {
      answer = await send(c, "POST", pathname, form);
    } catch {
      // no answer: repeat
    }
    const good = answer !== null && ok(answer);
    samples.push({ kind, post: true, at, ms: now() - at, ok: good, status: answer?.status ?? 0 });
    if (good) {
      if (sent) sent.acked = true;
      return answer;
    }
    if (answer && ![502, 503, 504].includes(answer.status)) break;
    await sleep(250 * (attempt + 1));
  }
  gaveUp.set(kind, (gaveUp.get(kind) ?? 0) + 1);
  return null;
}

const loginForm = (identifier: string) =>
  new URLSearchParams({ identifier, password: PASSWORD, redirectTo: "", website: "" });

async function signIn(c: Client, identifier: string): Promise<string> {
  const answer = await post(
    "sign-in",
    c,
    "/login",
    loginForm(identifier),
    (a) => a.status === 302 && a.session !== null,
  );
  if (!answer?.session) throw new Error(`sign-in of ${identifier} failed`);
  return answer.session;
}

// What the clients sent and what they were told.
const quizzes = new Map<string, Sent & { userId: number; attempts: Set<string> }>();
const visitsSent = new Map<string, Sent>();
const signUps = new Map<string, Sent>();
const replays = { quiz: 0, visit: 0 };

async function reader(c: Client, offset: number) {
  for (let i = offset; running(); i++) await get("page read", c, READS[i % READS.length]!);
}

async function signInLoop(address: string) {
  for (let i = 0; running(); i++) {
    const c = client(address);
    const answer = await post(
      "sign-in",
      c,
      "/login",
      loginForm(SIGN_INS[i % SIGN_INS.length]!),
      (a) => a.status === 302 && a.session !== null,
    );
    if (answer?.session) await get("signed-in page", { ...c, cookie: answer.session }, answer.location, 3);
    c.agent.destroy();
    await sleep(200);
  }
}

/** Submits one quiz form (twice at once when `twice`: a double tap whose requests reach both instances). */
async function submitQuiz(
  c: Client,
  userId: number,
  lesson: QuizLesson,
  key: string,
  twice = false,
): Promise<void> {
  const form = new URLSearchParams(lesson.form);
  form.set("submissionKey", key);
  const entry = { ...newSent(), userId, attempts: new Set<string>() };
  quizzes.set(key, entry);
  const submit = async () => {
    const answer = await post(
      "quiz submission",
      c,
      `/courses/${COURSE}/${lesson.id}/quiz?index`,
      form,
      (a) => a.status === 302 && /\/quiz\/\d+$|attempt=\d+$/.test(a.location),
      entry,
    );
    // Every answer must name the one attempt stored for the key.
    if (answer) entry.attempts.add(/(\d+)$/.exec(answer.location)![1]!);
  };
  if (twice) replays.quiz++;
  await Promise.all(twice ? [submit(), submit()] : [submit()]);
}

interface QuizLesson {
  id: string;
  form: URLSearchParams;
}

async function quizLoop(c: Client, userId: number, lessons: QuizLesson[]) {
  for (let i = 0; running(); i++) {
    const lesson = lessons[i % lessons.length]!;
    const page = await get("quiz page", c, `/courses/${COURSE}/${lesson.id}/quiz`);
    if (!page) {
      await sleep(250);
      continue;
    }
    const key = /name="submissionKey" value="([A-Za-z0-9_-]{16,64})"/.exec(page.body)?.[1];
    if (!key) throw new Error("the quiz page has no submission key");
    await submitQuiz(c, userId, lesson, key, i % 5 === 4);
  }
}

const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());

/**
 * Records one visit (twice at once when `twice`). The notes name the submission id,
 * so the checks find each visit by it.
 */
async function submitVisit(c: Client, householdId: number, id: string, twice = false): Promise<void> {
  const form = new URLSearchParams({
    intent: "visit",
    submissionId: id,
    visitedOn: today,
    notes: `cluster ${run} ${id}`,
  });
  form.append("topics", "vneid");
  form.append("topics", "an_toan");
  const entry = newSent();
  visitsSent.set(id, entry);
  const submit = () =>
    post(
      "visit",
      c,
      `/field/households/${householdId}`,
      form,
      (a) => a.status === 302 && a.location.includes("saved=visit"),
      entry,
    );
  if (twice) replays.visit++;
  await Promise.all(twice ? [submit(), submit()] : [submit()]);
}

async function visitLoop(c: Client, householdId: number) {
  for (let i = 0; running(); i++) {
    const page = await get("household page", c, `/field/households/${householdId}`);
    if (!page) {
      await sleep(250);
      continue;
    }
    const id = new RegExp(
      'name="intent" value="visit"/><input type="hidden" name="submissionId" ' +
        'value="([A-Za-z0-9-]{16,64})"',
    ).exec(page.body)?.[1];
    if (!id) throw new Error("the household page has no submission id in its visit form");
    await submitVisit(c, householdId, id, i % 3 === 2);
  }
}

/**
 * Sign-ups with an email (a verification mail each)
 * and "forgot password" (a reset mail while the account's limit allows).
 */
async function mailLoop() {
  for (let i = 0; running(); i++) {
    // A new address each time: every sign-up counts against its address's limit.
    const c = client(`127.0.2.${(i % 250) + 1}`);
    if (i % 2 === 0) {
      const email = `cl-${run}-${i}@example.vn`;
      const entry = newSent();
      signUps.set(email, entry);
      const password = "mot buoi sang o An Hai";
      const form = new URLSearchParams({
        displayName: `Người thử ${i}`,
        identifier: email,
        password,
        confirmPassword: password,
        consent: "on",
        redirectTo: "",
        website: "",
      });
      // A repeat of a sign-up that was stored before its answer was lost is told the email has an account.
      await post(
        "sign-up",
        c,
        "/signup",
        form,
        (a) => a.status === 302 || (a.status === 200 && a.body.includes("Email này đã có tài khoản")),
        entry,
      );
    } else {
      const form = new URLSearchParams({
        identifier: EMAIL_ACCOUNTS[(i >> 1) % EMAIL_ACCOUNTS.length]!,
        website: "",
      });
      await post(
        "forgot password",
        c,
        "/forgot-password",
        form,
        (a) => a.status === 200 && (a.body.includes('role="status"') || a.body.includes("thử lại lúc")),
      );
    }
    c.agent.destroy();
    await sleep(300);
  }
}

// ─── Reporting ──────────────────────────────────────────────────────────────

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const table = (rows: (string | number)[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) =>
      r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join("  "),
    )
    .join("\n");
};

const checks: { name: string; ok: boolean; detail: string }[] = [];
const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ─── The run ────────────────────────────────────────────────────────────────

const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${database}`);
const db = postgres(dbUrl, { max: 2, onnotice: () => {} });
try {
  console.info(`bench:cluster: seeding the demo ward into ${database}…`);
  const seeded = spawnSync("npx", ["tsx", "db/seed-cli.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DATABASE_URL: dbUrl },
  });
  if (seeded.status !== 0) throw new Error("seeding failed");
  const { catalog, issues } = await readContentTree();
  if (issues.length) throw new Error("content has problems: run npm run content:check");
  const lessons = QUIZ_LESSONS.map((id) => ({
    id,
    form: quizForm(findLesson(catalog, COURSE, id)!.lesson.quiz),
  }));

  await new Promise<void>((resolve) => resend.listen(RESEND_PORT, "127.0.0.1", resolve));
  const conf = fs
    .readFileSync("deploy/nginx.conf.template", "utf8")
    .replaceAll("{{PREFIX}}", prefix)
    .replace("{{APP1}}", String(APP1))
    .replace("{{APP2}}", String(APP2))
    .replace("{{LISTEN}}", `127.0.0.1:${LB}`);
  fs.writeFileSync(path.join(prefix, "nginx.conf"), conf);
  const nginx = spawn(
    "/usr/sbin/nginx",
    ["-p", prefix, "-c", path.join(prefix, "nginx.conf"), "-e", path.join(prefix, "error.log")],
    { stdio: "inherit" },
  );
  children.add(nginx);
  let app1 = startInstance(APP1);
  let app2 = startInstance(APP2);
  await Promise.all([
    waitReady(`http://127.0.0.1:${APP1}/readyz`),
    waitReady(`http://127.0.0.1:${APP2}/readyz`),
    waitReady(`${ORIGIN}/healthz`),
  ]);
  for (const port of [APP1, APP2]) {
    for (const page of READS) {
      const status = (await fetch(`http://127.0.0.1:${port}${page}`)).status;
      // A lesson answers 500 when the build did not compile it into .cache/content (content:check).
      if (status !== 200)
        throw new Error(`${page} answers ${status} on :${port}: is the build complete (npm run build)?`);
    }
  }

  // The signed-in clients: the demo resident and a resident who signs up now take quizzes; two
  // members (of groups 1 and 2) record visits on a household of their group.
  const resident = client("127.0.1.20");
  resident.cookie = await signIn(resident, "0905123456");
  const newcomer = client("127.0.1.21");
  const newPhone = `0935${String(parseInt(run, 16) % 1_000_000).padStart(6, "0")}`;
  const signUpForm = new URLSearchParams({
    displayName: "Cư dân mới",
    identifier: newPhone,
    password: "mot buoi sang o An Hai",
    confirmPassword: "mot buoi sang o An Hai",
    consent: "on",
    redirectTo: "",
    website: "",
  });
  newcomer.cookie =
    (await post("sign-up", newcomer, "/signup", signUpForm, (a) => a.status === 302 && a.session !== null))
      ?.session ?? undefined;
  if (!newcomer.cookie) throw new Error("the sign-up of a second resident failed");
  const learners = await db<
    { phone: string; id: number }[]
  >`select phone, id from users where phone in ('+84905123456', ${`+84${newPhone.slice(1)}`})`;
  const userId = (phone: string) => learners.find((u) => u.phone === phone)!.id;
  const members = await Promise.all(
    MEMBERS.map(async (phone, m) => {
      const [household] = await db<{ id: number }[]>`
        select h.id from households h
        join teams t on t.group_id = h.group_id join team_members tm on tm.team_id = t.id
        join users u on u.id = tm.user_id
        where u.phone = ${`+84${phone.slice(1)}`} order by h.id limit 1`;
      const c = client(`127.0.1.${30 + m}`);
      c.cookie = await signIn(c, phone);
      return { c, householdId: household!.id };
    }),
  );
  samples.length = 0;
  gaveUp.clear();

  const crash = { from: Infinity, to: Infinity };
  const graceful = { from: Infinity, to: Infinity, exit: "" as number | string };
  loadStart = Date.now();
  const loadBefore = os.loadavg();
  const residentId = userId("+84905123456");
  const clients = [
    ...[0, 1, 2].map((n) => reader(client(`127.0.1.${n + 1}`), n * 3)),
    signInLoop("127.0.1.10"),
    quizLoop(resident, residentId, lessons),
    quizLoop(newcomer, userId(`+84${newPhone.slice(1)}`), lessons),
    ...members.map((m) => visitLoop(m.c, m.householdId)),
    mailLoop(),
  ];
  const chaos = (async () => {
    try {
      await sleep((SECONDS * 1000) / 3 - now());
      // A burst of forms just before the crash, so some are surely inside instance 1 when it dies
      // (keys and ids made by the client, as the phone's offline queue does).
      const burst = [
        ...[0, 1, 2, 3].map((n) =>
          submitQuiz(
            resident,
            residentId,
            lessons[n % lessons.length]!,
            randomBytes(18).toString("base64url"),
          ),
        ),
        ...[0, 1, 2, 3].map((n) =>
          submitVisit(members[n % members.length]!.c, members[n % members.length]!.householdId, randomUUID()),
        ),
      ];
      await sleep(150);
      crash.from = now();
      process.kill(-app1.pid!, "SIGKILL");
      await exited(app1);
      app1 = startInstance(APP1);
      await waitReady(`http://127.0.0.1:${APP1}/readyz`);
      crash.to = now();
      await Promise.all(burst);
      await sleep(Math.max((SECONDS * 2000) / 3 - now(), 3000));
      graceful.from = now();
      app2.kill("SIGTERM");
      graceful.exit = await exited(app2);
      app2 = startInstance(APP2);
      await waitReady(`http://127.0.0.1:${APP2}/readyz`);
      graceful.to = now();
    } finally {
      endAt = Math.max(SECONDS * 1000, now() + 5000);
    }
  })();
  await chaos;
  await Promise.all(clients);
  const loadMs = now();
  const loadAfter = os.loadavg();

  // The outbox drains: every message sent (or failed for good), none still pending.
  const drainStart = Date.now();
  let outbox: { id: number; to_address: string; status: string; kind: string; attempts: number }[] = [];
  for (;;) {
    outbox = await db`select id, to_address, status, kind, attempts from mail_outbox order by id`;
    if (!outbox.some((m) => m.status === "pending") || Date.now() - drainStart > MAIL_TIMEOUT_MS) break;
    await sleep(1000);
  }
  const drainMs = Date.now() - drainStart;

  // ─── What the database holds ───
  const quizKeys = [...quizzes.keys()];
  const storedAttempts = await db<{ key: string; id: string; n: number; at: Date }[]>`
    select submission_key as key, min(id)::text as id, count(*)::int as n, min(created_at) as at
    from quiz_attempts where submission_key in ${db([...quizKeys, "-"] as readonly string[])} group by 1`;
  const [allAttempts] = await db<{ n: number }[]>`
    select count(*)::int as n from quiz_attempts where user_id in ${db(learners.map((u) => u.id))}
      and created_at >= ${new Date(loadStart - 1000)}`;
  const storedVisits = await db<{ notes: string; n: number; ids: number[]; at: Date }[]>`
    select notes, count(*)::int as n, array_agg(id) as ids, min(created_at) as at
    from visits where notes like ${`cluster ${run} %`} group by notes`;
  const visitSubmissions = await db<{ id: string; visit: string }[]>`
    select id, result->>'visitId' as visit from field_submissions
    where kind = 'visit' and id in ${db([...visitsSent.keys(), "-"] as readonly string[])}`;
  const storedSignUps = await db<{ email: string; at: Date }[]>`
    select email, created_at as at from users where email like ${`cl-${run}-%`}`;

  // ─── Report ───
  const inCrash = (s: Sample) => s.at <= crash.to && s.at + s.ms >= crash.from;
  const kinds = [...new Set(samples.map((s) => s.kind))];
  const rows: (string | number)[][] = [
    ["kind", "requests", "failed in crash window", "failed elsewhere", "req/s", "p50 ms", "p95 ms"],
  ];
  for (const kind of kinds) {
    const mine = samples.filter((s) => s.kind === kind);
    const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
    const failed = mine.filter((s) => !s.ok);
    rows.push([
      kind,
      mine.length,
      failed.filter(inCrash).length,
      failed.filter((s) => !inCrash(s)).length,
      (mine.length / (loadMs / 1000)).toFixed(1),
      percentile(ms, 50),
      percentile(ms, 95),
    ]);
  }
  const all = samples.map((s) => s.ms).sort((a, b) => a - b);
  rows.push([
    "all",
    samples.length,
    samples.filter((s) => !s.ok && inCrash(s)).length,
    samples.filter((s) => !s.ok && !inCrash(s)).length,
    (samples.length / (loadMs / 1000)).toFixed(1),
    percentile(all, 50),
    percentile(all, 95),
  ]);

  const accessLog = fs.existsSync(path.join(prefix, "access.log"))
    ? fs.readFileSync(path.join(prefix, "access.log"), "utf8").split("\n")
    : [];
  const passedOn = accessLog.filter((l) => /upstream=\S+, /.test(l));
  // The instance that gave each answer: the last upstream nginx tried.
  const answeredBy = (port: number) =>
    accessLog.filter((line) => {
      const m = /upstream=(.+) upstream_status=(.+)$/.exec(line);
      return m && m[1]!.split(", ").at(-1) === `127.0.0.1:${port}` && /^[23]/.test(m[2]!.split(", ").at(-1)!);
    }).length;
  const nginxErrors = fs.existsSync(path.join(prefix, "error.log"))
    ? fs
        .readFileSync(path.join(prefix, "error.log"), "utf8")
        .split("\n")
        .filter((l) => l.includes("upstream"))
    : [];
  const errorKinds = new Map<string, number>();
  for (const line of nginxErrors) {
    const what = /\] \d+#\d+: \*\d+ (.*?)(?: \(\d+: [^)]*\))? (?:while|,)/.exec(line)?.[1] ?? "other";
    errorKinds.set(what, (errorKinds.get(what) ?? 0) + 1);
  }

  console.info(
    `\nHọcSố cluster bench ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC: ` +
      `nginx :${LB} → instances :${APP1}, :${APP2} ` +
      `(${WORKERS} process(es) each) on PostgreSQL ${database}; ${os.availableParallelism()} cores; ` +
      `load average ${loadBefore.map((n) => n.toFixed(1)).join(", ")} before, ` +
      `${loadAfter.map((n) => n.toFixed(1)).join(", ")} after`,
  );
  console.info(
    `load ${seconds(loadMs)}; instance 1 killed (SIGKILL) at ${seconds(crash.from)}, ` +
      `serving again at ${seconds(crash.to)};`,
  );
  console.info(
    `instance 2 stopped (SIGTERM) at ${seconds(graceful.from)}, exited with ${graceful.exit}, ` +
      `serving again at ${seconds(graceful.to)}\n`,
  );
  console.info(table(rows));
  console.info(
    `\ninstance 1 answered ${answeredBy(APP1)} requests, instance 2 ${answeredBy(APP2)}; ` +
      `nginx passed ${passedOn.length} on to the other instance after an error; ` +
      `its error log names ${nginxErrors.length} upstream errors` +
      (errorKinds.size ? ` (${[...errorKinds].map(([k, n]) => `${n} × ${k}`).join("; ")})` : ""),
  );

  const outside = samples.filter((s) => !s.ok && !inCrash(s));
  check(
    "no request failed outside the crash window " +
      "(before the kill, after instance 1 served again, the SIGTERM cycle)",
    outside.length === 0,
    `${outside.length} of ${samples.filter((s) => !inCrash(s)).length}` +
      (outside.length
        ? `: ${outside
            .slice(0, 5)
            .map((s) => `${s.kind} ${s.status} at ${seconds(s.at)}`)
            .join(", ")}`
        : ""),
  );
  const crashFailures = samples.filter((s) => !s.ok && inCrash(s));
  // nginx passes a GET on to the other instance unless the crashed one had begun its answer: nginx
  // has then sent the status line on, and can only cut the answer short.
  check(
    "in the crash window no GET failed that the crashed instance had not begun to answer",
    crashFailures.every((s) => s.post || s.cut),
    `${samples.filter(inCrash).length} requests in the window; ` +
      `failed: ${crashFailures.filter((s) => s.post).length} POSTs, ` +
      `${crashFailures.filter((s) => s.cut).length} GETs cut short mid-answer, ` +
      `${crashFailures.filter((s) => !s.post && !s.cut).length} other GETs`,
  );
  const unanswered = [...gaveUp.values()].reduce((a, b) => a + b, 0);
  check(
    "every POST that failed was answered when the client repeated it",
    unanswered === 0,
    `${samples.filter((s) => s.post && !s.ok).length} failed tries; ${unanswered} forms never answered` +
      (unanswered ? ` (${[...gaveUp].map(([k, n]) => `${k} ${n}`).join(", ")})` : ""),
  );

  const attemptByKey = new Map(storedAttempts.map((r) => [r.key, r]));
  const ackedKeys = quizKeys.filter((k) => quizzes.get(k)!.acked);
  const lostQuiz = ackedKeys.filter((k) => !attemptByKey.has(k));
  const doubledQuiz = storedAttempts.filter((r) => r.n > 1);
  const toldOther = ackedKeys.filter((k) => {
    const told = quizzes.get(k)!.attempts;
    return told.size !== 1 || !told.has(attemptByKey.get(k)?.id ?? "");
  });
  const unackedStored = quizKeys.filter((k) => !quizzes.get(k)!.acked && attemptByKey.has(k)).length;
  check(
    "quiz attempts: one per acknowledged submission key, none lost, none doubled",
    lostQuiz.length === 0 &&
      doubledQuiz.length === 0 &&
      toldOther.length === 0 &&
      allAttempts!.n === storedAttempts.length,
    `${quizKeys.length} forms sent (${replays.quiz} of them twice at once), ` +
      `${ackedKeys.length} acknowledged, ${storedAttempts.length} stored ` +
      `(${allAttempts!.n} attempts by these residents since the start); ` +
      `lost ${lostQuiz.length}, doubled ${doubledQuiz.length}, ` +
      `answers naming another attempt ${toldOther.length}; unacknowledged but stored ${unackedStored}`,
  );

  const visitsById = new Map(storedVisits.map((r) => [r.notes.split(" ").at(-1)!, r]));
  const visitIds = [...visitsSent.keys()];
  const ackedVisits = visitIds.filter((id) => visitsSent.get(id)!.acked);
  const lostVisits = ackedVisits.filter((id) => !visitsById.has(id));
  const doubledVisits = storedVisits.filter((r) => r.n > 1);
  const strayVisits = storedVisits.filter((r) => !visitsSent.has(r.notes.split(" ").at(-1)!));
  const submissionMismatch = visitSubmissions.filter((s) => String(visitsById.get(s.id)?.ids[0]) !== s.visit);
  check(
    "visits: one per acknowledged submission id, none lost, none doubled",
    lostVisits.length === 0 &&
      doubledVisits.length === 0 &&
      strayVisits.length === 0 &&
      submissionMismatch.length === 0 &&
      visitSubmissions.length === storedVisits.length,
    `${visitIds.length} forms sent (${replays.visit} of them twice at once), ` +
      `${ackedVisits.length} acknowledged, ${storedVisits.length} stored; ` +
      `lost ${lostVisits.length}, doubled ${doubledVisits.length}, not sent ${strayVisits.length}; ` +
      `submission records ${visitSubmissions.length} (${submissionMismatch.length} naming another visit)`,
  );

  const storedEmails = new Set(storedSignUps.map((u) => u.email));
  const storedAt = new Map(storedSignUps.map((u) => [u.email, u.at]));
  const ackedSignUps = [...signUps].filter(([, e]) => e.acked);
  const lostSignUps = ackedSignUps.filter(([email]) => !storedEmails.has(email));
  check(
    "sign-ups: every one answered is stored",
    lostSignUps.length === 0,
    `${signUps.size} sent, ${ackedSignUps.length} answered, ${storedEmails.size} stored, ` +
      `lost ${lostSignUps.length}`,
  );

  // The forms a client had to repeat: was the cut try stored (the repeat then stored nothing)
  // or not (the repeat stored it)?
  const cut: [string, Sent, Date | undefined][] = [
    ...[...quizzes].map(([k, q]): [string, Sent, Date | undefined] => ["quiz", q, attemptByKey.get(k)?.at]),
    ...[...visitsSent].map(([id, v]): [string, Sent, Date | undefined] => [
      "visit",
      v,
      visitsById.get(id)?.at,
    ]),
    ...[...signUps].map(([email, u]): [string, Sent, Date | undefined] => [
      "sign-up",
      u,
      storedAt.get(email),
    ]),
  ].filter(([, sent]) => sent.repeatedAt !== null);
  const storedBeforeRepeat = cut.filter(([, sent, at]) => at !== undefined && at < sent.repeatedAt!);
  const storedByRepeat = cut.filter(([, sent, at]) => at !== undefined && at >= sent.repeatedAt!);
  const repeatedKinds = [...new Set(cut.map(([k]) => k))]
    .map((k) => `${cut.filter(([c]) => c === k).length} ${k}`)
    .join(", ");
  const notStored = cut.length - storedBeforeRepeat.length - storedByRepeat.length;
  check(
    "forms repeated after a failed try (same key or id) are stored once",
    cut.every(([, , at]) => at !== undefined),
    `${cut.length} repeated (${repeatedKinds || "none"}): ` +
      `${storedBeforeRepeat.length} had been stored by the try that failed ` +
      `(the repeat stored nothing new), ${storedByRepeat.length} stored by the repeat, ` +
      `${notStored} not stored`,
  );

  const byKind = new Map<string, number>();
  for (const m of outbox) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
  const notSent = outbox.filter((m) => m.status !== "sent");
  const outboxKeys = new Set(outbox.map((m) => `hocso-mail-${m.id}`));
  const undelivered = outbox.filter((m) => deliveries.get(`hocso-mail-${m.id}`)?.to !== m.to_address);
  const strangers = [...deliveries.keys()].filter((k) => !outboxKeys.has(k));
  const resent = [...deliveries.values()].filter((d) => d.posts > 1);
  const queued = [...byKind].map(([k, n]) => `${n} ${k}`).join(", ");
  const drained = notSent.length ? `not drained: ${notSent.length} not sent` : "drained";
  check(
    "mail: every queued message sent, and accepted by the stand-in exactly once",
    outbox.length > 0 &&
      notSent.length === 0 &&
      undelivered.length === 0 &&
      strangers.length === 0 &&
      standIn.unkeyed === 0 &&
      standIn.conflicting === 0,
    `${outbox.length} queued (${queued}), outbox ${drained} ` +
      `${seconds(drainMs)} after the load; ${deliveries.size} accepted, ` +
      `${undelivered.length} missing or to another address, ${strangers.length} not in the outbox, ` +
      `${standIn.unkeyed} without a key, ${standIn.conflicting} key reused for another message; ` +
      `${resent.length} resent with the same key (answered from the idempotency record)`,
  );

  console.info("");
  for (const c of checks) console.info(`${c.ok ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
} finally {
  await stopAll();
  await new Promise<void>((resolve) => (resend.listening ? resend.close(() => resolve()) : resolve()));
  await db.end();
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.end();
  if (process.exitCode) console.info(`nginx's logs are kept in ${prefix}`);
  else fs.rmSync(prefix, { recursive: true, force: true });
}

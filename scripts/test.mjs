#!/usr/bin/env node
// `npm test`: every suite, in order (the four quick checks at once), stopping at the first failure.
// Never skips a suite: if something a suite needs is missing (Chromium), it is installed or the run
// fails.
// With DATABASE_URL set, integration tests and the browser tests run on PostgreSQL, each in
// databases made for the run; otherwise on embedded PGlite.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { findOrInstallChromium } from "./chromium.mjs";
import {
  biomeCommand,
  remixBuildCommand,
  runCollected,
  seedDemoCommand,
  typeCheckCommand,
} from "./commands.mjs";

const started = Date.now();
const results = [];

/** The summary's line for a suite: passed or failed, and how long it took. */
function resultLine(name, status, t0) {
  return `${status === 0 ? "✓" : "✗"} ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`;
}

/** Runs one suite, its output as it comes; false (after printing the summary) when it fails. */
async function step(name, command, args, env = process.env, explain = () => "") {
  const t0 = Date.now();
  console.info(`\n━━ ${name}: ${command} ${args.join(" ")}`);
  const status = await new Promise((resolve) =>
    spawn(command, args, { stdio: "inherit", env }).on("close", (code) => resolve(code)),
  );
  results.push(resultLine(name, status, t0));
  if (status === 0) return true;
  // The failures again, briefly, at the very end: CI logs are often read from the bottom.
  console.error(`${explain()}\n${results.join("\n")}\n\nFAILED: ${name}`);
  process.exitCode = status ?? 1;
  return false;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the colour codes (ESC [ … m) Playwright prints
const COLOUR_CODES = /\u001b\[[0-9;]*m/g;

/** The failed browser tests with the first lines of each error, from Playwright's JSON report. */
function browserFailures() {
  const file = "test-results/e2e-report.json";
  if (!fs.existsSync(file)) return "";
  const lines = [];
  const walk = (suite, titles) => {
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        for (const result of t.results ?? []) {
          if (result.status === "passed" || result.status === "skipped") continue;
          const title = [...titles, spec.title].filter(Boolean).join(" › ");
          lines.push(`\n✗ ${title} (${spec.file}:${spec.line}, ${result.status})`);
          for (const e of result.errors ?? []) {
            const text = (e.message ?? "").replace(COLOUR_CODES, "").split("\n").slice(0, 14);
            lines.push(...text.map((l) => `    ${l}`));
          }
        }
      }
    }
  };
  try {
    walk(JSON.parse(fs.readFileSync(file, "utf8")), []);
  } catch {
    return "";
  }
  return lines.length > 0 ? `\nFailed browser tests:${lines.join("\n")}\n` : "";
}

/**
 * Runs checks at once (each is a single process; together they use both cores), each one's output
 * printed whole when it ends; false (after the summary) when any fails.
 */
async function together(checks) {
  const outcomes = await Promise.all(
    checks.map(async ([name, command, args, env = process.env]) => {
      const t0 = Date.now();
      const { code: status, output } = await runCollected(command, args, env);
      console.info(`\n━━ ${name}: ${command} ${args.join(" ")}\n${output.toString()}`);
      return { name, status, line: resultLine(name, status, t0) };
    }),
  );
  results.push(...outcomes.map((o) => o.line));
  const failed = outcomes.filter((o) => o.status !== 0);
  if (failed.length === 0) return true;
  console.error(`${results.join("\n")}\n\nFAILED: ${failed.map((o) => o.name).join(", ")}`);
  process.exitCode = failed[0].status ?? 1;
  return false;
}

const database = process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
console.info(`HọcSố tests on ${database}`);

const chromium = findOrInstallChromium();
console.info(
  `Browser tests use ${chromium.headlessShell || "Playwright's own headless shell"} ` +
    `and ${chromium.full || "Playwright's own Chromium"}`,
);

// `npm test -- --database-suites`: only the suites a database changes (integration and browser
// tests), for a second run on another database (.ci/run runs everything on PGlite first).
const databaseSuitesOnly = process.argv.includes("--database-suites");
// `--built` with it: the site and its service worker as the run before this one built them from the same
// checkout (.ci/run's first run), not built again.
const reuseBuild = databaseSuitesOnly && process.argv.includes("--built");
if (reuseBuild && !fs.existsSync("build/index.js")) {
  console.error("--built: there is no build (build/index.js) to use; run without --built");
  process.exit(1);
}
if (databaseSuitesOnly) {
  results.push(
    "– content check, type check, lint, unit tests: not run here " +
      "(--database-suites; they do not touch a database)",
  );
  console.info(`\n${results.at(-1)}`);
}
// What every browser-test server shares is made once, while the site builds: the service worker,
// and the demo ward seeded into one database that each server's database is a copy of (an embedded
// database's folder, or a PostgreSQL template database). Each server would otherwise do both itself.
const e2eWorkers = Math.max(1, Number(process.env.E2E_WORKERS ?? 2));
const e2eEnv = {
  ...process.env,
  CHROMIUM_PATH: chromium.full,
  CHROMIUM_HEADLESS_SHELL_PATH: chromium.headlessShell,
  E2E_SW_BUILT: "1",
};
// PostgreSQL: the seeded database, and one copy of it per browser-test worker.
const run = `hocso_e2e_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
const seededDatabase = `${run}_seeded`;
const e2eDatabases = Array.from({ length: e2eWorkers }, (_, slot) => `${run}_${slot}`);
const seedEnv = { ...process.env };
/** The address of a database made for this run, on DATABASE_URL's server. */
function e2eDatabaseUrl(name) {
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
if (process.env.DATABASE_URL) {
  seedEnv.DATABASE_URL = e2eDatabaseUrl(seededDatabase);
  e2eEnv.E2E_DATABASE_URLS = e2eDatabases.map(e2eDatabaseUrl).join(",");
  e2eEnv.E2E_SEEDED = "1";
} else {
  seedEnv.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-e2e-template-"));
  e2eEnv.E2E_TEMPLATE_DIR = seedEnv.DATA_DIR;
}
const production = { ...process.env, NODE_ENV: "production" };
const seedStep = ["browser tests' demo ward", ...seedDemoCommand, seedEnv];
const buildSteps = [
  ["production build", ...remixBuildCommand, production],
  ["service worker build", "node", ["scripts/build-sw.mjs"], production],
  seedStep,
];

/** Runs statements one by one on the PostgreSQL server of DATABASE_URL (creating and dropping databases). */
async function onPostgres(statements) {
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    for (const statement of statements) await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}

/** Whether nothing listens on this port of the loopback address. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "localhost", () => probe.close(() => resolve(true)));
  });
}

const e2eFirstPort = Number(process.env.E2E_PORT ?? 3100);
const e2eServers = [];
/** Whether every one of them answers its health check (false if one exits first). */
let e2eServersAnswer = Promise.resolve(false);

/**
 * Starts the browser tests' servers (scripts/e2e-server.mjs, one per worker, on the ports and databases
 * playwright.config.ts gives them) as soon as what they share is made, so that their start (about 3 s of
 * CPU each) runs beside the unit and integration tests instead of before the first browser test; the
 * config then uses them (E2E_SERVERS_STARTED). Their output is printed as Playwright prints a server's.
 * A port already taken (a server left from another run) fails the run here rather than be tested.
 */
async function startE2eServers() {
  for (let slot = 0; slot < e2eWorkers; slot++) {
    const port = e2eFirstPort + slot;
    if (!(await portIsFree(port))) {
      console.error(
        `Port ${port} is already in use: stop what listens there (or set E2E_PORT) and run again.`,
      );
      process.exitCode = 1;
      return false;
    }
  }
  for (let slot = 0; slot < e2eWorkers; slot++) {
    const env = { ...e2eEnv, E2E_PORT: String(e2eFirstPort + slot) };
    if (process.env.DATABASE_URL) env.E2E_DATABASE_URL = e2eDatabaseUrl(e2eDatabases[slot]);
    const server = spawn("node", ["scripts/e2e-server.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [server.stdout, server.stderr]) {
      let rest = "";
      stream.setEncoding("utf8").on("data", (chunk) => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop();
        for (const line of lines) console.info(`[WebServer] ${line}`);
      });
    }
    e2eServers.push(server);
  }
  e2eEnv.E2E_SERVERS_STARTED = "1";
  e2eServersAnswer = Promise.all(
    e2eServers.map(async (server, slot) => {
      const health = `http://localhost:${e2eFirstPort + slot}/healthz`;
      const deadline = Date.now() + 180_000;
      while (server.exitCode === null && server.signalCode === null && Date.now() < deadline) {
        if (await answers(health)) return true;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      console.error(
        `The browser tests' server on port ${e2eFirstPort + slot} did not start (see its output above).`,
      );
      return false;
    }),
  ).then((answered) => answered.every(Boolean));
  return true;
}

/** Whether an address answers 2xx now. */
function answers(url) {
  return fetch(url).then(
    (response) => response.ok,
    () => false,
  );
}

/** Stops the browser tests' servers and waits until they have exited. */
async function stopE2eServers() {
  await Promise.all(
    e2eServers.map(
      (server) =>
        new Promise((resolve) => {
          if (server.exitCode !== null || server.signalCode !== null) return resolve();
          server.once("exit", resolve);
          server.kill("SIGTERM");
        }),
    ),
  );
}

const CACHE = "node_modules/.cache/hocso-checks";
let browserOk = false;
/**
 * Once what the browser tests share is made (`made`), and on PostgreSQL each worker's copy of the seeded
 * database: their servers start.
 */
async function prepareBrowserTests(made) {
  if (!(await made)) return false;
  if (process.env.DATABASE_URL)
    await onPostgres(e2eDatabases.map((name) => `create database ${name} template ${seededDatabase}`));
  return startE2eServers();
}
try {
  if (process.env.DATABASE_URL) await onPostgres([`create database ${seededDatabase}`]);
  // The builds run beside the checks, before the integration tests, whose server-process tests then
  // find the build instead of making one; on a second database (--database-suites) after them, or with
  // --built (the build is there already) only the seed, beside them. The type check, the longest check
  // (one core), goes on beside the start of the unit and integration tests instead of keeping the other
  // core idle at its end. The browser tests' servers start as soon as their database is made, beside the
  // unit and integration tests.
  let ok;
  if (reuseBuild) {
    const [tested, prepared] = await Promise.all([
      step("integration tests", "npx", ["vitest", "run", "--project", "integration"]),
      prepareBrowserTests(together([seedStep])),
    ]);
    ok = tested && prepared;
  } else if (databaseSuitesOnly)
    ok =
      (await step("integration tests", "npx", ["vitest", "run", "--project", "integration"])) &&
      (await prepareBrowserTests(together(buildSteps)));
  else {
    // The type check keeps what it learnt of unchanged files in node_modules/.cache: a second run checks
    // only what changed. A fresh clone has none. Biome checks everything each time, in under a second.
    const typeChecked = together([
      [
        "type check",
        typeCheckCommand[0],
        [...typeCheckCommand[1], "--incremental", "--tsBuildInfoFile", `${CACHE}/tsc7.tsbuildinfo`],
      ],
    ]);
    ok =
      (await prepareBrowserTests(
        together([
          ["content check", "npm", ["run", "--silent", "content:check"]],
          ["lint and format check (Biome)", ...biomeCommand],
          ["line length, ES5 scripts", "node", ["scripts/check-lines.mjs"]],
          ...buildSteps,
        ]),
      )) && (await step("unit and integration tests", "npx", ["vitest", "run"]));
    ok = (await typeChecked) && ok;
  }
  if (ok && !(await e2eServersAnswer)) {
    process.exitCode = 1;
    ok = false;
  }
  if (ok)
    browserOk = await step(
      "browser tests (Playwright, Chromium)",
      "npx",
      ["playwright", "test"],
      e2eEnv,
      browserFailures,
    );
} finally {
  await stopE2eServers();
  if (process.env.DATABASE_URL)
    await onPostgres(
      [seededDatabase, ...e2eDatabases].map((name) => `drop database if exists ${name} with (force)`),
    );
  else fs.rmSync(seedEnv.DATA_DIR, { recursive: true, force: true });
}

if (!browserOk) process.exit();
console.info(
  `\n${results.join("\n")}\n\n` +
    `All suites passed on ${database} in ${((Date.now() - started) / 1000).toFixed(0)}s.`,
);

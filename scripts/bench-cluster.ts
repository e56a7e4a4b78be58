/**
 * `npm run bench:cluster`: nginx (deploy/nginx.conf.template, as a non-root, non-daemon process
 * with its own prefix) in front of two production instances on one fresh PostgreSQL database.
 * Runs a load of page reads through nginx, stops instance 1 with SIGTERM in the middle (graceful
 * shutdown) and starts it again, and checks that no request failed. Prints what it measured.
 *
 * Not covered yet (see README): quiz submissions, sign-ins, visits and the mail exactly-once check.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BASE_PORT = Number(process.env.CLUSTER_PORT ?? 3180);
const [LB, APP1, APP2] = [BASE_PORT, BASE_PORT + 1, BASE_PORT + 2];
const SECONDS = Number(process.env.CLUSTER_SECONDS ?? 30);
const CLIENTS = 6;

const database = `hocso_cluster_${Date.now().toString(36)}`;
const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-cluster-"));
const children: ChildProcess[] = [];

function startInstance(port: number): ChildProcess {
  const child = spawn("node", ["server.mjs", "./build/index.js"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: dbUrl, PORT: String(port), HOST: "127.0.0.1", TRUST_PROXY: "1", INSECURE_COOKIES: "1", LOG_LEVEL: "warn", DATA_DIR: path.join(prefix, "data") },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

async function waitReady(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${database}`);
try {
  const conf = fs
    .readFileSync("deploy/nginx.conf.template", "utf8")
    .replaceAll("{{PREFIX}}", prefix)
    .replace("{{APP1}}", String(APP1))
    .replace("{{APP2}}", String(APP2))
    .replace("{{LISTEN}}", `127.0.0.1:${LB}`);
  fs.writeFileSync(path.join(prefix, "nginx.conf"), conf);
  const nginx = spawn("/usr/sbin/nginx", ["-p", prefix, "-c", path.join(prefix, "nginx.conf"), "-e", path.join(prefix, "error.log")], { stdio: "inherit" });
  children.push(nginx);
  let app1 = startInstance(APP1);
  startInstance(APP2);
  await Promise.all([waitReady(`http://127.0.0.1:${APP1}/readyz`), waitReady(`http://127.0.0.1:${APP2}/readyz`)]);
  await waitReady(`http://127.0.0.1:${LB}/healthz`);

  const pages = ["/courses", "/courses/nen-tang-so/danang-smart-city", "/verify", "/healthz", "/"];
  const results: { at: number; ms: number; ok: boolean; status: number }[] = [];
  const started = Date.now();
  let restartWindow = { from: Infinity, to: Infinity };
  const load = Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = c; Date.now() - started < SECONDS * 1000; i++) {
      const t0 = Date.now();
      try {
        const r = await fetch(`http://127.0.0.1:${LB}${pages[i % pages.length]}`);
        await r.arrayBuffer();
        results.push({ at: t0 - started, ms: Date.now() - t0, ok: r.ok, status: r.status });
      } catch {
        results.push({ at: t0 - started, ms: Date.now() - t0, ok: false, status: 0 });
      }
    }
  });
  const chaos = (async () => {
    await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 3));
    restartWindow.from = Date.now() - started;
    app1.kill("SIGTERM");
    await new Promise((r) => app1.once("exit", r));
    app1 = startInstance(APP1);
    await waitReady(`http://127.0.0.1:${APP1}/readyz`);
    restartWindow = { ...restartWindow, to: Date.now() - started };
  })();
  await Promise.all([...load, chaos]);

  const failed = results.filter((r) => !r.ok);
  const after = results.filter((r) => r.at > restartWindow.to);
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  console.info(`\nHọcSố cluster bench: nginx :${LB} → instances :${APP1}, :${APP2} on PostgreSQL ${database}, ${CLIENTS} clients, ${SECONDS} s`);
  console.info(`instance 1 stopped (SIGTERM) at ${(restartWindow.from / 1000).toFixed(1)} s, serving again at ${(restartWindow.to / 1000).toFixed(1)} s`);
  console.info(`requests ${results.length}, failed ${failed.length} (after the restart window: ${after.filter((r) => !r.ok).length} of ${after.length})`);
  console.info(`latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${sorted.at(-1)} ms; load average ${os.loadavg()[0]!.toFixed(1)}`);
  if (failed.length > 0) {
    console.error(`FAILED: ${failed.length} requests failed`, failed.slice(0, 5));
    process.exitCode = 1;
  }
} finally {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.end();
  fs.rmSync(prefix, { recursive: true, force: true });
}

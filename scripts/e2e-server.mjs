// The server the browser tests drive: the production build on a fresh database with the demo
// ward. Embedded PGlite in a temporary folder by default; with E2E_DATABASE_URL, a fresh
// PostgreSQL database made for this run by scripts/test.mjs. playwright.config.ts starts one per
// browser-test worker, each on its own port (E2E_PORT) and database.
//
// `npm test` prepares what the servers share once, while the site builds (scripts/test.mjs):
// E2E_TEMPLATE_DIR, a folder whose embedded database has the demo ward (each server copies it), or
// E2E_SEEDED=1 (its PostgreSQL databases were copied from a seeded one), and E2E_SW_BUILT=1 (the
// service worker is built). Run alone (`npm run test:e2e`), a server seeds and builds for itself.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedDemoCommand } from "./commands.mjs";

// One server process: the browser tests follow one sequence of events
// (WEB_CONCURRENCY=2 or more runs node:cluster, as `npm run bench:cluster` does).
const env = {
  WEB_CONCURRENCY: "1",
  ...process.env,
  NODE_ENV: "production",
  INSECURE_COOKIES: "1",
  DEV_OUTBOX: "1",
  PORT: process.env.E2E_PORT ?? "3100",
};
env.LOCAL_URL = `http://localhost:${env.PORT}`;
if (env.E2E_DATABASE_URL) {
  env.DATABASE_URL = env.E2E_DATABASE_URL;
  if (env.E2E_SEEDED !== "1") {
    const seed = spawnSync(...seedDemoCommand, { stdio: "inherit", env });
    if (seed.status !== 0) process.exit(seed.status ?? 1);
  }
} else {
  delete env.DATABASE_URL;
  env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-e2e-"));
  // Without a template the server creates, migrates and seeds its database itself (SEED_DEMO=auto).
  if (env.E2E_TEMPLATE_DIR)
    fs.cpSync(path.join(env.E2E_TEMPLATE_DIR, "pglite"), path.join(env.DATA_DIR, "pglite"), {
      recursive: true,
    });
}
// The service worker is built beside the Remix build (`npm run build` does it too).
if (env.E2E_SW_BUILT !== "1") {
  const sw = spawnSync("node", ["scripts/build-sw.mjs"], { stdio: "inherit", env });
  if (sw.status !== 0) process.exit(sw.status ?? 1);
}
const server = spawn("node", ["server.mjs", "./build/index.js"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

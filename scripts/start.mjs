#!/usr/bin/env node
// `npm start`: build the production site (when a source changed since the last build), then serve it.
// With no DATABASE_URL the embedded database in DATA_DIR (default .data/) is created, migrated and
// filled with the demo ward.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedDemoCommand } from "./commands.mjs";

const env = { ...process.env, NODE_ENV: "production" };
// A local demo runs on plain http; Secure cookies are kept for deployments behind https.
if (!env.PUBLIC_URL?.startsWith("https://") && env.INSECURE_COOKIES === undefined) env.INSECURE_COOKIES = "1";

/** The newest modification time under these files and folders (the build's own output excluded). */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    if (!fs.existsSync(p) || p === path.join("public", "build")) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    else max = Math.max(max, stat.mtimeMs);
  };
  paths.forEach(walk);
  return max;
}

/**
 * Runs a command to its end; resolves with its exit code. `lowPriority`: its process and the ones it
 * starts run at the lowest CPU priority, set at once, before Node in the child starts its own threads
 * (they take the main thread's priority, as do the processes it starts).
 */
function run(command, args, { runEnv = env, lowPriority = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: runEnv });
    if (lowPriority) {
      try {
        os.setPriority(child.pid, 19);
      } catch {
        // Not permitted here: it runs at the usual priority.
      }
    }
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", () => resolve(1));
  });
}

// Build once: again only when a source is newer than the build (a fresh clone always builds).
// scripts/build.mjs is `npm run build` (the lessons compiled ahead of time, the Remix build, the
// service worker), started by Node directly.
const builtAt = fs.existsSync("build/index.js") ? fs.statSync("build/index.js").mtimeMs : 0;
const sources = [
  "app",
  "content",
  "db",
  "public",
  "remix.config.js",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];
const buildNeeded = builtAt === 0 || newest(sources) > builtAt;
if (!buildNeeded) console.info("HọcSố: the production build is up to date (npm run build rebuilds it)");

// The first start of the embedded database creates it (initdb, in WebAssembly), migrates it and
// seeds the demo ward: done here beside the build, in a folder of its own that takes the database's
// place only once it is complete (an interrupted first start leaves no half-made database).
// Both want the CPU: the database's one process goes first, and the build's four (content:check, the
// Remix build, the service worker, esbuild) run at the lowest priority on what it leaves, so the
// two end close together (on two cores, 7.6 and 9.6 s, against 11.9 and 7.7 s at equal priority).
// The server starts as soon as the build is done; should the database still be in the making, it
// loads meanwhile and opens it once it is in place (DATA_DIR_PREPARING; db/client.server.ts).
const dataDir = path.resolve(env.DATA_DIR ?? ".data");
const pgliteDir = path.join(dataDir, "pglite");
const prepareDatabase =
  !env.DATABASE_URL && env.SEED_DEMO !== "off" && !dataDir.startsWith("memory:") && !fs.existsSync(pgliteDir);
const preparing = `${dataDir}.preparing`;

/** Moves the prepared database into DATA_DIR (or, if preparing it failed, leaves it to the server). */
function finishPreparation(code) {
  try {
    if (code !== 0) throw new Error(`exit code ${code}`);
    if (!fs.existsSync(pgliteDir)) {
      fs.mkdirSync(dataDir, { recursive: true });
      // The database last: its presence is what says the preparation is complete.
      const entries = fs.readdirSync(preparing).sort((a, b) => (a === "pglite") - (b === "pglite"));
      for (const name of entries) {
        if (!fs.existsSync(path.join(dataDir, name)))
          fs.renameSync(path.join(preparing, name), path.join(dataDir, name));
      }
    }
  } catch (error) {
    console.warn(
      `HọcSố: preparing the database beside the build failed (${error.message}); ` +
        "the server creates it at start",
    );
  } finally {
    // Its removal is what the server waits for.
    fs.rmSync(preparing, { recursive: true, force: true });
  }
}

let preparation;
if (prepareDatabase) {
  fs.rmSync(preparing, { recursive: true, force: true });
  fs.mkdirSync(preparing, { recursive: true });
  console.info(
    `HọcSố: creating the embedded database with the demo ward${buildNeeded ? " while the site builds" : ""}`,
  );
  preparation = run(...seedDemoCommand, { runEnv: { ...env, DATA_DIR: preparing } }).then(finishPreparation);
}
const buildCode = buildNeeded
  ? await run(process.execPath, ["scripts/build.mjs"], { lowPriority: prepareDatabase })
  : 0;
if (buildCode !== 0) {
  await preparation;
  process.exit(buildCode);
}

const port = env.PORT ?? "3000";
// Mail links of the local demo point here (never at a request's Host header); PUBLIC_URL wins when set.
env.LOCAL_URL ??= `http://localhost:${port}`;
console.info(`HọcSố: starting on http://localhost:${port}`);
const server = spawn("node", ["server.mjs", "./build/index.js"], {
  stdio: "inherit",
  env: { ...env, PORT: port, ...(prepareDatabase ? { DATA_DIR_PREPARING: preparing } : {}) },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

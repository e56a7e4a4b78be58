#!/usr/bin/env node
// `npm start`: build the production site (when a source changed since the last build), then serve it. With no DATABASE_URL the embedded
// database in DATA_DIR (default .data/) is created, migrated and filled with the demo ward.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

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

// Build once: again only when a source is newer than the build (a fresh clone always builds).
// `npm run build` compiles the lessons ahead of time (content:check) before the Remix build.
const builtAt = fs.existsSync("build/index.js") ? fs.statSync("build/index.js").mtimeMs : 0;
const sources = ["app", "content", "db", "public", "remix.config.js", "package.json", "package-lock.json", "tsconfig.json"];
if (builtAt === 0 || newest(sources) > builtAt) {
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
} else {
  console.info("HọcSố: the production build is up to date (npm run build rebuilds it)");
}

const port = env.PORT ?? "3000";
// Mail links of the local demo point here (never at a request's Host header); PUBLIC_URL wins when set.
env.LOCAL_URL ??= `http://localhost:${port}`;
console.info(`HọcSố: starting on http://localhost:${port}`);
const server = spawn("node", ["server.mjs", "./build/index.js"], { stdio: "inherit", env: { ...env, PORT: port } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

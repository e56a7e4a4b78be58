#!/usr/bin/env node
// `npm start`: build the production site, then serve it. With no DATABASE_URL the embedded
// database in DATA_DIR (default .data/) is created, migrated and filled with the demo ward.
import { spawnSync, spawn } from "node:child_process";

const env = { ...process.env, NODE_ENV: "production" };
// A local demo runs on plain http; Secure cookies are kept for deployments behind https.
if (!env.PUBLIC_URL?.startsWith("https://") && env.INSECURE_COOKIES === undefined) env.INSECURE_COOKIES = "1";

// `npm run build` compiles the lessons ahead of time (content:check) before the Remix build.
const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = env.PORT ?? "3000";
// Mail links of the local demo point here (never at a request's Host header); PUBLIC_URL wins when set.
env.LOCAL_URL ??= `http://localhost:${port}`;
console.info(`HọcSố: starting on http://localhost:${port}`);
const server = spawn("node", ["server.mjs", "./build/index.js"], { stdio: "inherit", env: { ...env, PORT: port } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

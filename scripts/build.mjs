#!/usr/bin/env node
// `npm run build`: the production build, three independent steps run side by side, each in its own
// process (both cores work):
// 1. content:check: checks every lesson and quiz and compiles the lessons into .cache/content,
//    which the server reads at run time (the Remix build does not read it);
// 2. the Remix build (classic compiler) into build/ and public/build/;
// 3. the service worker and the field pages' script (scripts/build-sw.mjs) into public/.
// Each step's output is printed whole when it ends, in this order; the build fails if any step fails.
// Node runs each step itself: `npm run`, `npx` and tsx's command line each start another Node
// process first (0.5 s apiece), which a first `npm start` paid on its way to its first page.
import { remixBuildCommand, runCollected } from "./commands.mjs";

const node = process.execPath;
// The classic compiler loads Vite's CommonJS build, whose deprecation notice is about Vite's own users.
const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? "production",
  VITE_CJS_IGNORE_WARNING: "true",
};

const steps = [
  { name: "content:check", command: [node, ["--import", "tsx", "scripts/content-check.ts"]] },
  { name: "remix build", command: remixBuildCommand },
  { name: "service worker", command: [node, ["scripts/build-sw.mjs"]] },
];

const started = Date.now();
const results = await Promise.all(
  steps.map(({ command: [command, args] }) => runCollected(command, args, env)),
);
let failed = false;
for (const [i, { code, output }] of results.entries()) {
  process.stdout.write(output);
  if (code !== 0) {
    failed = true;
    console.error(`build: ${steps[i].name} failed (exit code ${code})`);
  }
}
if (failed) process.exit(1);
console.info(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

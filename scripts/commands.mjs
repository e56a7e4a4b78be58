// Commands the start, the build, the test runner and the browser tests' server share, run by Node
// itself (`npx tsx …` starts npm and then tsx's own launcher before the script: about 0.7 s more), and
// how the build and the test runner run them side by side.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** The Remix build (classic compiler): its command line's script, without the `remix` bin shim. */
export const remixBuildCommand = [process.execPath, [require.resolve("@remix-run/dev/dist/cli.js"), "build"]];

/**
 * `npm test`'s type check, the program `npm run typecheck` runs: TypeScript 7, the native compiler,
 * installed as the package `typescript-7` (typescript@7 under another name). It checks the whole
 * project in about 8 CPU-seconds where TypeScript 5.9 takes 27. TypeScript 5.9 stays the package
 * `typescript`: Remix's tools ask for TypeScript 5 (a peer dependency), and editors use its JavaScript
 * API, which TypeScript 7 does not have. Both install a `tsc` command, so this names its own.
 */
export const typeCheckCommand = [
  process.execPath,
  [path.join(path.dirname(require.resolve("typescript-7/package.json")), "bin", "tsc"), "--noEmit"],
];

/**
 * `npm test`'s lint and format check, what `npm run lint` runs first: Biome (biome.jsonc) on the whole
 * project, failing on any error or warning; its package's launcher starts the native program.
 */
export const biomeCommand = [
  process.execPath,
  [require.resolve("@biomejs/biome/bin/biome"), "ci", "--error-on-warnings", "--colors=off", "."],
];

/**
 * Seeds the demo ward (db/seed-cli.ts) into the configured database. With the embedded database the
 * first open runs PostgreSQL's initdb in WebAssembly for a few seconds, once. `--liftoff-only` keeps
 * V8 on its baseline WebAssembly compiler: otherwise its optimizing compiler recompiles PGlite's 9 MB
 * module on background threads while initdb runs, about 4 CPU-seconds that a process this short never
 * gets back, taken from the build beside it on a two-core machine (measured: 12.5 → 7.9 CPU-seconds,
 * 9.0 → 6.3 s alone). The server itself runs without it: it lives long enough for the optimized code.
 */
export const seedDemoCommand = [process.execPath, ["--liftoff-only", "--import", "tsx", "db/seed-cli.ts"]];

/**
 * Runs a command to its end with its output kept rather than printed, for steps run side by side whose
 * output is printed whole, one step after another: resolves with its exit code (1 when it was killed)
 * and everything it wrote to stdout and stderr, in order (and why, when it could not start).
 */
export function runCollected(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const output = [];
    let started = true;
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    child.on("error", (error) => {
      started = false;
      output.push(Buffer.from(`${error.message}\n`));
    });
    child.on("close", (code) => resolve({ code: started ? (code ?? 1) : 1, output: Buffer.concat(output) }));
  });
}

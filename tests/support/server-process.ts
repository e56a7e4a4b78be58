/**
 * Runs the production server (`node server.mjs ./build/index.js`) as its own process, the way an
 * operator does, for tests of what only a real process shows: signals, exit codes, its log.
 * Builds the site first when there is no build.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export function ensureBuild(): void {
  // `npm run build`: the lessons compiled ahead of time (.cache/content), then the Remix build.
  if (fs.existsSync(path.join(root, "build/index.js")) && fs.existsSync(path.join(root, ".cache/content")))
    return;
  const r = spawnSync("npm", ["run", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.status !== 0) throw new Error("npm run build failed");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Every line the process wrote (stdout and stderr). */
  output: string[];
  exited: Promise<number | null>;
}

export async function startServer(env: Record<string, string | undefined>): Promise<ServerProcess> {
  ensureBuild();
  const port = await freePort();
  const child = spawn("node", ["server.mjs", "./build/index.js"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      INSECURE_COOKIES: "1",
      SEED_DEMO: "off",
      LOG_LEVEL: "info",
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!])
    stream.on("data", (chunk: Buffer) => output.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited at start:\n${output.join("\n")}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not answer /healthz:\n${output.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, base, output, exited };
}

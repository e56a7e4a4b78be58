/**
 * A graceful shutdown: SIGTERM in the middle of a burst of requests. Every request the server
 * had received is answered (none reset), the process exits 0 after closing the database, and
 * the embedded database opens again cleanly from its data folder.
 */
import { spawnSync } from "node:child_process";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startServer, type ServerProcess } from "../support/server-process";

/**
 * A site folder whose embedded database is the migrated template the other files copy (an empty
 * folder would cost the server seconds of initdb and migrations before the test begins).
 */
function siteFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const template = inject("pgliteTemplate");
  if (!process.env.DATABASE_URL && template) {
    fs.mkdirSync(path.join(dir, "pglite"));
    expect(spawnSync("tar", ["-xf", template, "-C", path.join(dir, "pglite")]).status).toBe(0);
  }
  return dir;
}

const dataDir = siteFolder("hocso-shutdown-");
let server: ServerProcess | undefined;

afterAll(() => {
  if (server?.child.exitCode === null) server.child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Result {
  status?: number;
  error?: string;
}

/**
 * One request on a connection of its own;
 * `connected` resolves once the TCP connection is up and the request written.
 */
function request(base: string, pathname: string): { connected: Promise<void>; done: Promise<Result> } {
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const done = new Promise<Result>((resolve) => {
    const req = http.get(`${base}${pathname}`, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode }));
      res.on("error", (e) => resolve({ error: e.message }));
    });
    req.on("finish", markConnected);
    req.on("error", (e: NodeJS.ErrnoException) => {
      markConnected();
      resolve({ error: e.code ?? e.message });
    });
  });
  return { connected, done };
}

describe("SIGTERM during a burst of requests", () => {
  it("answers every request in flight, exits 0, and leaves a database that opens cleanly", {
    timeout: 180_000,
  }, async () => {
    server = await startServer({ DATA_DIR: dataDir });
    const paths = [
      "/courses/nen-tang-so/danang-smart-city",
      "/courses",
      "/healthz",
      "/verify/ABCD-2345",
      "/",
    ];
    // Warm the lesson cache so the burst measures serving, not the first compile.
    await fetch(`${server.base}${paths[0]}`);
    const burst = Array.from({ length: 40 }, (_, i) => request(server!.base, paths[i % paths.length]!));
    await Promise.all(burst.map((r) => r.connected));
    // Signal while the server is still working through the burst.
    await Promise.race(burst.map((r) => r.done));
    server.child.kill("SIGTERM");
    const results = await Promise.all(burst.map((r) => r.done));
    const code = await server.exited;

    if (results.some((r) => r.error))
      console.log(
        JSON.stringify(results),
        server.output.filter((l) => !l.includes('"msg":"request"')).join("\n"),
      );
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(code).toBe(0);
    const log = server.output.join("\n");
    expect(log).toContain("shutting down: finishing requests in flight");
    expect(log).toContain("shut down cleanly");
    // After the listener closed, a new connection is refused (not accepted and dropped).
    const late = await request(server.base, "/healthz").done;
    expect(late.error).toBe("ECONNREFUSED");

    if (!process.env.DATABASE_URL) {
      const { PGlite } = await import("@electric-sql/pglite");
      const db = await PGlite.create(path.join(dataDir, "pglite"));
      const { rows } = await db.query<{ n: number }>(
        "select count(*)::int as n from drizzle.__drizzle_migrations",
      );
      expect(rows[0]!.n).toBeGreaterThan(0);
      await db.close();
    }
  });

  it("a second signal stops the process at once", { timeout: 180_000 }, async () => {
    server = await startServer({ DATA_DIR: siteFolder("hocso-shutdown2-") });
    const slow = Array.from({ length: 20 }, () =>
      request(server!.base, "/courses/nen-tang-so/danang-smart-city"),
    );
    await Promise.all(slow.map((r) => r.connected));
    server.child.kill("SIGTERM");
    for (let i = 0; i < 100 && !server.output.join("\n").includes("shutting down"); i++)
      await new Promise((r) => setTimeout(r, 50));
    server.child.kill("SIGTERM");
    const code = await server.exited;
    expect(code).toBe(1);
    expect(server.output.join("\n")).toContain("second signal: exiting now");
    await Promise.all(slow.map((r) => r.done));
  });
});

/**
 * A backup of the embedded database while the site runs and keeps writing: the running server
 * (its own process, as an operator starts it) dumps its own database when `npm run backup` asks,
 * every request is answered meanwhile, and the backup restores into a fresh folder with every
 * table and upload identical to its manifest. Only a caller on this machine with the token of
 * DATA_DIR/site.json may ask; a site.json left by a dead process is ignored.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServer, type ServerProcess } from "../support/server-process";
import { filesUnder } from "../support/files";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-backup-live-"));
const siteDir = path.join(work, "site");
let server: ServerProcess | undefined;

afterAll(() => {
  if (server?.child.exitCode === null) server.child.kill("SIGKILL");
  fs.rmSync(work, { recursive: true, force: true });
});

/** A POST to /_site/backup, optionally from another local address; resolves with the status. */
function askForBackup(
  base: string,
  headers: Record<string, string>,
  localAddress?: string,
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/_site/backup`,
      { method: "POST", headers, localAddress, agent: false, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer in 10 s")));
    req.on("error", reject);
    req.end();
  });
}

/** An address of this machine that is not loopback, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
}

// Embedded PGlite only: on PostgreSQL, pg_dump reads a running site as any client does
// (backup-restore.test.ts), so this file reports its tests as skipped there.
describe.skipIf(process.env.DATABASE_URL)("npm run backup while the embedded (PGlite) site runs", () => {
  it("is made by the site itself between two transactions, and restores every row and upload", {
    timeout: 120_000,
  }, async () => {
    // Seeded through the app's own code in this file's database (in memory), which then becomes the
    // site's folder: its data directory unpacked there. This process never opens the folder: it is
    // the site's while the site runs.
    const { getDb } = await import("@db/client.server");
    const f = await import("../support/factories");
    const { cookieFor } = await import("../support/http");
    const ward = await f.createWard();
    const { group, team } = await f.createGroup(ward.id);
    const households: number[] = [];
    for (let i = 0; i < 4; i++) {
      const household = await f.createHousehold(group.id);
      await f.createResident(household.id, { fullName: `Trần Thị Hoà ${i}` });
      households.push(household.id);
    }
    const member = await f.createUser({ displayName: "Phạm Văn Khoẻ", role: "member" });
    await f.addMember(team.id, member.id);
    const cookie = await cookieFor({ id: member.id, role: "member" });
    // drizzle keeps its PGlite client as $client (the app's Db type does not name it).
    const { $client: client } = (await getDb()) as unknown as {
      $client: import("@electric-sql/pglite").PGlite;
    };
    await client.exec("checkpoint");
    const seeded = path.join(work, "seeded.tar");
    fs.writeFileSync(seeded, Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
    fs.mkdirSync(path.join(siteDir, "pglite"), { recursive: true });
    expect(spawnSync("tar", ["-xf", seeded, "-C", path.join(siteDir, "pglite")]).status).toBe(0);
    const uploads = path.join(siteDir, "uploads");
    fs.mkdirSync(path.join(uploads, "2026-11"), { recursive: true });
    fs.writeFileSync(
      path.join(uploads, "2026-11", `${randomBytes(16).toString("hex")}.bin`),
      randomBytes(4096),
    );
    fs.writeFileSync(
      path.join(uploads, "2026-11", `${randomBytes(16).toString("hex")}.bin`),
      randomBytes(1000),
    );

    server = await startServer({ DATA_DIR: siteDir, SHUTDOWN_DELAY_MS: "0" });
    const base = server.base;
    const { backup, restore, summarizeTables } = await import("~/backup.server");
    const { dumpFromRunningSite, findRunningSite, siteFile } = await import("~/site-backup.server");

    // The site says where it is, to its own user only.
    const file = siteFile(siteDir);
    for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const site = findRunningSite(siteDir)!;
    expect(site).toMatchObject({ pid: server.child.pid });

    // Nobody else may ask for the database.
    expect(await askForBackup(base, {})).toBe(403);
    expect(await askForBackup(base, { Authorization: `Bearer ${"x".repeat(43)}` })).toBe(403);
    // Through a proxy on this machine (nginx connects from loopback, and says so).
    expect(
      await askForBackup(base, { Authorization: `Bearer ${site.token}`, "X-Forwarded-For": "203.0.113.5" }),
    ).toBe(403);
    // From an address that is not loopback, even with the token (when this machine has one such
    // address; tests/unit/site-backup.test.ts decides it for any address).
    const outside = outsideAddress();
    if (outside)
      expect(await askForBackup(base, { Authorization: `Bearer ${site.token}` }, outside)).toBe(403);

    // The site keeps working: members' phones send visits, someone reads pages, each as fast as the
    // site answers. Over HTTP, as in life: PGlite answers a query without I/O, so a loop of queries
    // in one process never lets that process's timers run, and a test written that way hangs.
    const failures: string[] = [];
    let saved = 0;
    let backingUp = false;
    let finished = false;
    let savedDuringBackup = 0;
    const MAX_REQUESTS = 1500;
    let sent = 0;
    async function phone(n: number): Promise<void> {
      let after = 0;
      while (sent < MAX_REQUESTS && after < 10) {
        sent++;
        if (finished) after++;
        const body = new URLSearchParams([
          ["householdId", String(households[n % households.length])],
          ["intent", "visit"],
          ["submissionId", randomUUID()],
          ["visitedOn", "2026-11-20"],
          ["topics", "vneid"],
          ["notes", `Lần ${sent}`],
        ]);
        try {
          const res = await fetch(`${base}/field/sync`, {
            method: "POST",
            headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
            body,
            signal: AbortSignal.timeout(20_000),
          });
          const answer = (await res.json()) as { status?: string };
          if (res.status !== 200 || answer.status !== "saved")
            throw new Error(`${res.status} ${answer.status}`);
          saved++;
          if (backingUp) savedDuringBackup++;
        } catch (error) {
          failures.push(`visit: ${String(error)}`);
        }
      }
    }
    async function reader(): Promise<void> {
      while (sent < MAX_REQUESTS && !finished) {
        for (const page of ["/field", "/courses"]) {
          sent++;
          try {
            const res = await fetch(`${base}${page}`, {
              headers: { Cookie: cookie },
              signal: AbortSignal.timeout(20_000),
            });
            await res.text();
            if (res.status !== 200) throw new Error(String(res.status));
          } catch (error) {
            failures.push(`${page}: ${String(error)}`);
          }
        }
      }
    }
    const traffic = Promise.all([...[0, 1, 2, 3, 4, 5, 6, 7].map(phone), reader()]);
    while (saved < 10 && failures.length === 0 && sent < MAX_REQUESTS)
      await new Promise((r) => setTimeout(r, 10));
    const savedBefore = saved;
    backingUp = true;
    const archive = path.join(work, "hocso.tar");
    const t0 = Date.now();
    const manifest = await backup({ dataDir: siteDir }, archive, { timeoutMs: 60_000 }).finally(() => {
      backingUp = false;
      finished = true;
    });
    const took = Date.now() - t0;
    await traffic;
    console.info(
      server.output.find((line) => line.includes("backup: database paused")),
      `\nlive backup: ${took} ms, site's database paused ${manifest.live?.pausedMs} ms; ` +
        `${saved} visits saved (${savedBefore} before, ${savedDuringBackup} during), ${sent} requests`,
    );

    expect(failures).toEqual([]);
    expect(manifest.live).toMatchObject({ pid: server.child.pid });
    expect(savedDuringBackup).toBeGreaterThan(0);
    // Every visit answered before the backup began is in it; the ones after it are not.
    const visits = manifest.tables["public.visits"]!.rows;
    expect(visits).toBeGreaterThanOrEqual(savedBefore);
    expect(visits).toBeLessThan(saved);
    expect(manifest.uploads).toBe(2);

    // Restored into a fresh folder: every table and every upload as the manifest says.
    const fresh = path.join(work, "fresh");
    // restore() compares every table with the manifest itself (and throws when one differs); the
    // restored folder is also read here on its own.
    await restore({ dataDir: fresh }, archive);
    const { PGlite } = await import("@electric-sql/pglite");
    const pg = await PGlite.create(path.join(fresh, "pglite"));
    expect(await summarizeTables(async (t) => (await pg.query(t)).rows as never)).toEqual(manifest.tables);
    await pg.close();
    expect(filesUnder(path.join(fresh, "uploads"))).toEqual(filesUnder(uploads));

    // A clean shutdown removes site.json once the database is closed.
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(fs.existsSync(file)).toBe(false);

    // One left by a process that died is ignored: the backup opens the folder itself (as
    // backup-restore.test.ts does), asking nobody.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    fs.writeFileSync(file, JSON.stringify({ ...site, pid: dead }), { mode: 0o600 });
    expect(findRunningSite(siteDir)).toBeUndefined();
    expect(await dumpFromRunningSite(siteDir, path.join(work, "unused.tar.gz"))).toBeUndefined();
  });
});

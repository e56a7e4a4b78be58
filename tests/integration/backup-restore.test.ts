/**
 * A backup restores: a site with data and uploads is backed up, restored into a fresh place, and
 * every table (row count and a checksum of its rows) and every upload is identical. On the
 * database the tests run on: embedded PGlite in a data folder, or PostgreSQL (DATABASE_URL).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { filesUnder } from "../support/files";

// PGlite in a data folder (not memory) so the site's own files are what gets backed up.
const work = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-backup-test-"));
const siteDir = path.join(work, "site");
process.env.DATA_DIR = siteDir;
// The shared setup has already read the environment (it points every other file at an in-memory
// copy of the migrated template): point this file's database at the site's folder instead.
const { env } = await import("~/env.server");
if (!process.env.DATABASE_URL) env.DATA_DIR = siteDir;

const { closeDb, getDb } = await import("@db/client.server");
await closeDb();
const { backup, restore, summarizeTables, RestoreRefused } = await import("~/backup.server");
const f = await import("../support/factories");

const freshDb = `hocso_restore_${randomBytes(4).toString("hex")}`;
const adminUrl = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
const freshUrl = adminUrl
  ? Object.assign(new URL(adminUrl), { pathname: `/${freshDb}` }).toString()
  : undefined;

afterAll(async () => {
  if (adminUrl) {
    const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${freshDb} with (force)`);
    await admin.end();
  }
  fs.rmSync(work, { recursive: true, force: true });
});

describe("npm run backup / npm run restore", () => {
  it("restores every table's rows and every upload identically into a fresh place", {
    timeout: 180_000,
  }, async () => {
    // A small site: a ward, a group with its team, households, residents, people, mail.
    const ward = await f.createWard();
    const { group, team } = await f.createGroup(ward.id);
    for (let i = 0; i < 3; i++) {
      const household = await f.createHousehold(group.id);
      await f.createResident(household.id, { fullName: `Lê Thị Hoà ${i}` });
    }
    const member = await f.createUser({ displayName: "Phạm Văn Khoẻ" });
    await f.addMember(team.id, member.id, "member");
    const uploads = path.join(siteDir, "uploads");
    fs.mkdirSync(path.join(uploads, "visits"), { recursive: true });
    fs.writeFileSync(path.join(uploads, "visits", "anh-1.jpg"), randomBytes(2048));
    fs.writeFileSync(path.join(uploads, "danh-sach.csv"), "Họ tên,Năm sinh\nNguyễn Văn A,1950\n");

    const db = await getDb();
    const query = async <T>(text: string) => {
      const r: unknown = await db.execute(text as never);
      return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
    };
    const before = await summarizeTables(query);
    expect(before['public."users"'] ?? before["public.users"]).toMatchObject({ rows: 1 });
    // PGlite is one process's database: the site is paused (closed) for its backup.
    if (!process.env.DATABASE_URL) await closeDb();

    const file = path.join(work, "hocso.tar");
    const manifest = await backup({ databaseUrl: process.env.DATABASE_URL, dataDir: siteDir }, file);
    expect(manifest.tables).toEqual(before);
    expect(manifest.uploads).toBe(2);

    const freshDir = path.join(work, "fresh");
    if (adminUrl) {
      const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${freshDb}`);
      await admin.end();
    }
    const fresh = { databaseUrl: freshUrl, dataDir: freshDir };
    const restored = await restore(fresh, file);
    expect(restored.tables).toEqual(before);
    expect(filesUnder(path.join(freshDir, "uploads"))).toEqual(filesUnder(uploads));

    // The restored database, read on its own, has the same rows.
    if (freshUrl) {
      const sql = postgres(freshUrl, { max: 1, onnotice: () => {} });
      expect(await summarizeTables(async (t) => (await sql.unsafe(t)) as never)).toEqual(before);
      await sql.end();
    } else {
      const { PGlite } = await import("@electric-sql/pglite");
      const pg = await PGlite.create(path.join(freshDir, "pglite"));
      expect(await summarizeTables(async (t) => (await pg.query(t)).rows as never)).toEqual(before);
      await pg.close();
    }

    // A second restore over it is refused unless forced.
    await expect(restore(fresh, file)).rejects.toBeInstanceOf(RestoreRefused);
    const again = await restore(fresh, file, { force: true });
    expect(again.tables).toEqual(before);
  });
});

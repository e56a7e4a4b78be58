/**
 * Runs before every integration test file, in that file's own module graph: gives the file a
 * database of its own. PGlite in memory by default; with DATABASE_URL, a fresh PostgreSQL
 * database created for the file and dropped after it.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll } from "vitest";

const adminUrl = process.env.DATABASE_URL;
let created: string | undefined;

if (adminUrl) {
  created = `hocso_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${created}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${created}`;
  process.env.DATABASE_URL = url.toString();
} else {
  process.env.DATA_DIR = "memory://";
}
process.env.SEED_DEMO = "off";
process.env.NODE_ENV = "test";

afterAll(async () => {
  const { closeDb } = await import("@db/client.server");
  await closeDb();
  if (adminUrl && created) {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${created} with (force)`);
    await admin.end();
  }
});

/**
 * Runs before every integration test file, in that file's own module graph: gives the file a
 * database of its own, a copy of the template that global-setup.ts migrated once. PGlite in
 * memory by default (loaded from the template's data directory); with DATABASE_URL, a fresh
 * PostgreSQL database created from the template database and dropped after the file.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";

const adminUrl = process.env.DATABASE_URL;
let created: string | undefined;

if (adminUrl) {
  const template = inject("postgresTemplate");
  // Named after the template, so the global teardown finds any copy a file left behind.
  created = template
    ? `${template}_f${randomBytes(4).toString("hex")}`
    : `hocso_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(
    template ? `create database ${created} template ${template}` : `create database ${created}`,
  );
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${created}`;
  process.env.DATABASE_URL = url.toString();
} else {
  process.env.DATA_DIR = "memory://";
}
process.env.SEED_DEMO = "off";
process.env.NODE_ENV = "test";

const pgliteTemplate = inject("pgliteTemplate");
if (!adminUrl && pgliteTemplate) {
  const { startPgliteFrom } = await import("@db/client.server");
  startPgliteFrom(fs.readFileSync(pgliteTemplate));
}

// Open it before the first test, so its start (seconds on a busy machine) counts against the hook's timeout.
beforeAll(async () => {
  const { getDb } = await import("@db/client.server");
  await getDb();
});

afterAll(async () => {
  const { closeDb } = await import("@db/client.server");
  await closeDb();
  if (adminUrl && created) {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${created} with (force)`);
    await admin.end();
  }
});

/**
 * Runs before every integration test file: gives the file a database of its own, a copy of the
 * template that global-setup.ts migrated once. PGlite in memory by default (loaded from the
 * template's data directory); with DATABASE_URL, a fresh PostgreSQL database created from the
 * template database and dropped after the file.
 *
 * The files of one worker share its modules (`isolate: false` in vitest.config.ts): this file points
 * the app's settings at the new database before each file, and closes the app (database, background
 * work, the start's state) and resets its file store after it, so no file sees another's rows or state.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";

const adminUrl = inject("postgresAdminUrl");
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
// A file before this one in the worker may have read the settings, or changed them (backup-restore.test.ts).
const { rereadEnvForTests } = await import("~/env.server");
rereadEnvForTests();

const pgliteTemplate = inject("pgliteTemplate");
if (!adminUrl && pgliteTemplate) {
  const { startPgliteFrom } = await import("@db/client.server");
  startPgliteFrom(pgliteTemplate);
}

// Open it before the first test, so its start (seconds on a busy machine) counts against the hook's timeout.
beforeAll(async () => {
  const { getDb } = await import("@db/client.server");
  await getDb();
});

afterAll(async () => {
  const { closeApp } = await import("~/shutdown.server");
  await closeApp();
  const { setStoreForTests } = await import("~/uploads.server");
  setStoreForTests(undefined);
  if (adminUrl && created) {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${created} with (force)`);
    await admin.end();
  }
});

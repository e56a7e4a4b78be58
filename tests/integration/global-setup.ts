/**
 * Runs once before the integration tests: migrates one database, the template every test file's
 * database is copied from (setup-db.ts). Migrating per file cost most of each file's time.
 * PGlite: a migrated in-memory database dumped as a data-directory tarball (loaded per file with
 * `loadDataDir`). PostgreSQL: a migrated database that each file copies with `CREATE DATABASE … TEMPLATE`.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { initDbStartParams } from "../../db/pglite-options";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: path of the migrated data directory's tarball. */
    pgliteTemplate?: string;
    /** PostgreSQL: name of the migrated template database. */
    postgresTemplate?: string;
    /** PostgreSQL: the run's DATABASE_URL (each file's setup points DATABASE_URL at the file's own copy). */
    postgresAdminUrl?: string;
  }
}

const migrationsFolder = path.resolve(import.meta.dirname, "../../db/migrations");

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const template = `hocso_tmpl_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${template}`);
    const url = new URL(adminUrl);
    url.pathname = `/${template}`;
    // A template may have no open connection while it is copied, so this one ends before any test starts.
    const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await migrate(drizzle(client), { migrationsFolder });
    await client.end();
    project.provide("postgresTemplate", template);
    project.provide("postgresAdminUrl", adminUrl);
    return async () => {
      // Each file drops its own copy; a file whose tests were all skipped never ran its afterAll.
      const copies = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`${template}\\_f%`}`;
      for (const { datname } of copies) await admin.unsafe(`drop database if exists ${datname} with (force)`);
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  // Made as the site makes a new embedded database (its WAL in 1 MB segments: 15 MB less to load per file).
  const client = await PGlite.create("memory://", { initDbStartParams });
  await migrate(drizzle(client), { migrationsFolder });
  // Without the two template databases initdb makes, which no test file's database uses (they would only
  // be copied from, by CREATE DATABASE): the dump each file loads is 25 MB instead of 40, read, unpacked and
  // written into PGlite's memory once per file.
  for (const name of ["template0", "template1"]) {
    await client.exec(`alter database ${name} with is_template false`);
    await client.exec(`drop database ${name}`);
  }
  // Checkpointed first, so that a file's database starts without replaying the migrations from the WAL.
  await client.exec("CHECKPOINT");
  // Uncompressed: loading it takes each file about half the time of the gzip dump (0.55 s against 0.9–1.2 s).
  const dump = await client.dumpDataDir("none");
  await client.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-template-"));
  const file = path.join(dir, "pglite.tar");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", file);
  return async () => fs.rmSync(dir, { recursive: true, force: true });
}

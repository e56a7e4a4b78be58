/**
 * Backups that restore, for both drivers. A backup is one tar file holding
 *   manifest.json       driver, date, and every table's row count and checksum (checked after a restore)
 *   database.tar.gz     embedded PGlite: its data folder as a gzipped tar (PGlite's dumpDataDir format),
 *                       after a CHECKPOINT; made by the running site when one runs (site-backup.server.ts)
 *   database.pgdump     PostgreSQL: pg_dump's custom format
 *   uploads/            the files kept on local disk (DATA_DIR/uploads)
 * A restore goes only into an empty data folder or database unless `force` is given.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { dumpFromRunningSite } from "~/site-backup.server";
import { pgliteStartOptions } from "@db/pglite-options";

const run = promisify(execFile);

export interface Target {
  /** PostgreSQL connection string; unset: the embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** DATA_DIR: PGlite's folder (`pglite/`) and the uploads (`uploads/`). */
  dataDir: string;
}

export interface TableSummary {
  rows: number;
  checksum: string;
}

export interface Manifest {
  format: 1;
  driver: "pglite" | "postgres";
  createdAt: string;
  tables: Record<string, TableSummary>;
  uploads: number;
  /** Embedded PGlite dumped by the running site (process `pid`), its database paused `pausedMs`. */
  live?: { pid: number; pausedMs: number };
}

type Query = <T>(text: string) => Promise<T[]>;

/** Row count and an md5 of every row (in a fixed order) of each table, migrations included. */
export async function summarizeTables(query: Query): Promise<Record<string, TableSummary>> {
  const tables = await query<{ name: string }>(
    `select quote_ident(table_schema) || '.' || quote_ident(table_name) as name from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema in ('public', 'drizzle') order by 1`,
  );
  const out: Record<string, TableSummary> = {};
  for (const { name } of tables) {
    const [row] = await query<{ rows: number; checksum: string | null }>(
      `select count(*)::int as rows,
         md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as checksum
       from ${name} t`,
    );
    out[name] = { rows: Number(row?.rows ?? 0), checksum: row?.checksum ?? "" };
  }
  return out;
}

async function withPglite<T>(
  dir: string,
  use: (query: Query, db: import("@electric-sql/pglite").PGlite) => Promise<T>,
  loadDataDir?: Blob,
): Promise<T> {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(dir, { ...pgliteStartOptions, ...(loadDataDir ? { loadDataDir } : {}) });
  try {
    return await use(async <R>(text: string) => (await db.query<R>(text)).rows, db);
  } finally {
    await db.close();
  }
}

async function withPostgres<T>(url: string, use: (query: Query) => Promise<T>): Promise<T> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await use(async <R>(text: string) => (await sql.unsafe(text)) as unknown as R[]);
  } finally {
    await sql.end();
  }
}

function isEmptyDir(dir: string): boolean {
  return !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
}

function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

export function defaultBackupName(now = new Date()): string {
  return `hocso-backup-${now.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.tar`;
}

/**
 * Writes a backup of `target` to `file`, while the site runs. PostgreSQL: pg_dump. Embedded PGlite
 * is one process's database: the running site named by DATA_DIR/site.json makes the dump itself;
 * with no site running, the folder is opened here.
 */
export async function backup(
  target: Target,
  file: string,
  /** How long the running site may take to give its database (default 30 minutes). */
  { timeoutMs }: { timeoutMs?: number } = {},
): Promise<Manifest> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-backup-"));
  try {
    let tables: Record<string, TableSummary>;
    let driver: Manifest["driver"];
    let live: Manifest["live"];
    if (target.databaseUrl) {
      driver = "postgres";
      tables = await withPostgres(target.databaseUrl, summarizeTables);
      await run("pg_dump", [
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        `--file=${path.join(work, "database.pgdump")}`,
        target.databaseUrl,
      ]);
    } else {
      driver = "pglite";
      const dump = path.join(work, "database.tar.gz");
      live = await dumpFromRunningSite(target.dataDir, dump, { timeoutMs });
      if (live) {
        // Counted in the dump itself, loaded into a database of its own: exactly what a restore will check.
        tables = await withPglite("memory://", summarizeTables, new Blob([fs.readFileSync(dump)]));
      } else {
        const dir = path.join(target.dataDir, "pglite");
        if (isEmptyDir(dir)) throw new Error(`No embedded database in ${dir}`);
        tables = await withPglite(dir, async (query, db) => {
          await db.exec("checkpoint");
          const summary = await summarizeTables(query);
          const tar = await db.dumpDataDir("gzip");
          fs.writeFileSync(dump, Buffer.from(await tar.arrayBuffer()));
          return summary;
        });
      }
    }
    // After the database, while the site may go on storing files: a file stored meanwhile is kept
    // without its row (harmless). A `.part` file is one still being written (uploads.server.ts).
    const uploads = path.join(target.dataDir, "uploads");
    if (fs.existsSync(uploads))
      fs.cpSync(uploads, path.join(work, "uploads"), {
        recursive: true,
        filter: (source) => !source.endsWith(".part"),
      });
    const manifest: Manifest = {
      format: 1,
      driver,
      createdAt: new Date().toISOString(),
      tables,
      uploads: countFiles(path.join(work, "uploads")),
      ...(live ? { live } : {}),
    };
    fs.writeFileSync(path.join(work, "manifest.json"), JSON.stringify(manifest, null, 2));
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await run("tar", ["-cf", path.resolve(file), "-C", work, "."]);
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export class RestoreRefused extends Error {}

/**
 * Restores `file` into `target`: into an empty database or data folder, or over a non-empty one
 * with `force`. Checks afterwards that every table has the rows and checksum the backup recorded.
 */
export async function restore(target: Target, file: string, { force = false } = {}): Promise<Manifest> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-restore-"));
  try {
    await run("tar", ["-xf", path.resolve(file), "-C", work]);
    const manifest = JSON.parse(fs.readFileSync(path.join(work, "manifest.json"), "utf8")) as Manifest;
    const wanted = target.databaseUrl ? "postgres" : "pglite";
    if (manifest.driver !== wanted) {
      throw new RestoreRefused(
        `This backup is of ${manifest.driver}; the target is ${wanted}. ` +
          "Restore it where it came from (DATABASE_URL set or not).",
      );
    }
    const uploads = path.join(target.dataDir, "uploads");
    let restored: Record<string, TableSummary>;
    if (target.databaseUrl) {
      const url = target.databaseUrl;
      const present = await withPostgres(url, (q) =>
        q<{ n: number }>(
          `select count(*)::int as n from information_schema.tables
           where table_schema in ('public', 'drizzle')`,
        ),
      );
      if ((present[0]?.n ?? 0) > 0 || !isEmptyDir(uploads)) {
        if (!force)
          throw new RestoreRefused(
            `The database or ${uploads} is not empty: ` +
              "restore into an empty one, or pass --force to replace it.",
          );
        await withPostgres(url, async (q) => {
          await q("drop schema if exists drizzle cascade");
          await q("drop schema public cascade");
          await q("create schema public");
        });
      }
      await run("pg_restore", [
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        `--dbname=${url}`,
        path.join(work, "database.pgdump"),
      ]).catch(async (error: unknown) => {
        // pg_restore of a whole database recreates the public schema too; retry over the empty one we made.
        if (
          String((error as { stderr?: string }).stderr ?? error).includes('schema "public" already exists')
        ) {
          await withPostgres(url, (q) => q("drop schema public cascade"));
          await run("pg_restore", [
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            `--dbname=${url}`,
            path.join(work, "database.pgdump"),
          ]);
          return;
        }
        throw error;
      });
      restored = await withPostgres(url, summarizeTables);
    } else {
      const dir = path.join(target.dataDir, "pglite");
      if (!isEmptyDir(dir) || !isEmptyDir(uploads)) {
        if (!force)
          throw new RestoreRefused(
            `${target.dataDir} is not empty: restore into an empty folder, or pass --force to replace it.`,
          );
        fs.rmSync(dir, { recursive: true, force: true });
      }
      fs.mkdirSync(dir, { recursive: true });
      const dump = new Blob([fs.readFileSync(path.join(work, "database.tar.gz"))]);
      restored = await withPglite(dir, summarizeTables, dump);
    }
    fs.rmSync(uploads, { recursive: true, force: true });
    if (fs.existsSync(path.join(work, "uploads")))
      fs.cpSync(path.join(work, "uploads"), uploads, { recursive: true });
    const differing = Object.keys({ ...manifest.tables, ...restored }).filter(
      (t) =>
        manifest.tables[t]?.rows !== restored[t]?.rows ||
        manifest.tables[t]?.checksum !== restored[t]?.checksum,
    );
    if (differing.length > 0)
      throw new Error(`Restored, but these tables differ from the backup: ${differing.join(", ")}`);
    if (countFiles(uploads) !== manifest.uploads)
      throw new Error(`Restored ${countFiles(uploads)} uploads, the backup has ${manifest.uploads}`);
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

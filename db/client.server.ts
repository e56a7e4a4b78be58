/**
 * Picks the driver: PostgreSQL through postgres.js when DATABASE_URL is set, otherwise
 * embedded PGlite in DATA_DIR. Migrations (SQL from drizzle-kit) are applied before the
 * first query; on PostgreSQL under an advisory lock so several instances can start at once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { initDbStartParams, pgliteStartOptions } from "./pglite-options";
import * as schema from "./schema";
import { env, dataDir } from "../app/env.server";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The argument a transaction callback receives; domain helpers accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export const migrationsFolder = path.resolve(process.cwd(), "db/migrations");
const MIGRATION_LOCK = 727_001;
/** Names this instance's connections in pg_stat_activity (the pool metrics count them there). */
export const applicationName = `hocso-${os.hostname()}-${process.pid}`.slice(0, 63);

interface Handle {
  db: Db;
  driver: "postgres" | "pglite";
  close: () => Promise<void>;
  /** Embedded PGlite's client and its data folder (none in memory). */
  pglite?: { client: import("@electric-sql/pglite").PGlite; folder?: string };
}

let handle: Promise<Handle> | undefined;
/**
 * Tests only: a data directory (PGlite's dumpDataDir) migrated from `migrationsFolder`, which an in-memory
 * database starts from without migrating again.
 */
let pgliteTemplate: { file: string; dump: Blob } | undefined;

/**
 * Tests only: start the in-memory PGlite from this dump (the file of a data-directory tarball)
 * instead of an empty database (migrating it would cost seconds). The files a test worker runs share
 * this module, so the dump is read once per worker, not once per file.
 */
export function startPgliteFrom(file: string): void {
  if (pgliteTemplate?.file !== file) pgliteTemplate = { file, dump: new BytesBlob(fs.readFileSync(file)) };
}

/**
 * A Blob whose `arrayBuffer()` hands back a copy of its bytes at once. PGlite reads a dump with
 * `arrayBuffer()` (and its `type`), and Node 20's Blob costs CPU twice for a dump of tens of MB, each
 * integration test file: 0.16 s to copy the bytes in when it is made, and 0.5 s to give them back in small
 * chunks joined together (measured with the 40 MB template). This one holds the bytes as they are; the
 * rest of Blob (`stream`, `slice`, `text`) goes to an ordinary Blob of the same bytes, made when first
 * asked for.
 */
class BytesBlob extends Blob {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  #blob: Blob | undefined;
  constructor(bytes: Uint8Array<ArrayBuffer>) {
    super([]);
    this.#bytes = bytes;
  }
  #whole(): Blob {
    return (this.#blob ??= new Blob([this.#bytes]));
  }
  override get size(): number {
    return this.#bytes.byteLength;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer);
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(this.#bytes.slice());
  }
  override text(): Promise<string> {
    return this.#whole().text();
  }
  override stream(): ReturnType<Blob["stream"]> {
    return this.#whole().stream();
  }
  override slice(start?: number, end?: number, contentType?: string): Blob {
    return this.#whole().slice(start, end, contentType);
  }
}

async function openPostgres(url: string): Promise<Handle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, {
    max: Number(process.env.DB_POOL_MAX ?? 10),
    // Each query is parsed once per connection and then sent in one round trip (drizzle is patched to
    // follow this; patches/drizzle-orm*.patch). DB_PREPARE=0 for a PgBouncer in transaction mode
    // older than 1.21 (or without max_prepared_statements).
    prepare: process.env.DB_PREPARE !== "0",
    onnotice: () => {},
    connection: { application_name: applicationName },
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  // The lock is held on a connection of its own while the pool migrates: a second instance
  // starting now waits here, then finds nothing left to apply.
  const lock = await client.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db as never, { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    lock.release();
  }
  return { db, driver: "postgres", close: () => client.end({ timeout: 5 }) };
}

/**
 * `npm start` on a fresh clone creates the embedded database (migrated, with the demo ward) in a folder
 * of its own beside the build, and starts the server as soon as the build is done: the server loads
 * meanwhile and opens DATA_DIR once that folder is gone (the database moved into place; or, if the
 * preparation failed, there is none and it is created here).
 */
async function preparationDone(): Promise<void> {
  const folder = env.DATA_DIR_PREPARING;
  if (!folder) return;
  while (fs.existsSync(folder)) await new Promise((resolve) => setTimeout(resolve, 25));
}

async function openPglite(dir: string): Promise<Handle> {
  await preparationDone();
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const location = dir.startsWith("memory://") ? dir : path.join(dir, "pglite");
  if (!location.startsWith("memory://")) fs.mkdirSync(location, { recursive: true });
  const template = location.startsWith("memory://") ? pgliteTemplate?.dump : undefined;
  // A test file's database is small and in memory: PostgreSQL's default 128 MB of shared buffers took
  // 0.4 s of each file's start to set up, which 16 MB does not.
  const client = await PGlite.create(
    location,
    template
      ? { loadDataDir: template, postgresqlconf: ["shared_buffers=16MB"] }
      : { initDbStartParams, ...pgliteStartOptions },
  );
  const db = drizzle(client, { schema });
  // A template was migrated from this same folder (the tests' global setup): checking it again read and
  // hashed every migration file and cost each test file about 0.3 s.
  if (!template) {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(db, { migrationsFolder });
  }
  return {
    db: db as unknown as Db,
    driver: "pglite",
    close: () => client.close(),
    pglite: { client, folder: location.startsWith("memory://") ? undefined : location },
  };
}

function open(): Promise<Handle> {
  return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(dataDir());
}

/**
 * A query the server runs on most requests, built once per database handle and prepared: drizzle
 * then skips building its SQL each time (about 1.5% of a signed-in page's time per query) and the
 * driver sends it by name. `build` gets the handle and returns `query.prepare(name)`; values go in
 * as `sql.placeholder(…)` and are given to `execute`.
 */
export function preparedQuery<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}

/** The database, migrated. Opened once per process. */
export async function getDb(): Promise<Db> {
  handle ??= open().catch((error: unknown) => {
    handle = undefined;
    throw error;
  });
  return (await handle).db;
}

export async function dbDriver(): Promise<"postgres" | "pglite"> {
  await getDb();
  return (await handle!).driver;
}

export async function closeDb(): Promise<void> {
  if (!handle) return;
  const h = await handle;
  handle = undefined;
  await h.close();
}

/**
 * Embedded PGlite in a data folder only: runs `use` on that folder while the database is paused
 * with everything it committed written there (a CHECKPOINT), so a copy of the folder made in `use`
 * is the database as of one moment between transactions. Returns how long the pause took.
 *
 * The pause is a PGlite transaction: it holds PGlite's transaction lock, so every other query and
 * transaction (the site's requests through drizzle, the mail worker, housekeeping) waits its turn
 * and then runs; none fails. `dumpDataDir` alone would take only the statement lock, which is free
 * between the statements of an open transaction. `use` is synchronous so it cannot wait for the
 * database it has paused (a deadlock): it must not touch the database at all.
 */
export async function withPglitePaused(use: (folder: string) => void): Promise<{ pausedMs: number }> {
  await getDb();
  const pglite = (await handle)?.pglite;
  if (!pglite?.folder)
    throw new Error("Only the embedded database in a data folder can be paused for a copy");
  const { client, folder } = pglite;
  let pausedMs = 0;
  await client.transaction(async (tx) => {
    const started = performance.now();
    await tx.exec("checkpoint");
    use(folder);
    pausedMs = performance.now() - started;
  });
  return { pausedMs };
}

/**
 * Raw SQL that both drivers answer alike: postgres.js returns the rows themselves,
 * PGlite an object with `rows`.
 */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

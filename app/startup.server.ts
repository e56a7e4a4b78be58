/**
 * What happens once per process before the first request: open (and migrate) the database,
 * say which services are in use, and seed the demo ward into an empty embedded database.
 */
import { sql } from "drizzle-orm";
import { dbDriver, getDb } from "@db/client.server";
import { seedDemo, DEMO_PASSWORD } from "@db/seed";
import { users } from "@db/schema";
import { env, dataDir } from "~/env.server";
import { hashPassword } from "~/password.server";
import { startMailWorker } from "~/email.server";
import { runCertificateChecks } from "~/progress.server";
import { pruneRateLimits } from "~/rate-limit.server";
import { pruneUnimportedRosterFiles } from "~/roster.server";
import { deleteExpiredSessions } from "~/session.server";
import { logError, logger } from "~/server/logging.mjs";

let housekeeping: ReturnType<typeof setInterval> | undefined;

/**
 * At start and hourly: drop expired sessions, stale rate-limit counters and roster files previewed
 * but never imported (any instance may do it; it is idempotent).
 */
function startHousekeeping(): void {
  if (housekeeping) return;
  const run = () =>
    Promise.all([deleteExpiredSessions(), pruneRateLimits(), pruneUnimportedRosterFiles()]).catch(
      (error: unknown) => logError("housekeeping failed", error),
    );
  void run();
  housekeeping = setInterval(run, 60 * 60 * 1000);
  housekeeping.unref();
}

export function stopHousekeeping(): void {
  if (housekeeping) clearInterval(housekeeping);
  housekeeping = undefined;
}

let started: Promise<void> | undefined;

async function start(): Promise<void> {
  const db = await getDb();
  const driver = await dbDriver();
  logger().info(
    {
      database: driver === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${dataDir()}`,
      mail: env.RESEND_API_KEY ? "Resend" : "stored outbox only (/dev/outbox)",
      uploads: env.UPLOADTHING_TOKEN ? "uploadthing" : "local disk",
    },
    "services in use",
  );
  // Sends the stored outbox through Resend every few seconds (only with RESEND_API_KEY; unref'd).
  if (env.NODE_ENV !== "test") {
    startMailWorker();
    startHousekeeping();
  }
  // Certificates earned by lessons a migration completed (see db/migrations, complete-passed-lessons).
  try {
    const issued = await runCertificateChecks();
    if (issued.length > 0)
      console.info(`HọcSố: ${issued.length} certificates issued for lessons completed by a migration`);
  } catch (error) {
    console.error("HọcSố: certificate checks after migration failed (retried at the next start):", error);
  }
  if (driver === "pglite" && env.SEED_DEMO === "auto") {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
    if ((row?.n ?? 0) === 0) {
      const result = await seedDemo(db, await hashPassword(DEMO_PASSWORD));
      logger().info({ households: result.households, residents: result.residents }, "demo ward seeded");
    }
  }
}

export function ensureStarted(): Promise<void> {
  started ??= start().catch((error: unknown) => {
    started = undefined;
    throw error;
  });
  return started;
}

/**
 * Waits for the start's own work (certificates after a migration, a first seed) if it is still
 * running: a shutdown closes the database only after it, instead of cutting it off mid-query.
 */
export async function startSettled(): Promise<void> {
  await started?.catch(() => undefined);
}

/**
 * Once the database is closed: a database opened after it (a test file's own) gets the start's work
 * again.
 */
export function forgetStart(): void {
  started = undefined;
}

/** Throws when the database does not answer. */
export async function checkDatabase(): Promise<void> {
  await ensureStarted();
  const db = await getDb();
  await db.execute(sql`select 1`);
}

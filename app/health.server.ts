/**
 * Readiness: can this instance serve? Each part is checked and named, so the answer says which
 * one is failing: the database answers, every migration is applied, mail is not stuck in the
 * outbox, and the uploads store can be written.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { getDb, migrationsFolder, queryRows } from "@db/client.server";
import { env } from "~/env.server";
import { localUploadsRoot } from "~/uploads.server";
import { ensureStarted } from "~/startup.server";

export interface Check {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<"database" | "migrations" | "mail" | "uploads", Check>;
}

/**
 * Mail due for longer than this while a provider is configured
 * means the worker is stuck or the provider down.
 */
const MAIL_OVERDUE_MINUTES = 30;

async function timed(run: () => Promise<Check>): Promise<Check> {
  try {
    return await run();
  } catch (error) {
    // The reason, briefly and without values: enough to know where to look (the log has the rest).
    const message =
      error instanceof Error ? error.message.split("\n")[0]!.replace(/params:.*$/, "") : String(error);
    return { ok: false, detail: message.slice(0, 200) };
  }
}

export async function checkReadiness(): Promise<Readiness> {
  const database = await timed(async () => {
    const t0 = Date.now();
    await ensureStarted();
    const db = await getDb();
    await db.execute(sql`select 1`);
    return { ok: true, detail: `answered in ${Date.now() - t0} ms` };
  });
  const unavailable: Check = { ok: false, detail: "database unavailable" };
  const [migrations, mail] = database.ok
    ? await Promise.all([
        timed(async () => {
          const expected = readMigrationFiles({ migrationsFolder });
          const db = await getDb();
          const [row] = await queryRows<{ n: number; last: string | null }>(
            db,
            sql`select count(*)::int as n, max(created_at)::text as last from drizzle.__drizzle_migrations`,
          );
          const latest = expected.at(-1)?.folderMillis ?? 0;
          const applied = Number(row?.last ?? 0);
          if (applied < latest)
            return { ok: false, detail: `${row?.n ?? 0} of ${expected.length} migrations applied` };
          return { ok: true, detail: `${expected.length} migrations applied` };
        }),
        timed(async () => {
          const db = await getDb();
          const [row] = await queryRows<{ overdue: number; failed: number }>(
            db,
            sql`select
              count(*) filter (
                where status = 'pending'
                  and next_attempt_at <= now() - make_interval(mins => ${MAIL_OVERDUE_MINUTES})
              )::int as overdue,
              count(*) filter (
                where status = 'failed' and created_at > now() - interval '1 day'
              )::int as failed
            from mail_outbox`,
          );
          const overdue = Number(row?.overdue ?? 0);
          const failed = Number(row?.failed ?? 0);
          if (!env.RESEND_API_KEY)
            return { ok: true, detail: "not sending (no RESEND_API_KEY): mail stays in the outbox" };
          if (overdue > 0)
            return {
              ok: false,
              detail:
                `${overdue} messages due for over ${MAIL_OVERDUE_MINUTES} minutes, ` +
                `${failed} failed today`,
            };
          return { ok: true, detail: `no backlog, ${failed} failed today` };
        }),
      ])
    : [unavailable, unavailable];
  const uploads = await timed(async () => {
    if (env.UPLOADTHING_TOKEN) return { ok: true, detail: "uploadthing" };
    const dir = localUploadsRoot();
    await fs.mkdir(dir, { recursive: true });
    const probe = path.join(dir, `.ready-${process.pid}`);
    await fs.writeFile(probe, "ok");
    await fs.rm(probe);
    return { ok: true, detail: "local disk, writable" };
  });
  const checks = { database, migrations, mail, uploads };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

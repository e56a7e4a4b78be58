/**
 * The app's own Prometheus metrics, on prom-client's default registry (server.mjs serves them at
 * /metrics with the request metrics): the mail outbox's depth and failures, the database pool,
 * and the background target refreshes. Depths are read from the database when scraped.
 */
import { sql } from "drizzle-orm";
import { Counter, Gauge, Histogram } from "prom-client";
import { applicationName, dbDriver, getDb, queryRows } from "@db/client.server";
import { metric } from "~/server/metrics.mjs";

export const mailSent = metric(Counter, {
  name: "hocso_mail_sent_total",
  help: "Messages the outbox worker sent",
}) as Counter;
export const mailFailures = metric(Counter, {
  name: "hocso_mail_failures_total",
  help: "Failed sends of the outbox worker: retried (will try again) or failed (gave up)",
  labelNames: ["outcome"],
}) as Counter<"outcome">;
export const targetRefreshSeconds = metric(Histogram, {
  name: "hocso_target_refresh_seconds",
  help: "Time to recompute one ward's target summary",
  labelNames: ["trigger"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
}) as Histogram<"trigger">;
export const targetRefreshFailures = metric(Counter, {
  name: "hocso_target_refresh_failures_total",
  help: "Background target refreshes that failed",
}) as Counter;

metric(Gauge, {
  name: "hocso_mail_outbox",
  help:
    "Messages in the outbox by state: pending (not yet due), due, " +
    "overdue (due for over 15 minutes), failed",
  labelNames: ["state"],
  async collect(this: Gauge<"state">) {
    const db = await getDb();
    const [row] = await queryRows<{ pending: number; due: number; overdue: number; failed: number }>(
      db,
      sql`select
        count(*) filter (where status = 'pending' and next_attempt_at > now())::int as pending,
        count(*) filter (where status = 'pending' and next_attempt_at <= now())::int as due,
        count(*) filter (where status = 'pending'
                           and next_attempt_at <= now() - interval '15 minutes')::int as overdue,
        count(*) filter (where status = 'failed')::int as failed
      from mail_outbox`,
    );
    for (const state of ["pending", "due", "overdue", "failed"] as const)
      this.set({ state }, Number(row?.[state] ?? 0));
  },
});

metric(Gauge, {
  name: "hocso_db_pool_connections",
  help:
    "This instance's database connections by state " +
    "(PostgreSQL: from pg_stat_activity; PGlite: one, in process)",
  labelNames: ["state"],
  async collect(this: Gauge<"state">) {
    this.reset();
    if ((await dbDriver()) === "pglite") {
      this.set({ state: "active" }, 1);
      return;
    }
    const db = await getDb();
    const rows = await queryRows<{ state: string | null; n: number }>(
      db,
      sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
          where datname = current_database() and application_name = ${applicationName} group by 1`,
    );
    for (const r of rows) this.set({ state: r.state ?? "unknown" }, Number(r.n));
  },
});

metric(Gauge, {
  name: "hocso_db_pool_max",
  help: "Most database connections this instance opens (DB_POOL_MAX; 1 for PGlite)",
  async collect(this: Gauge) {
    this.set((await dbDriver()) === "pglite" ? 1 : Number(process.env.DB_POOL_MAX ?? 10));
  },
});

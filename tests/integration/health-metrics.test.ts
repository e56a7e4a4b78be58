/**
 * An operator's view: /readyz says which part is failing, /metrics gives Prometheus the request
 * counts and latency by route, the outbox's depth, the database pool and the target refreshes,
 * and only to whoever may read it.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import { mailOutbox } from "@db/schema";
import { enqueueMail } from "~/email.server";
import { env } from "~/env.server";
import { loader as readyz } from "~/routes/readyz";
import { refreshWardTargets } from "~/targets.server";
import { createGroup, createWard } from "../support/factories";

const { createApp } = (await import("../../server.mjs")) as unknown as {
  createApp: (o: object) => { listen: (...args: unknown[]) => Server };
};

const fakeBuild = {
  routes: {
    root: { id: "root", path: "" },
    "routes/courses._index": { id: "routes/courses._index", parentId: "root", path: "courses", index: true },
    "routes/courses.$course._index": {
      id: "routes/courses.$course._index",
      parentId: "root",
      path: "courses/:course",
      index: true,
    },
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  await getDb();
  const app = createApp({
    build: fakeBuild,
    log: false,
    handler: () => new Response("ok"),
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, "127.0.0.1", () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function readiness() {
  const response = await readyz();
  return {
    status: response.status,
    body: (await response.json()) as {
      status: string;
      checks: Record<string, { ok: boolean; detail: string }>;
    },
  };
}

describe("/readyz", () => {
  it("is ready when the database, migrations, mail and uploads all work", async () => {
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body.status).toBe("ready");
    expect(Object.keys(body.checks).sort()).toEqual(["database", "mail", "migrations", "uploads"]);
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
  });

  it("names the mail when messages have waited too long while a provider is configured", async () => {
    const db = await getDb();
    const id = await enqueueMail(db, { to: "a@example.com", subject: "Chào", text: "x", kind: "test" });
    await db.execute(
      sql`update mail_outbox set next_attempt_at = now() - interval '2 hours' where id = ${id}`,
    );
    const before = env.RESEND_API_KEY;
    env.RESEND_API_KEY = "re_test";
    try {
      const { status, body } = await readiness();
      expect(status).toBe(503);
      expect(body.checks.mail).toMatchObject({
        ok: false,
        detail: expect.stringContaining("1 messages due"),
      });
      expect(body.checks.database!.ok).toBe(true);
    } finally {
      env.RESEND_API_KEY = before;
      await db.delete(mailOutbox).where(sql`${mailOutbox.id} = ${id}`);
    }
  });

  it("names the uploads store when it cannot be written", async () => {
    const before = env.DATA_DIR;
    env.DATA_DIR = "/dev/null/hocso";
    try {
      const { status, body } = await readiness();
      expect(status).toBe(503);
      expect(body.checks.uploads!.ok).toBe(false);
      expect(body.checks.database!.ok).toBe(true);
    } finally {
      env.DATA_DIR = before;
    }
  });

  it("names the migrations when the database is behind the code", async () => {
    const db = await getDb();
    const rows = await db.execute(
      sql`delete from drizzle.__drizzle_migrations
          where created_at = (select max(created_at) from drizzle.__drizzle_migrations)
          returning hash, created_at`,
    );
    const removed = (Array.isArray(rows) ? rows : (rows as unknown as { rows: unknown[] }).rows)[0] as {
      hash: string;
      created_at: string;
    };
    try {
      const { status, body } = await readiness();
      expect(status).toBe(503);
      expect(body.checks.migrations).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/migrations applied/),
      });
    } finally {
      await db.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at)
            values (${removed.hash}, ${removed.created_at})`,
      );
    }
  });
});

describe("/metrics", () => {
  it("counts requests by route, and shows the outbox, the database pool and target refreshes", async () => {
    await fetch(`${base}/courses/nen-tang-so?x=1`);
    await fetch(`${base}/courses`);
    const ward = await createWard();
    await createGroup(ward.id);
    await refreshWardTargets(ward.id);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(
      /hocso_http_requests_total\{method="GET",route="routes\/courses\.\$course\._index",status="200"\} 1/,
    );
    expect(text).toMatch(
      /hocso_http_request_duration_seconds_count\{method="GET",route="routes\/courses\._index"\} 1/,
    );
    expect(text).toMatch(/hocso_mail_outbox\{state="due"\} \d+/);
    expect(text).toMatch(/hocso_db_pool_connections\{state="\w+"\} \d+/);
    expect(text).toMatch(/hocso_db_pool_max \d+/);
    expect(text).toMatch(/hocso_target_refresh_seconds_count\{trigger="direct"\} [1-9]/);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).not.toContain("nen-tang-so");
  });

  it("is hidden from a client that came through a proxy, and needs the token when one is set", async () => {
    expect((await fetch(`${base}/metrics`, { headers: { "X-Forwarded-For": "203.0.113.9" } })).status).toBe(
      404,
    );
    process.env.METRICS_TOKEN = "bi-mat-cua-prometheus";
    try {
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { headers: { Authorization: "Bearer sai" } })).status).toBe(404);
      const ok = await fetch(`${base}/metrics`, {
        headers: { Authorization: "Bearer bi-mat-cua-prometheus", "X-Forwarded-For": "203.0.113.9" },
      });
      expect(ok.status).toBe(200);
    } finally {
      delete process.env.METRICS_TOKEN;
    }
  });
});

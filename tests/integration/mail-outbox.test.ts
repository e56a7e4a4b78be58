/**
 * Mail through the stored outbox and the real Resend SDK, sent to a local HTTP server that
 * stands in for Resend's API (the SDK takes its base URL from RESEND_BASE_URL / options).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import { mailOutbox } from "@db/schema";
import { deliverDueMail, enqueueMail, MAX_ATTEMPTS } from "~/email.server";

interface Received {
  auth: string | undefined;
  idempotencyKey: string | undefined;
  body: { from: string; to: string[]; subject: string; text: string };
}

let server: http.Server;
let baseUrl: string;
const received: Received[] = [];
/** "up", "down" (500s), or "refuse" (connection closed without an answer). */
let mode: "up" | "down" | "refuse" = "up";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (mode === "refuse") return req.socket.destroy();
      if (mode === "down") {
        res.writeHead(500, { "Content-Type": "application/json" });
        return res.end(
          JSON.stringify({
            name: "internal_server_error",
            message: "Resend is having a bad day",
            statusCode: 500,
          }),
        );
      }
      if (req.method !== "POST" || req.url !== "/emails") {
        res.writeHead(404);
        return res.end();
      }
      received.push({
        auth: req.headers.authorization,
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
        body: JSON.parse(raw),
      });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ id: `re_${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(async () => {
  received.length = 0;
  mode = "up";
  const db = await getDb();
  await db.delete(mailOutbox);
});

const options = () => ({ apiKey: "re_test_key", baseUrl, from: "HọcSố <no-reply@hocso.example>" });

async function rows() {
  const db = await getDb();
  return db
    .select({
      id: mailOutbox.id,
      status: mailOutbox.status,
      attempts: mailOutbox.attempts,
      lastError: mailOutbox.lastError,
      providerMessageId: mailOutbox.providerMessageId,
      nextAttemptAt: mailOutbox.nextAttemptAt,
    })
    .from(mailOutbox)
    .orderBy(mailOutbox.id);
}

/** Makes every pending message due now, as if the backoff wait had passed. */
async function timePasses() {
  const db = await getDb();
  await db
    .update(mailOutbox)
    .set({ nextAttemptAt: new Date(Date.now() - 1000) })
    .where(eq(mailOutbox.status, "pending"));
}

describe("the mail outbox", () => {
  it("writes a message only when the change that causes it commits", async () => {
    const db = await getDb();
    await expect(
      db.transaction(async (tx) => {
        await enqueueMail(tx, { to: "lan@example.vn", subject: "Không gửi", text: "…", kind: "test" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await rows()).toEqual([]);
  });

  it("sends through the Resend SDK with the key, the sender and an idempotency key", async () => {
    const db = await getDb();
    const id = await db.transaction((tx) =>
      enqueueMail(tx, {
        to: "Lan@Example.vn",
        subject: "Xác nhận email",
        text: "Chào bạn",
        kind: "verify_email",
      }),
    );
    const result = await deliverDueMail(options());
    expect(result).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(received).toHaveLength(1);
    expect(received[0]!.auth).toBe("Bearer re_test_key");
    expect(received[0]!.idempotencyKey).toBe(`hocso-mail-${id}`);
    expect(received[0]!.body).toMatchObject({
      to: ["lan@example.vn"],
      subject: "Xác nhận email",
      text: "Chào bạn",
      from: "HọcSố <no-reply@hocso.example>",
    });
    expect(await rows()).toMatchObject([{ status: "sent", attempts: 1, providerMessageId: "re_1" }]);
    // Nothing is sent twice.
    expect(await deliverDueMail(options())).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it("loses no message when the provider is down, and sends each once when it is back", async () => {
    const db = await getDb();
    for (const n of [1, 2, 3]) {
      await db.transaction((tx) =>
        enqueueMail(tx, { to: `nguoi${n}@example.vn`, subject: `Thư ${n}`, text: "…", kind: "test" }),
      );
    }
    mode = "down";
    expect(await deliverDueMail(options())).toEqual({ sent: 0, retried: 3, failed: 0 });
    let state = await rows();
    expect(
      state.every(
        (r) => r.status === "pending" && r.attempts === 1 && r.nextAttemptAt.getTime() > Date.now(),
      ),
    ).toBe(true);
    expect(state[0]!.lastError).toMatch(/bad day|Internal server error/);
    // Not due yet: the backoff holds the retry back.
    expect(await deliverDueMail(options())).toEqual({ sent: 0, retried: 0, failed: 0 });

    mode = "refuse";
    await timePasses();
    expect(await deliverDueMail(options())).toEqual({ sent: 0, retried: 3, failed: 0 });

    mode = "up";
    await timePasses();
    expect(await deliverDueMail(options())).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(received.map((r) => r.body.subject).sort()).toEqual(["Thư 1", "Thư 2", "Thư 3"]);
    state = await rows();
    expect(state.map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("marks a message failed after the last attempt, and keeps it for a person to look at", async () => {
    const db = await getDb();
    await db.transaction((tx) =>
      enqueueMail(tx, { to: "sai@example.vn", subject: "Không tới", text: "…", kind: "test" }),
    );
    mode = "down";
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await timePasses();
      await deliverDueMail(options());
    }
    const [row] = await rows();
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(row!.lastError).toBeTruthy();
  });

  it("two workers at once never send the same message twice", async () => {
    const db = await getDb();
    for (let n = 0; n < 6; n++)
      await db.transaction((tx) =>
        enqueueMail(tx, { to: `x${n}@example.vn`, subject: `S${n}`, text: "…", kind: "test" }),
      );
    const [a, b] = await Promise.all([deliverDueMail(options()), deliverDueMail(options())]);
    expect(a.sent + b.sent).toBe(6);
    expect(received).toHaveLength(6);
    expect(new Set(received.map((r) => r.idempotencyKey)).size).toBe(6);
  });

  it("sends nothing without an API key: the mail waits in the outbox", async () => {
    const db = await getDb();
    await db.transaction((tx) =>
      enqueueMail(tx, { to: "lan@example.vn", subject: "Chờ", text: "…", kind: "test" }),
    );
    expect(await deliverDueMail({ baseUrl })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect((await rows())[0]).toMatchObject({ status: "pending", attempts: 0 });
  });
});

/**
 * The log holds no secrets or personal data: one JSON line per request with its id, method, path
 * (without the query string), status and duration; a failed database query is logged without the
 * values it was given (here a phone number and a password hash).
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import { users } from "@db/schema";
import { loggerTo, safePath, serializeError, setLogger } from "~/server/logging.mjs";
import { handleError } from "~/entry.server";
import { createUser } from "../support/factories";

// server.mjs is plain JavaScript run by node; its types are not checked here.
const { createApp } = (await import("../../server.mjs")) as unknown as {
  createApp: (o: object) => { listen: (...args: unknown[]) => Server };
};

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    callback();
  },
});
const previous = setLogger(loggerTo(capture));

let server: Server;
let base: string;

beforeAll(async () => {
  await getDb();
  const app = createApp({ handler: () => new Response("ok") });
  await new Promise<void>((resolve) => {
    server = app.listen(0, "127.0.0.1", () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  setLogger(previous);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Pino writes asynchronously to a stream: wait until the line is there. */
async function lineWhere(
  test: (entry: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const found = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find(test);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no such log line in:\n${lines.join("\n")}`);
}

const TOKEN = "QZ7K2M4PX9TR3WV8YB6NH5JD";
const PHONE = "0905123456";

describe("the request log", () => {
  it("has one JSON line per request with its id, method, path, status and duration, and no token or phone", async () => {
    const response = await fetch(`${base}/accept-invite?token=${TOKEN}&phone=${PHONE}`, {
      headers: { Cookie: `__Host-hocso_session=${TOKEN}` },
    });
    expect(response.status).toBe(200);
    const id = response.headers.get("X-Request-Id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const entry = await lineWhere((e) => (e.req as { id?: string } | undefined)?.id === id);
    expect(entry).toMatchObject({
      level: "info",
      req: { method: "GET", path: "/accept-invite" },
      res: { status: 200 },
    });
    expect(typeof entry.durationMs).toBe("number");
    const all = lines.join("\n");
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(PHONE);
    expect(all).not.toContain("905123456");
  });

  it("redacts a phone number or email written in the path itself", () => {
    expect(safePath("/office/search/0905%20123%20456?q=x")).toBe("/office/search/[phone]");
    expect(safePath("/u/an.nguyen@example.com")).toBe("/u/[email]");
    expect(safePath("/office/wards/84905123456")).not.toContain("905123456");
  });

  it("keeps the id a load balancer sends, so its log and ours can be joined", async () => {
    const response = await fetch(`${base}/courses`, {
      headers: { "X-Request-Id": "0123456789abcdef0123456789abcdef" },
    });
    expect(response.headers.get("X-Request-Id")).toBe("0123456789abcdef0123456789abcdef");
  });
});

describe("a failed database query", () => {
  it("is logged without the phone number, email or password hash it was given", async () => {
    await createUser({ phone: "+84905123456", email: "chi.lan@example.com" });
    const db = await getDb();
    let failure: unknown;
    try {
      await db.insert(users).values({
        phone: "+84905123456",
        email: "chi.lan@example.com",
        displayName: "Trần Thị Lan",
        passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$SECRETHASHVALUE",
        role: "resident",
      });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeDefined();
    // What the request handler of Remix calls for an unexpected error in a loader or action.
    handleError(failure, {
      request: new Request("http://localhost/signup", { method: "POST" }),
      params: {},
      context: {},
    });
    const entry = await lineWhere((e) => e.msg === "request failed" && e.err !== undefined);
    const text = JSON.stringify(entry);
    expect(text).not.toContain("905123456");
    expect(text).not.toContain("chi.lan@example.com");
    expect(text).not.toContain("Trần Thị Lan");
    expect(text).not.toContain("SECRETHASHVALUE");
    // What an operator needs is still there: the SQL (with placeholders) and PostgreSQL's error code.
    expect(text).toContain("insert into");
    expect(text).toContain("23505");
    expect(JSON.stringify(serializeError(failure))).not.toContain("905123456");
  });
});

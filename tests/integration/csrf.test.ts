/**
 * A form posted from another site is refused with 403 and a Vietnamese explanation: by the
 * HTTP server before Remix sees it (Remix itself would answer a bare 500), and by each action's
 * own same-origin check when only a Referer is sent.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as loginAction } from "~/routes/login";
import { action as sessionsAction } from "~/routes/me.sessions";
import { validateSessionToken } from "~/session.server";
import { createUser } from "../support/factories";
import { actionArgs, cookieFor, outcome, postRequest } from "../support/http";

// server.mjs is plain JavaScript run by node; its types are not checked here.
const { createApp } = (await import("../../server.mjs")) as unknown as {
  createApp: (o: object) => { listen: (...args: unknown[]) => Server };
};

let server: Server;
let base: string;
let reached = 0;

beforeAll(async () => {
  const app = createApp({
    log: false,
    handler: (request: Request) => {
      reached++;
      return new Response(`reached the app from ${request.headers.get("x-real-ip")}`);
    },
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, "127.0.0.1", () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the address rate limits count against", () => {
  it("is the connection's own, whatever the client claims in its headers", async () => {
    const response = await fetch(`${base}/`, {
      headers: { "X-Real-IP": "1.2.3.4", "X-Forwarded-For": "5.6.7.8" },
    });
    const text = await response.text();
    expect(text).toMatch(/from (::ffff:)?127\.0\.0\.1$/);
  });
});

describe("cross-site requests", () => {
  it("a POST from another site gets 403 with a Vietnamese message and never reaches the app", async () => {
    const before = reached;
    const response = await fetch(`${base}/logout`, {
      method: "POST",
      headers: { Origin: "https://evil.example" },
      body: "x=1",
    });
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain('lang="vi"');
    expect(html).toContain("Yêu cầu bị từ chối vì không đến từ trang của HọcSố");
    expect(reached).toBe(before);
  });

  it("the site's own POSTs and every GET go through", async () => {
    const own = await fetch(`${base}/logout`, { method: "POST", headers: { Origin: base }, body: "x=1" });
    expect(own.status).toBe(200);
    const get = await fetch(`${base}/`, { headers: { Origin: "https://evil.example" } });
    expect(get.status).toBe(200);
  });

  it("behind a proxy, the public host the proxy names is the site's own", async () => {
    const response = await fetch(`${base}/login`, {
      method: "POST",
      headers: { Origin: "https://hocso.anhai.vn", "X-Forwarded-Host": "hocso.anhai.vn" },
      body: "x=1",
    });
    expect(response.status).toBe(200);
  });

  it("an action refuses a POST whose only clue, the Referer, is another site", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user);
    const request = postRequest("/me/sessions", { intent: "end-all" }, { cookie, origin: null });
    request.headers.set("Referer", "https://evil.example/form");
    const result = await outcome(() => sessionsAction(actionArgs(request)));
    expect(result).toMatchObject({ kind: "status", status: 403 });
    expect((result as { body: string }).body).toMatch(/không đến từ trang của HọcSố/);
    expect(await validateSessionToken(cookie.split("=")[1]!)).not.toBeNull();
  });

  it("an action refuses a POST with a foreign Origin too (when called without the server in front)", async () => {
    const result = await outcome(() =>
      loginAction(
        actionArgs(
          postRequest(
            "/login",
            { identifier: "0905123456", password: "x" },
            { origin: "https://evil.example" },
          ),
        ),
      ),
    );
    expect(result).toMatchObject({ kind: "status", status: 403 });
  });
});

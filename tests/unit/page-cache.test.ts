import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedPageCache } from "../../app/server/page-cache.mjs";

let base = "";
let rendered = 0;
let server: http.Server;
let early: http.Server;
let earlyBase = "";
let fellThrough = 0;
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

beforeAll(async () => {
  const routes: Record<string, Handler> = {};
  const app = { get: (path: string, handler: Handler) => (routes[path] = handler) };
  const cache = sharedPageCache() as ((
    req: http.IncomingMessage,
    res: http.ServerResponse,
    next: () => void,
  ) => void) & { serveEarly: (req: http.IncomingMessage, res: http.ServerResponse) => boolean };
  app.get("/lesson", (_req, res) => {
    rendered++;
    res.setHeader("Cache-Control", "public, max-age=300");
    res.setHeader("Vary", "Cookie");
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.write("<p>Bài học ");
    res.end(`số ${rendered}</p>`);
  });
  app.get("/signed-in", (_req, res) => {
    rendered++;
    res.setHeader("Cache-Control", "private, no-cache");
    res.end(`riêng ${rendered}`);
  });
  app.get("/sets-cookie", (_req, res) => {
    rendered++;
    res.setHeader("Cache-Control", "public, max-age=300");
    res.setHeader("Set-Cookie", "a=b");
    res.end(`cookie ${rendered}`);
  });
  server = http
    .createServer((req, res) => cache(req, res, () => routes[req.url ?? ""]!(req, res)))
    .listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // As server.mjs does: the cache answers before the app when it can.
  early = http
    .createServer((req, res) => {
      if (!cache.serveEarly(req, res)) {
        fellThrough++;
        cache(req, res, () => routes[req.url ?? ""]!(req, res));
      }
    })
    .listen(0, "127.0.0.1");
  await new Promise((r) => early.once("listening", r));
  earlyBase = `http://127.0.0.1:${(early.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await new Promise<void>((r) => early.close(() => r()));
});

describe("the shared page cache", () => {
  it("renders a public page once and serves the same bytes to the next visitors without cookies", async () => {
    const before = rendered;
    const first = await (await fetch(`${base}/lesson`)).text();
    const second = await fetch(`${base}/lesson`);
    expect(await second.text()).toBe(first);
    expect(rendered - before).toBe(1);
    expect(second.headers.get("cache-control")).toBe("public, max-age=300");
    expect(second.headers.get("etag")).toMatch(/^".+"$/);
  });

  it("answers 304 to a browser that already has the page", async () => {
    const etag = (await fetch(`${base}/lesson`)).headers.get("etag")!;
    const again = await fetch(`${base}/lesson`, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });

  it("always renders afresh for someone with a cookie, and never keeps private pages or ones that set a cookie", async () => {
    const before = rendered;
    await fetch(`${base}/lesson`, { headers: { Cookie: "__session=x" } });
    await fetch(`${base}/signed-in`);
    await fetch(`${base}/signed-in`);
    await fetch(`${base}/sets-cookie`);
    await fetch(`${base}/sets-cookie`);
    expect(rendered - before).toBe(5);
  });

  it("answers a kept page ahead of the app, gzipped or not, with the page's own headers", async () => {
    const first = await fetch(`${earlyBase}/lesson`);
    const text = await first.text();
    const before = fellThrough;
    const plain = await fetch(`${earlyBase}/lesson`, { headers: { "Accept-Encoding": "identity" } });
    expect(await plain.text()).toBe(text);
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.headers.get("vary")).toBe("Cookie");
    const zipped = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${earlyBase}/lesson`, { headers: { "Accept-Encoding": "gzip" } }, resolve),
    );
    zipped.resume();
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.etag).toBe(plain.headers.get("etag"));
    expect(fellThrough).toBe(before);
    await fetch(`${earlyBase}/lesson`, { headers: { Cookie: "__session=x" } });
    expect(fellThrough).toBe(before + 1);
  });
});

/**
 * A signed-in page reaches a phone compressed as the phone asked (brotli, else gzip), in one piece,
 * and decompresses to the very page; a client that asks for no encoding gets the page as it is, and
 * a visitor without cookies still goes through compression() (the shared page cache keeps plain bytes).
 */
import type { Server } from "node:http";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENT_SLOT } from "~/server/http.mjs";

const { createApp } = (await import("../../server.mjs")) as unknown as {
  createApp: (o: object) => { listen: (...args: unknown[]) => Server };
};

const paragraphs = "<p>Học dùng VNeID an toàn.</p>".repeat(200);
const page = `<!DOCTYPE html><html lang="vi"><body>${paragraphs}</body></html>`;

let server: Server;
let port: number;

beforeAll(async () => {
  const app = createApp({
    log: false,
    // What entry.server.tsx does when server.mjs hands it a slot.
    handler: (_request: Request, context: Record<string, { response?: Response; body?: string }>) => {
      const slot = context[DOCUMENT_SLOT]!;
      slot.response = new Response(null, { headers: { "Content-Type": "text/html; charset=utf-8" } });
      slot.body = page;
      return slot.response;
    },
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The raw answer (fetch would decode it itself). */
function get(headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/courses/x/y", headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("a signed-in page", () => {
  it("is sent with brotli to a browser that accepts it, and decompresses to the page", async () => {
    const r = await get({ Cookie: "hocso_session=abc", "Accept-Encoding": "gzip, deflate, br" });
    expect(r.headers["content-encoding"]).toBe("br");
    expect(Number(r.headers["content-length"])).toBe(r.body.length);
    expect(r.headers.vary).toContain("Accept-Encoding");
    expect(zlib.brotliDecompressSync(r.body).toString("utf8")).toBe(page);
  });

  it("is sent with gzip to a client that accepts only gzip", async () => {
    const r = await get({ Cookie: "hocso_session=abc", "Accept-Encoding": "gzip" });
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(r.body).toString("utf8")).toBe(page);
  });

  it("is sent as it is to a client that asks for no encoding", async () => {
    const r = await get({ Cookie: "hocso_session=abc" });
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(r.body.toString("utf8")).toBe(page);
  });

  it("without cookies still goes through compression()", async () => {
    const r = await get({ "Accept-Encoding": "gzip" });
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(r.body).toString("utf8")).toBe(page);
  });
});

// A shared cache in the process, doing what a CDN in front of the site would: a page that a route
// marks `Cache-Control: public, max-age=N` (the same for every visitor: a lesson read by someone
// not signed in) is rendered once, kept N seconds, and served to later visitors without cookies
// straight from memory, with an ETag (a hash of the bytes) so a browser that has it gets a 304.
// Anyone with a cookie (signed in, or any other) always gets a freshly rendered page; a response
// that sets a cookie, or is not a 200, is never kept. It is only a cache: an instance that
// restarts renders the page again, and each instance keeps its own copy.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

/** Headers that belong to one transfer, not to the page. */
const TRANSFER_HEADERS = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "date",
  "keep-alive",
]);

function maxAgeOf(cacheControl) {
  if (
    !cacheControl ||
    !/\bpublic\b/.test(cacheControl) ||
    /\b(private|no-store|no-cache)\b/.test(cacheControl)
  )
    return 0;
  const match = /\bs-maxage=(\d+)/.exec(cacheControl) ?? /\bmax-age=(\d+)/.exec(cacheControl);
  return match ? Number(match[1]) : 0;
}

function etagMatches(header, etag) {
  if (!header) return false;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*");
}

function acceptsGzip(req) {
  return /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
}

/**
 * Middleware; run it after compression() (so it sees the page's own bytes) and just
 * before the Remix handler (so every other middleware still runs for a page served from here).
 */
export function sharedPageCache({ maxEntries = 500, maxBytes = 1_000_000 } = {}) {
  /** url → { headers, body, gzip?, etag, expires } */
  const entries = new Map();

  /**
   * The headers every answer from `entry` carries, made once: the page's own, its ETag,
   * and each encoding's length.
   */
  function headersOf(entry, gzip) {
    const headers = Object.fromEntries(entry.headers);
    headers.etag = entry.etag;
    if (gzip) headers["content-encoding"] = "gzip"; // compression() leaves an encoded body alone
    headers["content-length"] = String(gzip ? entry.gzip.length : entry.body.length);
    return headers;
  }

  function serve(req, res, entry) {
    const age = String(Math.max(0, Math.floor((Date.now() - entry.stored) / 1000)));
    if (etagMatches(req.headers["if-none-match"], entry.etag)) {
      for (const [name, value] of entry.headers) res.setHeader(name, value);
      res.setHeader("ETag", entry.etag);
      res.setHeader("Age", age);
      res.statusCode = 304;
      res.end();
      return;
    }
    const gzip = acceptsGzip(req);
    if (gzip && !entry.gzip) {
      entry.gzip = gzipSync(entry.body);
      entry.gzipHeaders = headersOf(entry, true);
    }
    entry.plainHeaders ??= headersOf(entry, false);
    res.writeHead(200, { ...(gzip ? entry.gzipHeaders : entry.plainHeaders), age });
    res.end(req.method === "HEAD" ? undefined : gzip ? entry.gzip : entry.body);
  }

  /** The fresh entry that may answer `req` (a GET or HEAD without cookies), if any. */
  function hit(req) {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.headers.cookie || req.headers.authorization)
      return undefined;
    const key = req.originalUrl ?? req.url;
    const entry = entries.get(key);
    if (entry && entry.expires > Date.now()) return entry;
    if (entry) entries.delete(key);
    return undefined;
  }

  function pageCache(req, res, next) {
    const entry = hit(req);
    if (entry) return serve(req, res, entry);
    if (req.method !== "GET" || req.headers.cookie || req.headers.authorization) return next();
    const key = req.originalUrl ?? req.url;

    const chunks = [];
    let size = 0;
    const collect = (chunk, encoding) => {
      if (chunk == null || typeof chunk === "function" || size > maxBytes) return;
      const buffer = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8");
      size += buffer.length;
      chunks.push(buffer);
    };
    const write = res.write;
    const end = res.end;
    res.write = function (chunk, encoding, callback) {
      collect(chunk, encoding);
      return write.call(this, chunk, encoding, callback);
    };
    res.end = function (chunk, encoding, callback) {
      collect(chunk, encoding);
      const maxAge = maxAgeOf(res.getHeader("cache-control"));
      if (res.statusCode === 200 && maxAge > 0 && size <= maxBytes && !res.getHeader("set-cookie")) {
        const body = Buffer.concat(chunks);
        const headers = Object.entries(res.getHeaders()).filter(([name]) => !TRANSFER_HEADERS.has(name));
        const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value);
        entries.set(key, { headers, body, etag, stored: Date.now(), expires: Date.now() + maxAge * 1000 });
        if (!res.headersSent) res.setHeader("ETag", etag);
      }
      return end.call(this, chunk, encoding, callback);
    };
    next();
  }

  /**
   * For the HTTP server itself, ahead of the middleware: answers `req` from the cache and returns true, or
   * returns false and leaves it untouched. A page kept here already carries every header the
   * middleware set when it was rendered (security headers included); what such an answer skips is
   * the per-request log line and route metrics (the server counts these hits instead).
   */
  pageCache.serveEarly = (req, res) => {
    const entry = hit(req);
    if (!entry) return false;
    serve(req, res, entry);
    return true;
  };
  return pageCache;
}

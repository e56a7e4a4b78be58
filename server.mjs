// The production HTTP server, on plain node:http: the steps remix-serve takes (compression, static
// files, the Remix handler), plus the site's own, in this order: security headers and input caps,
// the shutdown's Connection: close, compression, files, the request log and metrics, /metrics and
// the embedded database's backup, the caller's address, the CSRF check, the shared page cache,
// and Remix. Express ran these before; its router and request objects cost more per request than
// everything it did for us (README, "Speed"). Two things remix-serve cannot do:
// 1. CSRF: Remix itself aborts a cross-origin POST with a bare 500 before any action runs.
//    We answer it first, with 403 and a Vietnamese explanation, for every non-GET request
//    whose Origin is not this site. (Actions also call assertSameOrigin, which covers requests
//    that carry only a Referer.)
// 2. The caller's address for the rate limits: X-Real-IP is overwritten with the address the
//    server trusts (the socket's, or with TRUST_PROXY=1 the proxy's X-Forwarded-For), so
//    a client cannot choose its own.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";
import compression from "compression";
import Negotiator from "negotiator";
import proxyaddr from "proxy-addr";
import serveStatic from "serve-static";
import { createRequestHandler, installGlobals } from "@remix-run/node";
import { createRequest, sendResponse } from "@remix-run/node-fetch-server";
import { security } from "./app/server/security.mjs";
import { chain, DOCUMENT_SLOT, pathOf, sendText } from "./app/server/http.mjs";
import { logError, logger, requestLogger } from "./app/server/logging.mjs";
import { createRouteMatcher } from "./app/server/routes.mjs";
import {
  closeConnectionsWhileDraining,
  installGracefulShutdown,
  isDraining,
} from "./app/server/shutdown.mjs";
import { metricsHandler, pageCacheHits, recordRequestMetrics } from "./app/server/metrics.mjs";
import { runClustered } from "./app/server/cluster.mjs";
import { sharedPageCache } from "./app/server/page-cache.mjs";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origins this request may come from: its own host, and the public host a proxy names. */
function allowedHosts(req) {
  const hosts = [];
  const forwarded = req.headers["x-forwarded-host"];
  if (forwarded) hosts.push(forwarded.split(",")[0].trim());
  const host = req.headers.host;
  if (host) hosts.push(host);
  return hosts;
}

/** True when a state-changing request names an Origin other than this site. */
export function isCrossOrigin(req) {
  if (SAFE_METHODS.has(req.method)) return false;
  const origin = req.headers.origin;
  if (!origin) return false;
  if (origin === "null") return true;
  let host;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  // Remix compares against X-Forwarded-Host when present, else Host: reject whatever it would.
  return host !== allowedHosts(req)[0];
}

export const CROSS_ORIGIN_MESSAGE =
  "Yêu cầu bị từ chối vì không đến từ trang của HọcSố. Hãy tải lại trang và thử lại.";

const forbiddenPage = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yêu cầu bị từ chối – HọcSố</title></head>
<body style="font-family: system-ui, sans-serif; font-size: 1.125rem; line-height: 1.6; \
max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>Yêu cầu bị từ chối</h1><p>${CROSS_ORIGIN_MESSAGE}</p>\
<p><a href="/">Về trang chủ HọcSố</a></p></body></html>`;

export function rejectCrossOrigin(req, res, next) {
  if (!isCrossOrigin(req)) return next();
  sendText(res, 403, "text/html", forbiddenPage);
}

/**
 * One proxy hop (the load balancer) with TRUST_PROXY=1: the address it saw, not whatever the client
 * wrote first.
 */
function trustedHops(trustProxy) {
  return trustProxy ? (_address, hop) => hop < 1 : () => false;
}

/**
 * What every later step reads of the request: its path (`req.path`) and the address as sent
 * (`req.originalUrl`, kept while the static-file step shortens `req.url`), whether it came over
 * https (`req.secure`: the socket's, or the trusted proxy's X-Forwarded-Proto), and the caller's
 * address (`req.ip`).
 */
function describeRequest(trust) {
  return (req, _res, next) => {
    req.originalUrl = req.url;
    req.path = pathOf(req.url);
    const viaProxy = trust(req.socket.remoteAddress ?? "", 0);
    const proto = viaProxy
      ? String(req.headers["x-forwarded-proto"] ?? "")
          .split(",")[0]
          ?.trim()
      : "";
    req.secure = Boolean(req.socket.encrypted) || proto === "https";
    req.ip = proxyaddr(req, trust);
    next();
  };
}

function recordClientAddress(req, _res, next) {
  req.headers["x-real-ip"] = req.ip ?? req.socket.remoteAddress ?? "";
  next();
}

/** Files under `prefix` ("/build/") from `dir`, forever cacheable (their names carry a hash). */
function buildFiles(prefix, dir) {
  const serve = serveStatic(dir, { immutable: true, maxAge: "1y", index: false });
  return (req, res, next) => {
    if (!req.path.startsWith(prefix)) return next();
    req.url = req.url.slice(prefix.length - 1);
    serve(req, res, (error) => {
      req.url = req.originalUrl;
      next(error);
    });
  };
}

const PAGE_ENCODINGS = ["br", "gzip", "deflate", "identity"];
const PREFERRED_ENCODINGS = ["br", "gzip"];
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };

/**
 * A signed-in page, compressed in one piece the way compression() would stream it: the same
 * negotiation (br, then gzip, then deflate), brotli at quality 4, gzip at its default level, nothing
 * under 1 KB, for HEAD or under Cache-Control: no-transform. compression() sets up a stream per
 * response (brotli's 4 MB window each time) and compresses chunk by chunk in the thread pool: a
 * phone's request for a lesson cost about 3 ms of CPU with brotli and 2 ms with gzip, against 0.9 ms
 * uncompressed (README, "Speed").
 * It then sees the Content-Encoding and passes the page on; it still adds Vary: Accept-Encoding.
 * A visitor without cookies is left to compression(): the shared page cache may keep that page,
 * and it keeps a page's own bytes.
 */
function encodePage(req, html, cacheControl = "") {
  const body = Buffer.from(html);
  if (body.length < 1024 || req.method === "HEAD" || !req.headers.cookie) return { body };
  if (/\bno-transform\b/i.test(cacheControl)) return { body };
  const encoding = new Negotiator(req).encoding(PAGE_ENCODINGS, PREFERRED_ENCODINGS);
  if (encoding === "br") return { body: zlib.brotliCompressSync(body, BROTLI), encoding };
  if (encoding === "gzip") return { body: zlib.gzipSync(body), encoding };
  if (encoding === "deflate") return { body: zlib.deflateSync(body), encoding };
  return { body };
}

/** A Fetch response's headers for writeHead, each Set-Cookie kept apart. */
function headersOf(response) {
  const headers = {};
  for (const [name, value] of response.headers) {
    const had = headers[name];
    headers[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return headers;
}

/** The Remix app as a request listener: node's request to a Fetch Request and back. */
function remixListener(fetchHandler, trustProxy) {
  return async (req, res) => {
    let request;
    try {
      request = createRequest(req, res, { trustProxy });
    } catch {
      sendText(
        res,
        400,
        "text/html",
        "<!doctype html><title>Địa chỉ không hợp lệ</title><p>Địa chỉ không hợp lệ.</p>",
      );
      return;
    }
    const slot = {};
    const response = await fetchHandler(request, { [DOCUMENT_SLOT]: slot });
    // The client left: nothing to send (Remix has seen the request's signal abort).
    if (res.destroyed || request.signal.aborted) return;
    // Remix's responses have no status text: send the standard one ("200 OK", not "200 ").
    const { status, headers, body } = response;
    const statusText = http.STATUS_CODES[status] ?? "";
    // A page: entry.server.tsx left its HTML in the slot, for this very response.
    if (slot.response === response && typeof slot.body === "string") {
      const pageHeaders = headersOf(response);
      const page = encodePage(req, slot.body, pageHeaders["cache-control"]);
      if (page.encoding) pageHeaders["content-encoding"] = page.encoding;
      pageHeaders["content-length"] = String(page.body.length);
      res.writeHead(status, statusText, pageHeaders);
      res.end(req.method === "HEAD" ? undefined : page.body);
      return;
    }
    await sendResponse(res, { status, statusText, headers, body });
  };
}

/**
 * The server's request listener, with `listen(...)` as on http.Server for tests. `handler`, a
 * Fetch handler (Request → Response), replaces the Remix app in tests of the middleware.
 */
export function createApp({
  build,
  handler,
  publicPath = "/build/",
  assetsDir = "public/build",
  log = true,
  pageCache = sharedPageCache(),
} = {}) {
  // TRUST_PROXY=1: the client address, https and the host come from the one proxy in front.
  const trustProxy = process.env.TRUST_PROXY === "1";
  const trust = trustedHops(trustProxy);
  const routeOf = createRouteMatcher(build);
  // Embedded PGlite: `npm run backup` asks the running site for its database (app/site-backup.server.ts:
  // this machine and the token of DATA_DIR/site.json only). Before the page cache and the CSRF check.
  const siteBackup = build?.entry?.module?.handleSiteBackup;
  // Every file in public/ has a dot in its name and no page's address has one, so a page request
  // skips the file lookup (a disk stat per request).
  const publicFiles = serveStatic("public", { maxAge: "1h", index: false });
  const middleware = [
    describeRequest(trust),
    ...security(),
    // During a graceful shutdown every response closes its connection; /readyz says 503.
    closeConnectionsWhileDraining,
    compression(),
    buildFiles(publicPath, assetsDir),
    (req, res, next) => (req.path.includes(".") ? publicFiles(req, res, next) : next()),
    // One JSON line per request: id, method, path without its query, route, status, duration.
    ...(log ? [requestLogger({ routeOf: (req) => routeOf(req.path) })] : []),
    // Prometheus: request counts and latency by route; /metrics needs METRICS_TOKEN or loopback.
    recordRequestMetrics((req) => routeOf(req.path)),
    (req, res, next) =>
      req.path === "/metrics" && (req.method === "GET" || req.method === "HEAD")
        ? void metricsHandler(req, res)
        : next(),
    ...(siteBackup
      ? [
          (req, res, next) =>
            req.path === "/_site/backup" && req.method === "POST" ? void siteBackup(req, res) : next(),
        ]
      : []),
    recordClientAddress,
    rejectCrossOrigin,
    pageCache,
  ];
  const fetchHandler = handler ?? createRequestHandler(build, process.env.NODE_ENV);
  const listener = chain(middleware, remixListener(fetchHandler, trustProxy), (error, req) =>
    logError("request failed", error, { method: req.method }),
  );
  listener.listen = (...args) => http.createServer(listener).listen(...args);
  return listener;
}

async function main() {
  installGlobals({ nativeFetch: true });
  const buildPath = path.resolve(process.argv[2] ?? "build/index.js");
  const build = await import(pathToFileURL(buildPath).href);
  const port = Number(process.env.PORT ?? 3000);
  const pageCache = sharedPageCache();
  const app = createApp({
    build,
    publicPath: build.publicPath,
    assetsDir: build.assetsBuildDirectory,
    pageCache,
  });
  // A page the shared cache holds (a lesson for a visitor without cookies) is answered before the
  // middleware: nothing it would add is missing from the kept page, and running it costs more than
  // the answer. While shutting down, every request goes through it (Connection: close).
  const server = http.createServer((req, res) => {
    if (!isDraining() && pageCache.serveEarly(req, res)) pageCacheHits.inc();
    else app(req, res);
  });
  if (process.env.HOST) server.listen(port, process.env.HOST);
  else server.listen(port);
  server.on("listening", () => {
    logger().info({ port }, "listening");
    // Embedded PGlite: DATA_DIR/site.json tells a backup where to ask for the database.
    build.entry.module.announceSite?.(server.address());
  });
  // SIGTERM: finish the requests in flight, stop background work, close the database, exit.
  installGracefulShutdown(server, { closeApp: () => build.entry.module.closeApp?.() });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runClustered(main);
}

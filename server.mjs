// The production HTTP server: remix-serve's setup (compression, static files, the Remix
// handler) plus two things remix-serve cannot do.
// 1. CSRF: Remix itself aborts a cross-origin POST with a bare 500 before any action runs.
//    We answer it first, with 403 and a Vietnamese explanation, for every non-GET request
//    whose Origin is not this site. (Actions also call assertSameOrigin, which covers requests
//    that carry only a Referer.)
// 2. The caller's address for the rate limits: X-Real-IP is overwritten with the address
//    Express trusts (the socket's, or with TRUST_PROXY=1 the proxy's X-Forwarded-For), so
//    a client cannot choose its own.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import { security } from "./app/server/security.mjs";
import { logger, requestLogger } from "./app/server/logging.mjs";
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
  const forwarded = req.get("x-forwarded-host");
  if (forwarded) hosts.push(forwarded.split(",")[0].trim());
  const host = req.get("host");
  if (host) hosts.push(host);
  return hosts;
}

/** True when a state-changing request names an Origin other than this site. */
export function isCrossOrigin(req) {
  if (SAFE_METHODS.has(req.method)) return false;
  const origin = req.get("origin");
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
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yêu cầu bị từ chối – HọcSố</title></head>
<body style="font-family: system-ui, sans-serif; font-size: 1.125rem; line-height: 1.6; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>Yêu cầu bị từ chối</h1><p>${CROSS_ORIGIN_MESSAGE}</p><p><a href="/">Về trang chủ HọcSố</a></p></body></html>`;

export function rejectCrossOrigin(req, res, next) {
  if (!isCrossOrigin(req)) return next();
  res.status(403).type("html").send(forbiddenPage);
}

function recordClientAddress(req, _res, next) {
  req.headers["x-real-ip"] = req.ip ?? req.socket.remoteAddress ?? "";
  next();
}

/** The app; `handler` replaces the Remix handler in tests of the middleware. */
export function createApp({
  build,
  handler,
  publicPath = "/build/",
  assetsDir = "public/build",
  log = true,
  pageCache = sharedPageCache(),
} = {}) {
  const app = express();
  app.disable("x-powered-by");
  // One proxy hop (the load balancer): req.ip is the address it saw, not whatever the client wrote first.
  if (process.env.TRUST_PROXY === "1") app.set("trust proxy", 1);
  app.use(security());
  // During a graceful shutdown every response closes its connection; /readyz says 503.
  app.use(closeConnectionsWhileDraining);
  app.use(compression());
  app.use(publicPath, express.static(assetsDir, { immutable: true, maxAge: "1y" }));
  // Every file in public/ has a dot in its name and no page's address has one, so a page request
  // skips the file lookup (a disk stat per request).
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (req.path.includes(".") ? publicFiles(req, res, next) : next()));
  // One JSON line per request: id, method, path without its query, route, status, duration.
  const routeOf = createRouteMatcher(build);
  if (log) app.use(requestLogger({ routeOf: (req) => routeOf(req.path) }));
  // Prometheus: request counts and latency by route; /metrics needs METRICS_TOKEN or loopback.
  app.use(recordRequestMetrics((req) => routeOf(req.path)));
  app.get("/metrics", metricsHandler);
  // Embedded PGlite: `npm run backup` asks the running site for its database (app/site-backup.server.ts:
  // this machine and the token of DATA_DIR/site.json only). Before the page cache and the CSRF check.
  const siteBackup = build?.entry?.module?.handleSiteBackup;
  if (siteBackup) app.post("/_site/backup", siteBackup);
  app.use(recordClientAddress);
  app.use(rejectCrossOrigin);
  app.use(pageCache);
  app.all("*", handler ?? createRequestHandler({ build, mode: process.env.NODE_ENV }));
  return app;
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
  // A page the shared cache holds (a lesson for a visitor without cookies) is answered before
  // Express: nothing Express would add is missing from it, and Express's middleware chain costs more
  // than the answer. While shutting down, every request goes through Express (Connection: close).
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

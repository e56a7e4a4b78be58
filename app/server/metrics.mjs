// Prometheus metrics (prom-client's default registry, shared by server.mjs and the bundled app,
// which registers its own: mail outbox, database pool, target refreshes). /metrics is answered
// only with `Authorization: Bearer $METRICS_TOKEN`, or, when no token is set, to a loopback
// client that came through no proxy.
import { timingSafeEqual } from "node:crypto";
import client from "prom-client";
import { sendText } from "./http.mjs";

/** The metric named `name`, created once per process even when two module copies ask for it. */
export function metric(Kind, options) {
  return client.register.getSingleMetric(options.name) ?? new Kind(options);
}

if (!client.register.getSingleMetric("process_cpu_user_seconds_total")) client.collectDefaultMetrics();

const requests = metric(client.Counter, {
  name: "hocso_http_requests_total",
  help: "HTTP requests answered, by method, route and status",
  labelNames: ["method", "route", "status"],
});
const duration = metric(client.Histogram, {
  name: "hocso_http_request_duration_seconds",
  help: "Time to answer a request, by method and route",
  labelNames: ["method", "route"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** Pages answered from the shared page cache ahead of the middleware (not in the two metrics above). */
export const pageCacheHits = metric(client.Counter, {
  name: "hocso_page_cache_hits_total",
  help:
    "Pages answered from the shared page cache before the middleware " +
    "(not counted in hocso_http_requests_total)",
});

/** Middleware: counts and times every request under its route id (a label with few values). */
export function recordRequestMetrics(routeOf) {
  return (req, res, next) => {
    const end = duration.startTimer();
    res.on("finish", () => {
      const route = routeOf(req);
      const method = req.method;
      requests.inc({ method, route, status: String(res.statusCode) });
      end({ method, route });
    });
    next();
  };
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * True when `req` may read the metrics: the right bearer token, or (no token set) loopback without a proxy.
 */
export function mayReadMetrics(req, token = process.env.METRICS_TOKEN) {
  if (token) {
    const given = Buffer.from(String(req.headers.authorization ?? ""));
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
  return !proxied && LOOPBACK.has(req.socket.remoteAddress ?? "");
}

/** GET /metrics in the Prometheus text format; 404 to anyone who may not read it. */
export async function metricsHandler(req, res) {
  if (!mayReadMetrics(req)) {
    sendText(res, 404, "text/plain", "Not found");
    return;
  }
  try {
    const body = await client.register.metrics();
    res.writeHead(200, { "Content-Type": client.register.contentType, "Cache-Control": "no-store" });
    res.end(body);
  } catch (error) {
    sendText(res, 500, "text/plain", String(error instanceof Error ? error.message : error));
  }
}

// Graceful shutdown. On SIGTERM (or SIGINT) the server stops accepting connections, answers the
// requests it already has (each with `Connection: close`; a kept-alive connection is closed once
// idle for the keep-alive timeout, or after its next request), then `closeApp` stops the background
// work and closes the database, and the process exits 0. A second signal, or SHUTDOWN_TIMEOUT_MS
// without finishing, exits at once with 1.
import net from "node:net";
import { sendText } from "./http.mjs";
import { logger } from "./logging.mjs";

/**
 * A connection waits this long for its first request before a shutdown closes it: on a starved
 * machine a connection may be accepted well before its request is read.
 */
const FIRST_REQUEST_GRACE_MS = 10_000;

/**
 * Per connection: when it was accepted, whether a request is in progress,
 * how many were answered, idle since when.
 */
function trackConnections(server) {
  const connections = new Map();
  server.on("connection", (socket) => {
    connections.set(socket, { since: Date.now(), busy: false, answered: 0, idleSince: Date.now() });
    socket.on("close", () => connections.delete(socket));
  });
  server.on("request", (req, res) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.busy = true;
    res.on("close", () => {
      state.busy = false;
      state.answered++;
      state.idleSince = Date.now();
      // A response that said `Connection: close` (every one begun while draining) closes its
      // connection by itself. One begun before promised keep-alive: the proxy may already be
      // sending the next request on it, so it is left to closeIdle, never closed here.
    });
  });
  return connections;
}

/**
 * Closes the connections the client has stopped using: one that never sent a request after
 * FIRST_REQUEST_GRACE_MS, a kept-alive one once idle for the keep-alive timeout. Never sooner: a
 * proxy (nginx) may be writing a request on an idle connection at the moment it is closed, and it
 * does not resend a POST, so the form would fail. Until then a request on it is answered with
 * `Connection: close`; nginx's own idle timeout is shorter (deploy/nginx.conf.template), so it
 * closes its connections first.
 */
function closeIdle(connections, keepAliveMs) {
  const now = Date.now();
  for (const [socket, state] of connections) {
    if (state.busy) continue;
    const idle =
      state.answered > 0 ? now - state.idleSince >= keepAliveMs : now - state.since > FIRST_REQUEST_GRACE_MS;
    if (idle) socket.destroySoon?.() ?? socket.end();
  }
}

let draining = false;

/** True once a shutdown has begun: /readyz answers 503 so a load balancer stops sending. */
export function isDraining() {
  return draining;
}

/** Middleware: while draining, every response closes its connection after itself. */
export function closeConnectionsWhileDraining(req, res, next) {
  if (draining) {
    res.setHeader("Connection", "close");
    if (req.path === "/readyz") {
      sendText(res, 503, "text/plain", "shutting down", { "Cache-Control": "no-store" });
      return;
    }
  }
  next();
}

/**
 * Shuts `server` down on SIGTERM/SIGINT. `closeApp` runs once no request is left.
 * Returns `shutdown` itself, for tests and for callers that stop for other reasons.
 */
export function installGracefulShutdown(
  server,
  { closeApp = async () => {}, exit = (code) => process.exit(code), timeoutMs } = {},
) {
  const log = logger();
  const limit = timeoutMs ?? Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 30_000);
  // The listener stays open this long: a load balancer polling /readyz notices, and connections the
  // kernel has completed but a busy event loop has not accepted yet are served, not reset.
  const delayMs = Number(process.env.SHUTDOWN_DELAY_MS ?? 1_000);
  let started = false;
  const connections = trackConnections(server);

  async function shutdown(signal) {
    if (started) {
      log.warn({ signal }, "second signal: exiting now");
      exit(1);
      return;
    }
    started = true;
    draining = true;
    log.info({ signal }, "shutting down: finishing requests in flight");
    const deadline = setTimeout(() => {
      log.error({ timeoutMs: limit }, "shutdown took too long: exiting now");
      server.closeAllConnections?.();
      exit(1);
    }, limit);
    deadline.unref();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await new Promise((resolve) => setImmediate(resolve));
    log.info(
      { connections: connections.size, busy: [...connections.values()].filter((c) => c.busy).length },
      "closing the listener",
    );
    // net.Server's close, not http.Server's: the latter also drops every connection without a request
    // in progress, including one just accepted whose request has not been read yet (a reset).
    const closed = new Promise((resolve) => net.Server.prototype.close.call(server, resolve));
    const keepAliveMs = server.keepAliveTimeout || 5_000;
    const idle = setInterval(() => closeIdle(connections, keepAliveMs), 100);
    closeIdle(connections, keepAliveMs);
    await closed;
    clearInterval(idle);
    try {
      await closeApp();
      log.info("shut down cleanly");
      clearTimeout(deadline);
      exit(0);
    } catch (error) {
      log.error({ err: error }, "shutdown failed");
      exit(1);
    }
  }

  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutdown(signal));
  return shutdown;
}

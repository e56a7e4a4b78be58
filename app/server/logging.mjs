// Structured logs: JSON, one line per request (pino), and errors without personal data.
// Plain JavaScript so that server.mjs (run by node) and the Remix app (bundled) share it.
//
// What never reaches a log line: query strings (tokens, searched phone numbers, emails), request
// and response headers (cookies), the parameter values of a failed database query (drizzle puts
// them in the error's message, postgres.js and PGlite in `parameters`/`params`, PostgreSQL's
// `detail` repeats the offending value), and anything in a message that looks like a phone
// number, an email address or a long token.
import { randomUUID } from "node:crypto";
import pino from "pino";

const PHONE = /(?<![\w-])(?:\+?84|0)[\s.-]?\d(?:[\s.-]?\d){7,9}(?!\d)/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// Session tokens, invitation and reset tokens: long runs of base32/base64url/hex characters.
const TOKEN = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{24,}\b/g;
const LONG_NUMBER = /\d{9,}/g;

/** The text with phone numbers, email addresses and token-like strings replaced. */
export function redactText(text) {
  return String(text).replace(EMAIL, "[email]").replace(PHONE, "[phone]").replace(TOKEN, "[token]");
}

/** A request's path for the log: no query string, and no phone-like number or email in a segment. */
export function safePath(url) {
  const raw = String(url ?? "/");
  const cut = raw.search(/[?#]/);
  const path = cut === -1 ? raw : raw.slice(0, cut);
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape stays as it was; it is still redacted below.
  }
  return redactText(decoded).replace(LONG_NUMBER, "[number]");
}

/** drizzle's DrizzleQueryError writes the values after "params:"; the message keeps only the SQL. */
function withoutParams(message) {
  const at = message.search(/\n?params: /);
  return at === -1 ? message : `${message.slice(0, at)} [parameters not logged]`;
}

/**
 * An error as a log may hold it: type, message and stack without query parameters or values,
 * PostgreSQL's code and the constraint or table it names, and its cause the same way.
 */
export function serializeError(error, depth = 0) {
  if (!(error instanceof Error)) {
    return { type: typeof error, message: redactText(withoutParams(String(error))).slice(0, 2000) };
  }
  const message = redactText(withoutParams(error.message ?? ""));
  const stackFrames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  const out = {
    type: error.constructor?.name ?? error.name ?? "Error",
    message: message.slice(0, 2000),
    stack: [`${error.name}: ${message.split("\n")[0]}`, ...stackFrames].join("\n"),
  };
  // PostgreSQL's own fields that carry no values (detail, where and the parameters do: left out).
  for (const key of [
    "code",
    "severity",
    "routine",
    "constraint",
    "constraint_name",
    "table",
    "table_name",
    "column",
    "column_name",
    "schema",
    "schema_name",
  ]) {
    const value = error[key];
    if (typeof value === "string" || typeof value === "number") out[key] = value;
  }
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

function createLogger() {
  return pino({
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { service: "hocso", pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError, error: serializeError },
  });
}

/** The process's logger. Tests replace it with `setLogger` to read what would be written. */
let current = createLogger();

export function logger() {
  return current;
}

/** For tests: log to `destination` (anything with `write(line)`). Returns the previous logger. */
export function setLogger(next) {
  const previous = current;
  current = next;
  return previous;
}

export function loggerTo(destination, level = "info") {
  return pino(
    {
      level,
      base: { service: "hocso", pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError, error: serializeError },
    },
    destination,
  );
}

/** Logs an error (sanitised) with a short English message saying what was being done. */
export function logError(message, error, fields = {}) {
  current.error({ ...fields, err: error }, message);
}

// nginx sends $request_id (32 hex characters); anything else the client wrote is replaced.
const REQUEST_ID = /^[A-Za-z0-9-]{16,64}$/;

/**
 * One JSON line per finished request: id (also sent back as X-Request-Id), method, path without
 * the query, route (when `routeOf` knows it), status and duration. Headers are never logged.
 * The line is pino-http's (`req`, `res`, `durationMs`, "request"), written with one call to the
 * logger when the response finishes: no child logger per request, which cost more than the line.
 */
export function requestLogger({ routeOf } = {}) {
  return function logRequest(req, res, next) {
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader("X-Request-Id", id);
    const path = req.originalUrl ?? req.url;
    const done = (aborted) => {
      res.off("finish", finished);
      res.off("close", closed);
      const failed = aborted || res.statusCode >= 500;
      const line = {
        reqId: id,
        req: { id, method: req.method, path: safePath(path) },
        res: { status: aborted ? undefined : res.statusCode },
        ...(routeOf ? { route: routeOf(req, res) } : {}),
        durationMs: Math.round(performance.now() - started),
      };
      if (aborted) line.err = { type: "Error", message: "request aborted" };
      current[failed ? "error" : "info"](line, failed ? "request failed" : "request");
    };
    const finished = () => done(false);
    const closed = () => done(!res.writableFinished);
    res.once("finish", finished);
    res.once("close", closed);
    next();
  };
}

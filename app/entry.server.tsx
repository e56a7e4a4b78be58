import { PassThrough, Transform } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { logError } from "~/server/logging.mjs";
import { ensureStarted } from "~/startup.server";

const ABORT_DELAY = 5_000;

/**
 * React 18's streaming renderer flushes its whole 2 KB buffer even when a multi-byte character
 * (most Vietnamese letters) did not fit at its end, leaking NUL bytes into the page
 * (facebook/react#26228, fixed only in React 19). A NUL byte is never part of valid UTF-8 text
 * in HTML, so dropping every 0x00 byte restores exactly what React meant to send.
 */
function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, chunk.includes(0) ? Buffer.from(chunk.filter((byte) => byte !== 0)) : chunk);
    },
  });
}

// Open the database (and seed a first embedded run) as the server starts, not on the first visit.
ensureStarted().catch((error: unknown) => {
  logError("could not start", error);
  process.exitCode = 1;
});

/**
 * Remix's own handler would print the error whole: a failed query's message and fields carry
 * its parameter values (names, phones, password hashes). Ours logs it without them.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs): void {
  if (request.signal.aborted) return;
  logError("request failed", error, { method: request.method });
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const bot = isbot(request.headers.get("user-agent") ?? "");
  // The HTTP server (app/server/security.mjs) sets the security headers on every response and
  // names this request's nonce; without it (remix dev) there is no policy and no nonce is needed.
  const nonce = request.headers.get("x-csp-nonce") ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce ?? ""}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [bot ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body.pipe(withoutNulBytes()));
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logError("rendering failed", error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

// server.mjs calls it (as build.entry.module.closeApp) after the last request of a graceful shutdown.
export { closeApp } from "~/shutdown.server";
// server.mjs: announceSite once it listens, handleSiteBackup for POST /_site/backup (embedded PGlite).
export { announceSite, handleSiteBackup } from "~/site-backup.server";

import { Writable } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
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
function withoutNulBytes(html: Buffer): Buffer {
  return html.includes(0) ? Buffer.from(html.filter((byte) => byte !== 0)) : html;
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

/**
 * The page is rendered whole, then sent in one piece with its length. No page streams anything
 * later (no hydration, no deferred data, no Suspense), so streaming the shell first gained nothing,
 * while each of React's 2 KB chunks went through a web stream and a socket write of its own.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  // The HTTP server (app/server/security.mjs) sets the security headers on every response and
  // names this request's nonce; without it (remix dev) there is no policy and no nonce is needed.
  const nonce = request.headers.get("x-csp-nonce") ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const chunks: Buffer[] = [];
    const page = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    page.on("finish", () => {
      clearTimeout(timer);
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      const html = withoutNulBytes(Buffer.concat(chunks));
      resolve(
        new Response(new Uint8Array(html), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce ?? ""}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(page);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logError("rendering failed", error);
        },
      },
    );
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

// server.mjs calls it (as build.entry.module.closeApp) after the last request of a graceful shutdown.
export { closeApp } from "~/shutdown.server";
// server.mjs: announceSite once it listens, handleSiteBackup for POST /_site/backup (embedded PGlite).
export { announceSite, handleSiteBackup } from "~/site-backup.server";

import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { DOCUMENT_SLOT, type DocumentSlot } from "~/server/http.mjs";
import { logError } from "~/server/logging.mjs";
import { ensureStarted } from "~/startup.server";

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
 * The page is rendered whole, to a string, then sent in one piece with its length. No page streams
 * anything later (no hydration, no deferred data, no Suspense), so React's streaming renderer gained
 * nothing here, while it cost more per page than `renderToString`: each 2 KB chunk encoded to bytes and
 * written through a stream (and React 18's stream could split a Vietnamese letter at a chunk's end,
 * facebook/react#26228). An error while rendering throws here, and Remix renders the page again with
 * its error boundary, as with any entry that renders to a string.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The HTTP server (app/server/security.mjs) sets the security headers on every response and
  // names this request's nonce; without it (remix dev) there is no policy and no nonce is needed.
  const nonce = request.headers.get("x-csp-nonce") ?? undefined;
  const html = renderToString(
    <NonceProvider value={nonce ?? ""}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceProvider>,
  );
  const page = `<!DOCTYPE html>${html}`;
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.set("Content-Length", String(Buffer.byteLength(page)));
  // server.mjs hands over a slot: it writes the page to the socket as the string it is. A Fetch
  // Response would turn it into a byte stream for server.mjs to read back chunk by chunk (about 5%
  // of a signed-in page's time). Called without one (tests, remix dev), the page is the body.
  const slot = loadContext[DOCUMENT_SLOT] as DocumentSlot | undefined;
  if (slot) {
    const response = new Response(null, { headers: responseHeaders, status: responseStatusCode });
    slot.response = response;
    slot.body = page;
    return response;
  }
  return new Response(page, { headers: responseHeaders, status: responseStatusCode });
}

// server.mjs calls it (as build.entry.module.closeApp) after the last request of a graceful shutdown.
export { closeApp } from "~/shutdown.server";
// server.mjs: announceSite once it listens, handleSiteBackup for POST /_site/backup (embedded PGlite).
export { announceSite, handleSiteBackup } from "~/site-backup.server";

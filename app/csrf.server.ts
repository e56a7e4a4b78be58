/**
 * CSRF: cookies are SameSite=Lax, and every non-GET request must come from our own origin.
 * Browsers send Origin on POST; when it is missing we fall back to Referer.
 */
export function assertSameOrigin(request: Request): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const url = new URL(request.url);
  const expected = [url.origin, ...forwardedOrigins(request)];
  const origin = request.headers.get("Origin") ?? refererOrigin(request.headers.get("Referer"));
  if (!origin || !expected.includes(origin)) {
    throw new Response("Yêu cầu bị từ chối vì không đến từ trang của HọcSố. Hãy tải lại trang và thử lại.", {
      status: 403,
      statusText: "Forbidden",
    });
  }
}

function refererOrigin(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/** Behind a proxy the request URL is the internal one; the proxy tells us the public host. */
function forwardedOrigins(request: Request): string[] {
  const host = request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host");
  if (!host) return [];
  const proto = request.headers.get("X-Forwarded-Proto") ?? new URL(request.url).protocol.replace(":", "");
  return [`${proto}://${host}`];
}

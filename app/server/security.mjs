// What the HTTP server adds to every request and response before Remix sees them (server.mjs
// runs the three steps of `security()` first):
// - security headers on every response, pages and files alike (the JSON data download, CSV/XLSX
//   exports, certificate PDFs, static files): a Content-Security-Policy whose scripts are the
//   site's own files plus those carrying this request's nonce, HSTS when the site is served over
//   https, and the usual nosniff / referrer / framing / permissions headers;
// - a cap on each request body, chosen by route, checked against Content-Length BEFORE anything
//   is read: an anonymous 40 MB "password" is answered 413 without being read or hashed;
// - a 400 for addresses no route can read (a NUL byte, broken percent-encoding).
// Plain JavaScript because server.mjs runs under node directly.
import { createHash, randomFillSync } from "node:crypto";
import { sendText } from "./http.mjs";

/** Header that carries this request's CSP nonce to entry.server.tsx (always overwritten here). */
export const NONCE_HEADER = "x-csp-nonce";

const MB = 1024 * 1024;
/** A plain form; the same figure as FORM_MAX_BYTES in app/request.server.ts. */
export const FORM_MAX_BYTES = 64 * 1024;

/**
 * Body caps by route, first match wins. Uploads get their documented size plus room for the
 * form's other fields and the multipart framing: visit photos are at most 5 × 8 MB, a roster
 * file at most 5 MB (app/uploads.server.ts). Everything else is a small form.
 */
export const BODY_LIMITS = [
  { path: /^\/field\/households\/[^/]+\/?$/, maxBytes: 5 * 8 * MB + FORM_MAX_BYTES },
  { path: /^\/office\/roster\/?$/, maxBytes: 5 * MB + FORM_MAX_BYTES },
];

export function bodyLimitFor(pathname) {
  return BODY_LIMITS.find((l) => l.path.test(pathname))?.maxBytes ?? FORM_MAX_BYTES;
}

/** The refusal pages' only style; the policy allows exactly this text by its hash. */
const PAGE_STYLE =
  "body{font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.6;" +
  "max-width:40rem;margin:2rem auto;padding:0 1rem}";
const PAGE_STYLE_HASH = `'sha256-${createHash("sha256").update(PAGE_STYLE).digest("base64")}'`;

function page(title, message) {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – HọcSố</title><style>${PAGE_STYLE}</style></head>
<body>
<h1>${title}</h1><p>${message}</p><p><a href="/">Về trang chủ HọcSố</a></p></body></html>`;
}

export const TOO_LARGE_PAGE = page(
  "Dữ liệu gửi lên lớn quá",
  "Dữ liệu gửi lên lớn quá mức cho phép. Ảnh: tối đa 5 ảnh, mỗi ảnh dưới 8 MB. " +
    "Danh sách nhân khẩu: dưới 5 MB. Hãy gửi ít hơn hoặc chia nhỏ rồi gửi lại.",
);
const LENGTH_REQUIRED_PAGE = page(
  "Yêu cầu chưa đúng",
  "Trình duyệt không cho biết dữ liệu gửi lên lớn bao nhiêu. Hãy tải lại trang và gửi lại.",
);
const BAD_ADDRESS_PAGE = page(
  "Địa chỉ không đúng",
  "Địa chỉ trang có ký tự không hợp lệ. Hãy kiểm tra lại địa chỉ.",
);

// 16 random bytes per nonce, drawn from a pool filled 256 nonces at a time: one call into the
// system's random source per 256 requests instead of one per request (as crypto.randomUUID does).
// Each nonce's bytes are used once.
const NONCE_BYTES = 16;
const noncePool = Buffer.alloc(NONCE_BYTES * 256);
let noncesUsed = noncePool.length;

/** A fresh CSP nonce: 16 bytes from the system's secure random source, in base64. */
export function nextNonce() {
  if (noncesUsed >= noncePool.length) {
    randomFillSync(noncePool);
    noncesUsed = 0;
  }
  const nonce = noncePool.toString("base64", noncesUsed, noncesUsed + NONCE_BYTES);
  noncesUsed += NONCE_BYTES;
  return nonce;
}

/** The policy: own files, plus inline scripts carrying this request's nonce (Remix's hydration data). */
export function contentSecurityPolicy(nonce, { development = false } = {}) {
  const [before, after] = development ? DEVELOPMENT_POLICY : POLICY;
  return `${before}${nonce}${after}`;
}

/** The policy's text before and after the nonce, written once. */
function policyAround(development) {
  return policyWith("\0", development).split("\0");
}

function policyWith(nonce, development) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' ${PAGE_STYLE_HASH}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // Remix's live reload talks to its dev server over a WebSocket in development only.
    development ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "manifest-src 'self'",
    "worker-src 'self'",
  ].join("; ");
}

const POLICY = policyAround(false);
const DEVELOPMENT_POLICY = policyAround(true);

export const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

/**
 * The middleware list. `publicUrl` (PUBLIC_URL) served over https turns HSTS on for every
 * response; without it, HSTS is sent only on requests seen as https (directly, or
 * through the proxy trusted with TRUST_PROXY=1 and its X-Forwarded-Proto).
 */
export function security({
  publicUrl = process.env.PUBLIC_URL,
  development = process.env.NODE_ENV === "development",
} = {}) {
  const httpsSite = typeof publicUrl === "string" && publicUrl.startsWith("https://");

  function headers(req, res, next) {
    const nonce = nextNonce();
    req.headers[NONCE_HEADER] = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, { development }));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (httpsSite || req.secure)
      res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  }

  function readableAddress(req, res, next) {
    const path = req.originalUrl.split("?")[0] ?? "";
    let readable = !/%00/i.test(req.originalUrl) && !req.originalUrl.includes("\0");
    try {
      decodeURIComponent(path);
    } catch {
      readable = false;
    }
    if (readable) return next();
    sendText(res, 400, "text/html", BAD_ADDRESS_PAGE);
  }

  function bodyLimit(req, res, next) {
    const hasBody =
      req.headers["transfer-encoding"] !== undefined || req.headers["content-length"] !== undefined;
    if (!hasBody) return next();
    const length = req.headers["content-length"];
    // Browsers always say how long a form is; a body of unknown length could not be capped before reading.
    if (length === undefined) {
      sendText(res, 411, "text/html", LENGTH_REQUIRED_PAGE, { Connection: "close" });
      return;
    }
    if (Number(length) <= bodyLimitFor(req.path)) return next();
    // Answer without reading the body, and close the connection so it is never read at all.
    sendText(res, 413, "text/html", TOO_LARGE_PAGE, { Connection: "close" });
  }

  return [headers, readableAddress, bodyLimit];
}

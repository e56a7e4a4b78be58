// The few things server.mjs's middleware needs from an HTTP framework, on plain node:http: run
// connect-style middleware (`(req, res, next)`, as compression and serve-static are written) in
// order, name the request's path once, and answer a short page. Express did this before, at a
// measured cost per request larger than all of it together (see the README's speed section).

/**
 * The load-context key under which server.mjs gives entry.server.tsx a slot for the page: the
 * entry puts the Response it returns (with no body) and the page's HTML there, and the server
 * writes that HTML as it is.
 * @typedef {{ response?: Response, body?: string }} DocumentSlot
 */
export const DOCUMENT_SLOT = "hocsoDocumentSlot";

/** The path of a request target, without its query string: "/a/b?x=1" → "/a/b". */
export function pathOf(url = "/") {
  const cut = url.indexOf("?");
  return cut === -1 ? url : url.slice(0, cut);
}

/** Answers `res` with `body` of the given type and status (and any extra headers), whole. */
export function sendText(res, status, type, body, headers = {}) {
  const charset = type.startsWith("text/") ? "; charset=utf-8" : "";
  res.writeHead(status, {
    ...headers,
    "Content-Type": `${type}${charset}`,
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(res.req?.method === "HEAD" ? undefined : body);
}

const ERROR_PAGE = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Có lỗi xảy ra – HọcSố</title></head>
<body style="font-family: system-ui, sans-serif; font-size: 1.125rem; line-height: 1.6; \
max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>Có lỗi xảy ra</h1><p>Máy chủ chưa trả lời được yêu cầu này. Hãy thử lại sau ít phút.</p>
<p><a href="/">Về trang chủ HọcSố</a></p></body></html>`;

/** The answer to a request a middleware failed on: its status when it names a client error, else 500. */
export function sendError(res, error) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = Number(error?.status ?? error?.statusCode);
  sendText(res, status >= 400 && status < 500 ? status : 500, "text/html", ERROR_PAGE);
}

/**
 * A request listener that runs `middleware` in order, each calling `next()` to go on (or
 * `next(error)` to stop with an error page), and then `last(req, res)`. `onError` hears about a
 * failure before the error page is sent.
 */
export function chain(middleware, last, onError = () => {}) {
  const fail = (req, res, error) => {
    onError(error, req);
    sendError(res, error);
  };
  return function listener(req, res) {
    let index = 0;
    const next = (error) => {
      if (error) return fail(req, res, error);
      const step = middleware[index++];
      try {
        if (step) step(req, res, next);
        else {
          const done = last(req, res);
          if (done && typeof done.catch === "function") done.catch((e) => fail(req, res, e));
        }
      } catch (thrown) {
        fail(req, res, thrown);
      }
    };
    next();
  };
}

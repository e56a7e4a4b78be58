import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Link } from "~/components/link";
import type { ReactNode } from "react";

type StatusHandler = (info: { status: number; data: unknown }) => ReactNode;

/** The thrown message, when the thrown response carries one meant for people (short plain text). */
function thrownMessage(data: unknown): string | null {
  if (typeof data !== "string") return null;
  const text = data.trim();
  return text !== "" && text.length <= 300 && !text.startsWith("<") ? text : null;
}

/** The page title per status; the thrown message (or the default line) says what exactly happened. */
const pages: Record<number, { title: string; fallback: string }> = {
  400: {
    title: "Yêu cầu chưa đúng",
    fallback: "Dữ liệu gửi lên không đúng. Hãy quay lại, kiểm tra rồi thử lại.",
  },
  403: {
    title: "Bạn không có quyền vào trang này",
    fallback:
      "Trang này dành cho người có vai trò khác. Nếu bạn nghĩ đây là nhầm lẫn, " +
      "hãy hỏi tổ trưởng hoặc Phòng Văn hoá – Xã hội.",
  },
  404: {
    title: "Không tìm thấy trang",
    fallback: "Trang bạn tìm không có hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ.",
  },
  405: { title: "Yêu cầu chưa đúng", fallback: "Trang này không nhận kiểu yêu cầu đó." },
  413: { title: "Dữ liệu gửi lên lớn quá", fallback: "Hãy gửi ít hơn hoặc chia nhỏ rồi gửi lại." },
  415: { title: "Yêu cầu chưa đúng", fallback: "Biểu mẫu này không nhận kiểu dữ liệu đó." },
  429: { title: "Bạn thử quá nhiều lần", fallback: "Hãy đợi một lúc rồi thử lại." },
};

/**
 * The one error boundary. Expected failures are thrown responses (see `invariantResponse`) and
 * get a page by status that shows their Vietnamese message, e.g. "Không tìm thấy hộ"; anything
 * else says something went wrong and never shows internals.
 */
export function GeneralErrorBoundary({ statusHandlers }: { statusHandlers?: Record<number, StatusHandler> }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const handler = statusHandlers?.[error.status];
    if (handler) return <>{handler({ status: error.status, data: error.data })}</>;
    const page = pages[error.status] ?? (error.status >= 400 && error.status < 500 ? pages[400] : undefined);
    if (page) {
      const message = thrownMessage(error.data);
      // A 404's message ("Không tìm thấy hộ") is the best title; other statuses keep theirs.
      const title = error.status === 404 && message ? message.replace(/\.$/, "") : page.title;
      return (
        <ErrorPage title={title}>
          <p>{error.status === 404 || !message ? page.fallback : message}</p>
        </ErrorPage>
      );
    }
  }
  // On the server, entry.server's handleError has logged it already (without personal data).
  if (!isRouteErrorResponse(error) && typeof document !== "undefined") console.error(error);
  return (
    <ErrorPage title="Đã có lỗi xảy ra">
      <p>
        Xin lỗi, hệ thống gặp sự cố. Hãy thử tải lại trang sau ít phút. Những gì bạn đã lưu trước đó không bị
        mất.
      </p>
    </ErrorPage>
  );
}

function ErrorPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      {children}
      <p>
        <Link to="/" className="button">
          Về trang chủ
        </Link>
      </p>
    </section>
  );
}

import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";

type StatusHandler = (info: { status: number; data: unknown }) => ReactNode;

const defaultHandlers: Record<number, StatusHandler> = {
  403: () => (
    <ErrorPage title="Bạn không có quyền vào trang này">
      <p>Trang này dành cho người có vai trò khác. Nếu bạn nghĩ đây là nhầm lẫn, hãy hỏi tổ trưởng hoặc Phòng Văn hoá – Xã hội.</p>
    </ErrorPage>
  ),
  404: () => (
    <ErrorPage title="Không tìm thấy trang">
      <p>Trang bạn tìm không có hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ.</p>
    </ErrorPage>
  ),
};

/**
 * The one error boundary. Expected failures are thrown responses and get a friendly page by
 * status; anything else says something went wrong and never shows internals.
 */
export function GeneralErrorBoundary({ statusHandlers }: { statusHandlers?: Record<number, StatusHandler> }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const handler = statusHandlers?.[error.status] ?? defaultHandlers[error.status];
    if (handler) return <>{handler({ status: error.status, data: error.data })}</>;
    if (error.status === 429) {
      return (
        <ErrorPage title="Bạn thử quá nhiều lần">
          <p>{typeof error.data === "string" ? error.data : "Hãy đợi một lúc rồi thử lại."}</p>
        </ErrorPage>
      );
    }
  }
  // On the server, entry.server's handleError has logged it already (without personal data).
  if (!isRouteErrorResponse(error) && typeof document !== "undefined") console.error(error);
  return (
    <ErrorPage title="Đã có lỗi xảy ra">
      <p>Xin lỗi, hệ thống gặp sự cố. Hãy thử tải lại trang sau ít phút. Những gì bạn đã lưu trước đó không bị mất.</p>
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

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { normalizeCertificateCode } from "~/certificate-code";
import { findCertificateByCode } from "~/certificates.server";
import { getCompletionCatalog } from "~/learning-catalog.server";
import { formatDate } from "~/format";

/** Open Graph tags: a link pasted into Zalo or Messenger shows as a card naming the holder and the course. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: "Kết quả tra cứu chứng nhận – HọcSố" },
  { name: "robots", content: "noindex" },
  ...(data?.found
    ? [
        { property: "og:type", content: "website" },
        { property: "og:site_name", content: "HọcSố An Hải" },
        { property: "og:title", content: `${data.holderName} đã hoàn thành “${data.title}”` },
        {
          property: "og:description",
          content:
            `Giấy chứng nhận ${data.code} do Tổ Công nghệ số cộng đồng phường An Hải cấp qua HọcSố, ` +
            `ngày ${data.issuedOn}. Bấm để kiểm tra.`,
        },
      ]
    : []),
];

export const handle = { hydrate: false, offlineStatus: false };

export async function loader({ params }: LoaderFunctionArgs) {
  const code = normalizeCertificateCode(params.code ?? "");
  const cert = code ? await findCertificateByCode(code) : null;
  if (!cert) return { found: false as const, typed: params.code ?? "" };
  // Only what verification needs: name, course, date, status.
  return {
    found: true as const,
    code: cert.code,
    holderName: cert.holderName,
    title: (await getCompletionCatalog()).titleOf(cert.courseKey),
    issuedOn: formatDate(cert.issuedAt),
    // The reason for a revocation is the office's note about a person: not for the public page.
    revokedOn: cert.revokedAt ? formatDate(cert.revokedAt) : null,
  };
}

export default function VerifyCode() {
  const data = useLoaderData<typeof loader>();
  if (!data.found) {
    return (
      <section className="narrow" aria-labelledby="verify-title">
        <h1 id="verify-title">Không tìm thấy chứng nhận</h1>
        <div className="callout callout--warning" role="status">
          <p>
            Không có chứng nhận nào mang mã <strong>{data.typed}</strong>. Hãy kiểm tra lại từng chữ. Nếu mã
            đúng mà vẫn không thấy, giấy chứng nhận đó có thể là giả.
          </p>
        </div>
        <p>
          <Link to="/verify" className="button">
            Tra cứu mã khác
          </Link>
        </p>
      </section>
    );
  }
  const valid = data.revokedOn === null;
  return (
    <section className="narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">Kết quả tra cứu chứng nhận</h1>
      <p className={`verify-status ${valid ? "verify-status--ok" : "verify-status--bad"}`} role="status">
        {valid ? "✔ Chứng nhận hợp lệ" : "✘ Chứng nhận đã bị thu hồi"}
      </p>
      <dl className="facts">
        <dt>Người được chứng nhận</dt>
        <dd>{data.holderName}</dd>
        <dt>Đã hoàn thành</dt>
        <dd>{data.title}</dd>
        <dt>Ngày cấp</dt>
        <dd>{data.issuedOn}</dd>
        <dt>Mã chứng nhận</dt>
        <dd>{data.code}</dd>
        {!valid ? (
          <>
            <dt>Ngày thu hồi</dt>
            <dd>{data.revokedOn}</dd>
          </>
        ) : null}
      </dl>
      <p>Chứng nhận do Tổ Công nghệ số cộng đồng phường An Hải cấp qua HọcSố.</p>
    </section>
  );
}

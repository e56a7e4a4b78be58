import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { normalizeCertificateCode } from "~/certificate-code";
import { verificationQrSvg } from "~/certificate-pdf.server";
import { certificateKind, getCertificateForViewer } from "~/certificates.server";
import { siteUrl } from "~/email.server";
import { getCompletionCatalog } from "~/learning-catalog.server";
import { requireLearner } from "~/learner.server";
import { actorFor } from "~/access.server";
import { formatDate } from "~/format";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Giấy chứng nhận – HọcSố" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, learner } = await requireLearner(request);
  const code = normalizeCertificateCode(params.code ?? "");
  const cert = code
    ? await getCertificateForViewer({ code, viewer: await actorFor(user), learnerId: learner.userId })
    : null;
  if (!cert) throw new Response("Không tìm thấy", { status: 404 });
  const verifyUrl = `${siteUrl(request)}/verify/${cert.code}`;
  return {
    code: cert.code,
    holderName: cert.holderName,
    title: (await getCompletionCatalog()).titleOf(cert.courseKey),
    kind: certificateKind(cert.courseKey),
    issuedOn: formatDate(cert.issuedAt),
    revoked: cert.revokedAt !== null,
    revokedReason: cert.revokedReason,
    verifyUrl,
    qrSvg: await verificationQrSvg(verifyUrl),
  };
}

export default function CertificatePage() {
  const c = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="cert-title">
      <h1 id="cert-title">Giấy chứng nhận</h1>
      {c.revoked ? (
        <div className="form-error" role="status">
          Chứng nhận này đã bị thu hồi. Lý do: {c.revokedReason}
        </div>
      ) : null}
      <div className="certificate-card">
        <p className="certificate-card__kicker">{c.kind}</p>
        <p className="certificate-card__name">{c.holderName}</p>
        <p>đã hoàn thành</p>
        <p className="certificate-card__title">{c.title}</p>
        <p>
          Ngày cấp: {c.issuedOn} · Mã: <strong>{c.code}</strong>
        </p>
        <figure className="certificate-card__qr">
          <div
            role="img"
            aria-label={`Mã QR dẫn tới trang kiểm tra chứng nhận ${c.code}`}
            // biome-ignore lint/security/noDangerouslySetInnerHtml: an SVG the server drew (qr.server)
            dangerouslySetInnerHTML={{ __html: c.qrSvg }}
          />
          <figcaption>
            Quét mã để kiểm tra: <a href={c.verifyUrl}>{c.verifyUrl}</a>
          </figcaption>
        </figure>
      </div>
      <p className="actions no-print">
        <a href={`/certificates/${c.code}.pdf`} className="button button--primary" download>
          Tải bản PDF để in
        </a>
        <Link to="/learning" className="button">
          Về trang Việc học của tôi
        </Link>
      </p>
    </section>
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { normalizeCertificateCode } from "~/certificate-code";
import { renderCertificatePdf } from "~/certificate-pdf.server";
import { certificateKind, getCertificateForViewer } from "~/certificates.server";
import { siteUrl } from "~/email.server";
import { getCompletionCatalog } from "~/learning-catalog.server";
import { requireLearner } from "~/learner.server";
import { actorFor } from "~/access.server";

/** The printable certificate, for its holder and the office. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, learner } = await requireLearner(request);
  const code = normalizeCertificateCode(params.code ?? "");
  const cert = code
    ? await getCertificateForViewer({ code, viewer: await actorFor(user), learnerId: learner.userId })
    : null;
  if (!cert) throw new Response("Không tìm thấy", { status: 404 });
  const pdf = await renderCertificatePdf({
    code: cert.code,
    holderName: cert.holderName,
    title: (await getCompletionCatalog()).titleOf(cert.courseKey),
    subtitle: certificateKind(cert.courseKey),
    issuedAt: cert.issuedAt,
    revoked: cert.revokedAt !== null,
    verifyUrl: `${siteUrl(request)}/verify/${cert.code}`,
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="chung-nhan-${cert.code}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}

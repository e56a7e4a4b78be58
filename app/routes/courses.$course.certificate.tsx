import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { CertificateShare } from "~/components/certificate-share";
import { CourseProgress, PrimaryStep } from "~/components/learning";
import { verificationQrSvg } from "~/certificate-pdf.server";
import { certificateKind, findLearnerCertificate } from "~/certificates.server";
import { getCourseFor, resumeStepFor } from "~/courses/catalog.server";
import { siteUrl } from "~/email.server";
import { formatDate } from "~/format";
import { asViewer, requireLearner } from "~/learner.server";
import { getCompletionCatalog } from "~/learning-catalog.server";
import { getAttempt } from "~/quizzes.server";
import { publicScript } from "~/static-assets.server";
import { PROGRAMME_KEY, PROGRAMME_TITLE } from "~/vocabulary";

/** Plain HTML with one small script (sharing): it opens after a full page load from the quiz. */
export const handle = { hydrate: false, offlineStatus: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Chúc mừng! ${data?.course.title ?? ""} – HọcSố` },
];

/**
 * The certificate moment: the learner (or the member beside them, in assisted learning) has
 * finished a course. It says so, shows the certificate with its code, links the PDF and the
 * public verification page, offers to share it, shows the programme certificate once all three
 * core courses are done, and moves on to the next course.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { learner } = await requireLearner(request);
  const viewer = asViewer(learner);
  const found = await getCourseFor(viewer, params.course ?? "");
  if (!found) throw new Response("Không tìm thấy khoá học", { status: 404 });
  const cert = await findLearnerCertificate(learner.userId, found.summary.id);
  // Not finished yet: the course page says where to go on.
  if (!cert) throw redirect(`/courses/${found.summary.id}`);
  const attemptId = new URL(request.url).searchParams.get("attempt");
  const [programme, next, catalog, attempt] = await Promise.all([
    findLearnerCertificate(learner.userId, PROGRAMME_KEY),
    resumeStepFor(viewer),
    getCompletionCatalog(),
    attemptId && /^\d{1,15}$/.test(attemptId)
      ? getAttempt({ userId: learner.userId, attemptId: Number(attemptId) })
      : null,
  ]);
  const origin = siteUrl(request);
  const card = async (c: NonNullable<typeof cert>) => {
    const verifyUrl = `${origin}/verify/${c.code}`;
    return {
      code: c.code,
      holderName: c.holderName,
      title: catalog.titleOf(c.courseKey),
      kind: certificateKind(c.courseKey),
      issuedOn: formatDate(c.issuedAt),
      revoked: c.revokedAt !== null,
      verifyUrl,
      qrSvg: await verificationQrSvg(verifyUrl),
    };
  };
  return {
    course: found.summary,
    assisted: learner.assistedBy !== null,
    certificate: await card(cert),
    programme: programme ? await card(programme) : null,
    next,
    lastAttempt:
      attempt && attempt.courseId === found.summary.id
        ? { lessonId: attempt.lessonId, id: attempt.id }
        : null,
    shareScript: publicScript("share.js"),
  };
}

type Card = ReturnType<typeof useLoaderData<typeof loader>>["certificate"];

function CertificateCard({ c, headingId }: { c: Card; headingId: string }) {
  return (
    <article className="certificate-card" aria-labelledby={headingId}>
      <p className="certificate-card__kicker" id={headingId}>
        {c.kind}
      </p>
      <p className="certificate-card__name">{c.holderName}</p>
      <p>đã hoàn thành</p>
      <p className="certificate-card__title">{c.title}</p>
      <p>
        Ngày cấp: {c.issuedOn} · Mã: <strong className="certificate-card__code">{c.code}</strong>
      </p>
      {c.revoked ? <p className="form-error">Chứng nhận này đã bị thu hồi.</p> : null}
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
    </article>
  );
}

export default function CertificateMoment() {
  const { course, assisted, certificate, programme, next, lastAttempt, shareScript } =
    useLoaderData<typeof loader>();
  const who = certificate.holderName;
  const message = (c: Card) =>
    `${c.holderName} vừa hoàn thành “${c.title}” trên HọcSố An Hải ` +
    `(Tổ Công nghệ số cộng đồng phường An Hải). Mã chứng nhận ${c.code}, kiểm tra tại: ${c.verifyUrl}`;
  return (
    <section className="certificate-moment" aria-labelledby="moment-title">
      <p className="breadcrumb">
        <Link to="/courses">Khoá học</Link> › <Link to={`/courses/${course.id}`}>{course.title}</Link>
      </p>
      <CourseProgress count={course.lessonCount} done={course.completedCount} courseTitle={course.title} />
      <div className="certificate-moment__cheer" role="status">
        <p className="certificate-moment__icon" aria-hidden="true">
          🎉
        </p>
        <h1 id="moment-title">Chúc mừng {who}!</h1>
        <p className="lead">
          {assisted
            ? `${who} đã học xong cả ${course.lessonCount} bài`
            : `Bạn đã học xong cả ${course.lessonCount} bài`}{" "}
          của khoá “{course.title}”. Đây là giấy chứng nhận{assisted ? ` của ${who}` : " của bạn"}: hãy giữ
          mã, tải bản PDF để in, hoặc gửi cho con cháu xem.
        </p>
      </div>

      <CertificateCard c={certificate} headingId="cert-kind" />
      <p className="actions">
        <a href={`/certificates/${certificate.code}.pdf`} className="button" download>
          Tải bản PDF để in
        </a>
        <a href={certificate.verifyUrl} className="button">
          Trang kiểm tra chứng nhận
        </a>
      </p>

      {programme ? (
        <section className="certificate-moment__programme" aria-labelledby="programme-title">
          <h2 id="programme-title">Và cả chứng nhận chương trình!</h2>
          <p>Bạn đã hoàn thành cả ba khoá học của “{PROGRAMME_TITLE}”.</p>
          <CertificateCard c={programme} headingId="programme-kind" />
          <p className="actions">
            <a href={`/certificates/${programme.code}.pdf`} className="button" download>
              Tải chứng nhận chương trình (PDF)
            </a>
          </p>
        </section>
      ) : null}

      <h2>Học tiếp</h2>
      {next ? (
        <>
          <p>Khoá tiếp theo: {next.courseTitle}.</p>
          <PrimaryStep to={next.to} label={`Học khoá tiếp: ${next.courseTitle}`} />
        </>
      ) : (
        <>
          <p>Bạn đã học xong mọi khoá học hiện có.</p>
          <PrimaryStep to="/learning" label="Xem việc học của tôi" />
        </>
      )}

      <CertificateShare
        verifyUrl={(programme ?? certificate).verifyUrl}
        message={message(programme ?? certificate)}
        title="Giấy chứng nhận HọcSố"
        scriptSrc={shareScript}
      />

      {lastAttempt ? (
        <p>
          <Link to={`/courses/${course.id}/${lastAttempt.lessonId}/quiz/${lastAttempt.id}`}>
            Xem lại bài kiểm tra vừa làm
          </Link>
        </p>
      ) : null}
    </section>
  );
}

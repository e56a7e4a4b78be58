import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { CourseProgress, PrimaryStep } from "~/components/learning";
import { findLearnerCertificate } from "~/certificates.server";
import { getCourseFor } from "~/courses/catalog.server";
import { asViewer, optionalLearner } from "~/learner.server";
import { getUser } from "~/permissions.server";

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.course.title ?? "Khoá học"} – HọcSố` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedInUser = await getUser(request);
  const learner = await optionalLearner(request, signedInUser);
  const user = learner ? asViewer(learner) : null;
  const found = await getCourseFor(user, params.course ?? "");
  if (!found) throw new Response("Không tìm thấy khoá học", { status: 404 });
  const certificate = user ? await findLearnerCertificate(user.id, found.summary.id) : null;
  return {
    signedIn: Boolean(user),
    course: found.summary,
    lessons: found.lessons,
    certificate: certificate ? { code: certificate.code, revoked: certificate.revokedAt !== null } : null,
  };
}

export default function CoursePage() {
  const { course, lessons, signedIn, certificate } = useLoaderData<typeof loader>();
  const nextLesson = lessons.find((l) => !l.complete);
  const complete = signedIn && lessons.length > 0 && !nextLesson;
  const started = lessons.some((l) => l.complete || l.read);
  return (
    <section aria-labelledby="course-title">
      <p className="breadcrumb">
        <Link to="/courses">Khoá học</Link>
      </p>
      <h1 id="course-title">{course.title}</h1>
      <p className="lead">{course.summary}</p>
      {signedIn ? (
        <>
          <CourseProgress
            count={course.lessonCount}
            done={course.completedCount}
            courseTitle={course.title}
          />
          <p className="course-status">
            <strong>
              Đã xong {course.completedCount}/{course.lessonCount} bài.
            </strong>{" "}
            {complete ? "Bạn đã hoàn thành khoá học này." : `Còn khoảng ${course.minutesLeft} phút.`}
          </p>
        </>
      ) : (
        <p className="notice">
          Khoá học có {course.lessonCount} bài, khoảng {course.minutes} phút. Bạn đọc bài được ngay.{" "}
          <Link to={`/signup?redirectTo=/courses/${course.id}`}>Tạo tài khoản</Link> hoặc{" "}
          <Link to={`/login?redirectTo=/courses/${course.id}`}>đăng nhập</Link> để lưu tiến độ, làm bài kiểm
          tra và nhận giấy chứng nhận.
        </p>
      )}
      {complete ? (
        certificate ? (
          <div className="form-success course-complete" role="status">
            <p>
              <strong>✓ Hoàn thành.</strong>{" "}
              {certificate.revoked
                ? "Giấy chứng nhận của khoá này đã bị thu hồi."
                : "Bạn đã nhận giấy chứng nhận của khoá này."}
            </p>
            <PrimaryStep to={`/courses/${course.id}/certificate`} label="Xem giấy chứng nhận" />
          </div>
        ) : (
          <p className="form-success course-complete" role="status">
            <strong>✓ Hoàn thành.</strong>
          </p>
        )
      ) : nextLesson ? (
        <PrimaryStep
          to={`/courses/${course.id}/${nextLesson.id}`}
          label={`${started ? "Học tiếp" : "Bắt đầu học"}: ${nextLesson.title}`}
        />
      ) : null}
      <h2>Các bài học</h2>
      <ol className="lesson-list">
        {lessons.map((lesson) => (
          <li
            key={lesson.id}
            className={lesson.complete ? "lesson-list__item lesson-list__item--done" : "lesson-list__item"}
          >
            <span className="lesson-list__tick" aria-hidden="true">
              {lesson.complete ? "✓" : lesson.read || lesson.passed ? "•" : ""}
            </span>
            <span className="lesson-list__body">
              {/* A full page load: lesson pages are plain HTML with no React in the browser. */}
              <Link to={`/courses/${course.id}/${lesson.id}`} reloadDocument>
                Bài {lesson.number}. {lesson.title}
              </Link>
              {lesson.isNew ? <span className="badge badge--new"> Bài mới</span> : null}
              <span className="lesson-list__meta">
                khoảng {lesson.minutes} phút
                {lesson.membersOnly ? " · dành cho thành viên Tổ" : ""}
                {signedIn ? ` · ${lessonState(lesson)}` : ""}
              </span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function lessonState(lesson: { read: boolean; passed: boolean; complete: boolean }): string {
  if (lesson.complete) return "đã hoàn thành";
  if (lesson.read) return "đã đọc, chưa làm đạt bài kiểm tra";
  return "chưa học";
}

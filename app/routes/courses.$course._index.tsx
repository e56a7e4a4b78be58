import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCourseFor } from "~/courses/catalog.server";
import { asViewer, optionalLearner } from "~/learner.server";
import { getUser } from "~/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.course.title ?? "Khoá học"} – HọcSố` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedInUser = await getUser(request);
  const learner = await optionalLearner(request, signedInUser);
  const user = learner ? asViewer(learner) : null;
  const found = await getCourseFor(user, params.course ?? "");
  if (!found) throw new Response("Không tìm thấy khoá học", { status: 404 });
  return { signedIn: Boolean(user), course: found.summary, lessons: found.lessons };
}

export default function CoursePage() {
  const { course, lessons, signedIn } = useLoaderData<typeof loader>();
  const nextLesson = lessons.find((l) => !l.complete) ?? lessons[0];
  return (
    <section aria-labelledby="course-title">
      <p className="breadcrumb">
        <Link to="/courses">Khoá học</Link>
      </p>
      <h1 id="course-title">{course.title}</h1>
      <p className="lead">{course.summary}</p>
      {signedIn ? (
        <p className="course-status">
          <strong>
            Đã xong {course.completedCount}/{course.lessonCount} bài.
          </strong>{" "}
          {course.completedCount === course.lessonCount ? "Bạn đã học xong khoá này." : `Còn khoảng ${course.minutesLeft} phút.`}
        </p>
      ) : (
        <p className="notice">
          Khoá học có {course.lessonCount} bài, khoảng {course.minutes} phút. <Link to={`/login?redirectTo=/courses/${course.id}`}>Đăng nhập</Link> để lưu
          tiến độ và làm bài kiểm tra.
        </p>
      )}
      {nextLesson ? (
        <p>
          <Link className="button button--primary" to={`/courses/${course.id}/${nextLesson.id}`} reloadDocument>
            {course.completedCount > 0 ? "Học tiếp" : "Bắt đầu học"}: {nextLesson.title}
          </Link>
        </p>
      ) : null}
      <h2>Các bài học</h2>
      <ol className="lesson-list">
        {lessons.map((lesson) => (
          <li key={lesson.id} className={lesson.complete ? "lesson-list__item lesson-list__item--done" : "lesson-list__item"}>
            <span className="lesson-list__tick" aria-hidden="true">
              {lesson.complete ? "✓" : lesson.read || lesson.passed ? "•" : ""}
            </span>
            <span className="lesson-list__body">
              {/* A full page load: lesson pages are plain HTML with no React in the browser. */}
              <Link to={`/courses/${course.id}/${lesson.id}`} reloadDocument>
                Bài {lesson.number}. {lesson.title}
              </Link>
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
  if (lesson.passed) return "đã đạt bài kiểm tra, chưa đánh dấu đã đọc";
  if (lesson.read) return "đã đọc, chưa làm đạt bài kiểm tra";
  return "chưa học";
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { PrimaryStep } from "~/components/learning";
import { listCoursesFor, resumeStepFor } from "~/courses/catalog.server";
import { asViewer, optionalLearner } from "~/learner.server";
import { getUser } from "~/permissions.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Khoá học – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedInUser = await getUser(request);
  const learner = await optionalLearner(request, signedInUser);
  const user = learner ? asViewer(learner) : null;
  const [courses, resume] = await Promise.all([listCoursesFor(user), user ? resumeStepFor(user) : null]);
  const first = courses[0];
  // One way forward: resume at the first unfinished lesson, or start with the first course.
  const step =
    resume ?? (!user && first ? { to: `/courses/${first.id}`, label: `Bắt đầu học: ${first.title}` } : null);
  return { signedIn: Boolean(user), courses, step };
}

export default function Courses() {
  const { courses, signedIn, step } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="courses-title">
      <h1 id="courses-title">Khoá học</h1>
      <p className="lead">
        Đợt bồi dưỡng đầu tiên có ba khoá học. Mỗi bài ngắn, có các bước đánh số và một bài kiểm tra nhỏ ở
        cuối. Học xong cả ba khoá, bạn nhận giấy chứng nhận.
      </p>
      {signedIn ? null : (
        <p className="notice">
          Bạn đọc bài được ngay, không cần tài khoản. Muốn làm bài kiểm tra, lưu tiến độ và nhận giấy chứng
          nhận, hãy <Link to="/signup?redirectTo=/courses">tạo tài khoản</Link> hoặc{" "}
          <Link to="/login?redirectTo=/courses">đăng nhập</Link>.
        </p>
      )}
      {step ? <PrimaryStep to={step.to} label={step.label} /> : null}
      <ol className="course-list">
        {courses.map((course) => (
          <li key={course.id} className="course-card">
            <h2>
              <Link to={`/courses/${course.id}`}>{course.title}</Link>
            </h2>
            <p>{course.summary}</p>
            <p className="course-card__meta">
              {course.lessonCount} bài · khoảng {course.minutes} phút
              {signedIn ? (
                <>
                  {" "}
                  ·{" "}
                  <strong>
                    đã xong {course.completedCount}/{course.lessonCount} bài
                  </strong>
                  {course.completedCount < course.lessonCount
                    ? `, còn khoảng ${course.minutesLeft} phút`
                    : ""}
                </>
              ) : null}
            </p>
            {signedIn ? <ProgressBar done={course.completedCount} total={course.lessonCount} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ProgressBar({ done, total }: { done: number; total: number }) {
  return (
    <progress
      className="course-progress"
      max={total}
      value={done}
      aria-label={`Đã xong ${done} trên ${total} bài`}
    >
      {done}/{total}
    </progress>
  );
}

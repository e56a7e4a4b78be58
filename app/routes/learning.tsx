import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { PrimaryStep } from "~/components/learning";
import { formatDate } from "~/format";
import { getMyLearning } from "~/my-learning.server";
import { requirePermission } from "~/permissions.server";
import { getMyPractice } from "~/practice.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Việc học của tôi – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "learn");
  const [learning, practice] = await Promise.all([
    getMyLearning({ userId: user.id, role: user.role }),
    getMyPractice(user.id),
  ]);
  return {
    ...learning,
    assisted: learning.assisted.map((a) => ({ ...a, at: formatDate(a.at) })),
    practice: practice.map((p) => ({ ...p, lastAt: formatDate(p.lastAt) })),
  };
}

export default function MyLearningPage() {
  const { courses, programme, assisted, practice } = useLoaderData<typeof loader>();
  const next = courses.find((c) => !c.complete && c.nextLessonId);
  return (
    <section aria-labelledby="learning-title">
      <h1 id="learning-title">Việc học của tôi</h1>
      {next ? (
        <PrimaryStep
          to={`/courses/${next.courseId}/${next.nextLessonId}`}
          label={`Học tiếp: ${next.nextLessonTitle}`}
        />
      ) : null}

      {programme ? (
        <div className={programme.revoked ? "form-error" : "form-success"} role="status">
          {programme.revoked
            ? "Chứng nhận chương trình của bạn đã bị thu hồi."
            : "Bạn đã hoàn thành cả ba khoá học của chương trình! "}
          <Link to={`/certificates/${programme.code}`}>Xem chứng nhận chương trình</Link>
        </div>
      ) : null}

      <h2>Các khoá học</h2>
      <ul className="progress-list">
        {courses.map((course) => (
          <li key={course.courseId}>
            <h3>
              <Link to={`/courses/${course.courseId}`}>{course.title}</Link>
            </h3>
            <p>
              Đã xong {course.done}/{course.total} bài.{" "}
              {course.complete ? <span className="badge badge--ok">Hoàn thành</span> : null}
            </p>
            <progress max={course.total} value={course.done} aria-label={`Tiến độ khoá ${course.title}`} />
            {course.certificateCode ? (
              <p>
                <Link to={`/certificates/${course.certificateCode}`}>
                  {course.certificateRevoked ? "Chứng nhận (đã thu hồi)" : "Xem giấy chứng nhận"}
                </Link>
              </p>
            ) : course.nextLessonId ? (
              <p>
                Bài tiếp theo:{" "}
                <Link to={`/courses/${course.courseId}/${course.nextLessonId}`}>
                  {course.nextLessonTitle}
                </Link>
              </p>
            ) : null}
          </li>
        ))}
      </ul>

      <h2>Thực hành</h2>
      {practice.length === 0 ? (
        <p>Bạn chưa làm bài thực hành nào. Bài thực hành nằm cuối mỗi bài học có phần “Thực hành”.</p>
      ) : (
        <ul className="plain-list">
          {practice.map((p) => (
            <li key={p.href}>
              <a href={p.href}>{p.title}</a> <span className="badge badge--ok">Đã làm {p.times} lần</span>
              <br />
              <span className="muted">
                {p.lessonTitle} · lần gần nhất {p.lastAt},{" "}
                {p.lastWrongTaps === 0 ? "không chạm sai" : `chạm sai ${p.lastWrongTaps} lần`}
                {p.assistedBy.length > 0 ? ` · có ${p.assistedBy.join(", ")} hỗ trợ` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>Học cùng thành viên Tổ</h2>
      {assisted.length === 0 ? (
        <p>Bạn chưa học bài nào cùng thành viên Tổ Công nghệ số cộng đồng.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Các bài bạn đã học cùng thành viên Tổ</caption>
            <thead>
              <tr>
                <th scope="col">Bài học</th>
                <th scope="col">Người hỗ trợ</th>
                <th scope="col">Ngày</th>
              </tr>
            </thead>
            <tbody>
              {assisted.map((a) => (
                <tr key={`${a.courseTitle}-${a.lessonTitle}`}>
                  <td>
                    {a.lessonTitle} <span className="muted">({a.courseTitle})</span>
                  </td>
                  <td>{a.memberName}</td>
                  <td>{a.at}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

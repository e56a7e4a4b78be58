import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getLessonQuiz } from "~/courses/catalog.server";
import { asViewer, requireLearner } from "~/learner.server";
import { requirePermission } from "~/permissions.server";
import { getAttempt, getQuizStanding, reviewAttempt } from "~/quizzes.server";
import { requireId } from "~/request.server";

/** A result is something to read: no JavaScript needed. */
export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Kết quả: ${data?.lesson.title ?? ""} – HọcSố` }];

const notFound = () => new Response("Không tìm thấy kết quả này", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "learn");
  const { learner } = await requireLearner(request);
  const user = asViewer(learner);
  if (!/^\d{1,15}$/.test(params.attempt ?? "")) throw notFound();
  const found = await getLessonQuiz(user, params.course ?? "", params.lesson ?? "");
  if (!found) throw notFound();
  const attempt = await getAttempt({ userId: user.id, attemptId: requireId(params.attempt, "Không tìm thấy kết quả này") });
  if (!attempt || attempt.courseId !== found.course.id || attempt.lessonId !== found.lesson.id) throw notFound();
  const standing = await getQuizStanding({ userId: user.id, courseId: found.course.id, lessonId: found.lesson.id });
  return {
    course: { id: found.course.id, title: found.course.title },
    lesson: { id: found.lesson.id, title: found.lesson.title },
    next: found.next,
    passMark: found.quiz.passMark,
    attempt: {
      correctCount: attempt.correctCount,
      questionCount: attempt.questionCount,
      scorePercent: attempt.scorePercent,
      passed: attempt.passed,
    },
    review: reviewAttempt(found.quiz, attempt),
    bestScore: standing.bestScore,
  };
}

export default function QuizResult() {
  const { course, lesson, next, passMark, attempt, review, bestScore } = useLoaderData<typeof loader>();
  const base = `/courses/${course.id}`;
  return (
    <section className="quiz-result" aria-labelledby="result-title">
      <p className="breadcrumb">
        <Link to="/courses">Khoá học</Link> › <Link to={base}>{course.title}</Link> › <Link to={`${base}/${lesson.id}`}>{lesson.title}</Link>
      </p>
      <h1 id="result-title">Kết quả bài kiểm tra</h1>
      <div className={`result-banner ${attempt.passed ? "result-banner--pass" : "result-banner--fail"}`} role="status">
        <p className="result-banner__title">{attempt.passed ? "Chúc mừng! Bạn đã đạt." : "Bạn chưa đạt lần này."}</p>
        <p>
          Bạn trả lời đúng <strong>{attempt.correctCount}/{attempt.questionCount}</strong> câu ({attempt.scorePercent}%). Cần từ {passMark}% để đạt.
          {bestScore !== null && bestScore > attempt.scorePercent ? ` Điểm cao nhất của bạn vẫn là ${bestScore}%.` : ""}
        </p>
        {attempt.passed ? null : <p>Hãy đọc lại phần giải thích bên dưới rồi làm lại. Bạn làm lại được bao nhiêu lần cũng được.</p>}
      </div>
      <p className="actions">
        {attempt.passed && next ? (
          <Link className="button button--primary" to={`${base}/${next.id}`}>
            Học bài tiếp: {next.title}
          </Link>
        ) : null}
        {attempt.passed && !next ? (
          <Link className="button button--primary" to={base}>
            Về trang khoá học
          </Link>
        ) : null}
        <Link className={attempt.passed ? "button" : "button button--primary"} to={`${base}/${lesson.id}/quiz`}>
          Làm lại bài kiểm tra
        </Link>
        <Link className="button" to={`${base}/${lesson.id}`}>
          Đọc lại bài học
        </Link>
      </p>
      {review ? (
        <>
          <h2>Từng câu trả lời</h2>
          <ol className="review">
            {review.map((q) => (
              <li key={q.id} className={`review__item ${q.correct ? "review__item--right" : "review__item--wrong"}`}>
                <p className="review__prompt">{q.prompt}</p>
                <p className="review__verdict">
                  <span className={`badge ${q.correct ? "badge--ok" : "badge--bad"}`}>{q.correct ? "✓ Đúng" : "✗ Chưa đúng"}</span>
                </p>
                <p>
                  Bạn trả lời: <strong>{q.given.length > 0 ? q.given.join(q.type === "order" ? " → " : "; ") : "(bỏ trống)"}</strong>
                </p>
                {q.correct ? null : (
                  <p>
                    Đáp án đúng: <strong>{q.expected.join(q.type === "order" ? " → " : "; ")}</strong>
                  </p>
                )}
                <p className="review__explanation">{q.explanation}</p>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className="notice">Bài kiểm tra này đã được sửa sau lần làm bài đó, nên không hiện lại từng câu. Điểm của lần làm ấy vẫn được giữ.</p>
      )}
    </section>
  );
}

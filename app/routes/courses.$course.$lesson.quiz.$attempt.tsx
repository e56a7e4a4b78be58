import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { CourseProgress, PrimaryStep } from "~/components/learning";
import { getLessonQuiz, lessonPlaceFor } from "~/courses/catalog.server";
import { asViewer, requireLearner } from "~/learner.server";
import { getAttempt, getQuizStanding, reviewAttempt } from "~/quizzes.server";
import { requireId } from "~/request.server";

/** A result is something to read: no JavaScript needed. */
export const handle = { hydrate: false, offlineStatus: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Kết quả: ${data?.lesson.title ?? ""} – HọcSố` },
];

const notFound = () => new Response("Không tìm thấy kết quả này", { status: 404 });

/**
 * The result of one attempt. A failed attempt says which answers were wrong, each with its
 * explanation and a link to the part of the lesson that teaches it, but never which option is
 * right (reviewAttempt leaves it out of this payload); a pass shows everything.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { learner } = await requireLearner(request);
  const user = asViewer(learner);
  if (!/^\d{1,15}$/.test(params.attempt ?? "")) throw notFound();
  const found = await getLessonQuiz(user, params.course ?? "", params.lesson ?? "");
  if (!found) throw notFound();
  const attempt = await getAttempt({
    userId: user.id,
    attemptId: requireId(params.attempt, "Không tìm thấy kết quả này"),
  });
  if (!attempt || attempt.courseId !== found.course.id || attempt.lessonId !== found.lesson.id)
    throw notFound();
  const [standing, place] = await Promise.all([
    getQuizStanding({ userId: user.id, courseId: found.course.id, lessonId: found.lesson.id }),
    lessonPlaceFor(user, found.course, found.lesson.id),
  ]);
  return {
    course: { id: found.course.id, title: found.course.title },
    lesson: { id: found.lesson.id, title: found.lesson.title },
    place,
    passMark: found.quiz.passMark,
    attempt: {
      correctCount: attempt.correctCount,
      questionCount: attempt.questionCount,
      scorePercent: attempt.scorePercent,
      passed: attempt.passed,
    },
    review: reviewAttempt(found.quiz, attempt),
    bestScore: standing.bestScore,
    passedBefore: standing.passed,
  };
}

export default function QuizResult() {
  const { course, lesson, place, passMark, attempt, review, bestScore, passedBefore } =
    useLoaderData<typeof loader>();
  const base = `/courses/${course.id}`;
  const lessonTo = `${base}/${lesson.id}`;
  const wrong = review?.filter((q) => !q.correct).length ?? 0;
  return (
    <section className="quiz-result" aria-labelledby="result-title">
      <p className="breadcrumb">
        <Link to="/courses">Khoá học</Link> › <Link to={base}>{course.title}</Link> ›{" "}
        <Link to={lessonTo}>{lesson.title}</Link>
      </p>
      <CourseProgress index={place.index} count={place.count} done={place.done} courseTitle={course.title} />
      <h1 id="result-title">Kết quả bài kiểm tra</h1>
      <div
        className={`result-banner ${attempt.passed ? "result-banner--pass" : "result-banner--fail"}`}
        role="status"
      >
        <p className="result-banner__title">
          {attempt.passed ? "Chúc mừng! Bạn đã đạt." : "Bạn chưa đạt lần này."}
        </p>
        <p>
          Bạn trả lời đúng{" "}
          <strong>
            {attempt.correctCount}/{attempt.questionCount}
          </strong>{" "}
          câu ({attempt.scorePercent}%). Cần từ {passMark}% để đạt.
          {bestScore !== null && bestScore > attempt.scorePercent
            ? ` Điểm cao nhất của bạn vẫn là ${bestScore}%.`
            : ""}
        </p>
        {attempt.passed ? (
          <p>Bạn đã xong bài này{place.after?.to.endsWith("/certificate") ? " và cả khoá học" : ""}.</p>
        ) : (
          <p>
            {wrong > 0 ? `Có ${wrong} câu chưa đúng. ` : ""}Hãy đọc lại phần bài học ghi bên dưới từng câu,
            rồi làm lại. Bạn làm lại được bao nhiêu lần cũng được.
          </p>
        )}
      </div>
      {place.after && (attempt.passed || passedBefore) ? (
        <PrimaryStep {...place.after} />
      ) : (
        <PrimaryStep to={`${lessonTo}/quiz`} label="Làm lại bài kiểm tra" />
      )}
      <p className="actions">
        {place.after && (attempt.passed || passedBefore) ? (
          <Link className="button" to={`${lessonTo}/quiz`}>
            Làm lại bài kiểm tra
          </Link>
        ) : null}
        <Link className="button" to={lessonTo} reloadDocument>
          Đọc lại bài học
        </Link>
      </p>
      {review ? (
        <>
          <h2>{attempt.passed ? "Từng câu trả lời" : "Các câu cần xem lại"}</h2>
          <ol className="review">
            {review.map((q, i) => (
              <li
                key={q.id}
                className={`review__item ${q.correct ? "review__item--right" : "review__item--wrong"}`}
              >
                <p className="review__prompt">
                  <span className="question__number">Câu {i + 1}.</span> {q.prompt}
                </p>
                <p className="review__verdict">
                  <span className={`badge ${q.correct ? "badge--ok" : "badge--bad"}`}>
                    {q.correct ? "✓ Đúng" : "✗ Chưa đúng"}
                  </span>
                </p>
                {q.options ? (
                  <ul className="review__options" aria-label="Các lựa chọn, theo thứ tự bạn đã thấy">
                    {q.options.map((o) => (
                      <li
                        key={o.text}
                        className={o.correct ? "review__option review__option--correct" : "review__option"}
                      >
                        {o.text}
                        {o.chosen ? <strong> · bạn chọn</strong> : null}
                        {o.correct ? <strong> · đáp án đúng</strong> : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
                <p>
                  Bạn trả lời:{" "}
                  <strong>
                    {q.given.length > 0 ? q.given.join(q.type === "order" ? " → " : "; ") : "(bỏ trống)"}
                  </strong>
                </p>
                {!q.correct && q.expected && q.type === "order" ? (
                  <p>
                    Thứ tự đúng: <strong>{q.expected.join(" → ")}</strong>
                  </p>
                ) : null}
                {q.explanation ? <p className="review__explanation">{q.explanation}</p> : null}
                {q.section !== undefined ? (
                  <p>
                    <a href={q.section ? `${lessonTo}#${q.section}` : lessonTo}>
                      Đọc lại phần bài học về câu này
                    </a>
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className="notice">
          Bài kiểm tra này đã được sửa sau lần làm bài đó, nên không hiện lại từng câu. Điểm của lần làm ấy
          vẫn được giữ.
        </p>
      )}
    </section>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as dataWithInit, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { CourseProgress } from "~/components/learning";
import { getLessonQuiz, getQuizPageFor } from "~/courses/catalog.server";
import { assertSameOrigin } from "~/csrf.server";
import {
  positionField,
  questionField,
  SUBMISSION_KEY_PATTERN,
  type PublicQuestion,
  type PublicQuiz,
  type QuizFormValues,
} from "~/forms/quiz";
import { asViewer, requireLearner } from "~/learner.server";
import { newSubmissionKey, parseQuizForm, publicQuiz, submitQuiz } from "~/quizzes.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Bài kiểm tra: ${data?.lesson.title ?? ""} – HọcSố` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { learner } = await requireLearner(request);
  // One key per rendering of the form: submitting it twice records one attempt, and it shuffles the options.
  const submissionKey = newSubmissionKey();
  const page = await getQuizPageFor(
    asViewer(learner),
    params.course ?? "",
    params.lesson ?? "",
    submissionKey,
  );
  if (!page) throw new Response("Không tìm thấy bài kiểm tra", { status: 404 });
  return { ...page, submissionKey };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const { learner } = await requireLearner(request);
  const found = await getLessonQuiz(asViewer(learner), params.course ?? "", params.lesson ?? "");
  if (!found) throw new Response("Không tìm thấy bài kiểm tra", { status: 404 });
  const form = await readFormData(request);
  const submissionKey = String(form.get("submissionKey") ?? "");
  const parsed = parseQuizForm(found.quiz, form);
  if (!SUBMISSION_KEY_PATTERN.test(submissionKey)) {
    return dataWithInit(
      {
        errors: { form: "Biểu mẫu đã cũ. Hãy tải lại trang và làm lại." } as Record<string, string>,
        values: parsed.values,
      },
      { status: 400 },
    );
  }
  // The form comes back with what was chosen, in the same order and with the same key.
  if (!parsed.ok)
    return dataWithInit(
      {
        errors: parsed.errors,
        values: parsed.values,
        submissionKey,
        quiz: publicQuiz(found.quiz, submissionKey),
      },
      { status: 400 },
    );
  const attempt = await submitQuiz({
    userId: learner.userId,
    assistedBy: learner.assistedBy,
    courseId: found.course.id,
    lessonId: found.lesson.id,
    quiz: found.quiz,
    submissionKey,
    answers: parsed.answers,
  });
  // The pass that completes the course opens the certificate moment.
  if (attempt.issued.some((c) => c.courseKey === attempt.courseId)) {
    return redirect(`/courses/${attempt.courseId}/certificate?attempt=${attempt.attemptId}`);
  }
  return redirect(`/courses/${attempt.courseId}/${attempt.lessonId}/quiz/${attempt.attemptId}`);
}

export default function QuizPage() {
  const loaded = useLoaderData<typeof loader>();
  const { course, lesson, standing, place } = loaded;
  // data() wraps the payload; without the single-fetch type augmentation its type is the wrapper.
  const actionData = useActionData<typeof action>() as
    | { errors?: Record<string, string>; values?: QuizFormValues; submissionKey?: string; quiz?: PublicQuiz }
    | undefined;
  const quiz = actionData?.quiz ?? loaded.quiz;
  const submissionKey = actionData?.submissionKey ?? loaded.submissionKey;
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values: QuizFormValues = actionData?.values ?? {};
  const busy = useNavigation().state !== "idle";
  const missing = quiz.questions.map((q, i) => ({ q, i })).filter(({ q }) => errors[q.id]);
  return (
    <section className="quiz" aria-labelledby="quiz-title">
      <p className="breadcrumb">
        <Link to="/courses">Khoá học</Link> › <Link to={`/courses/${course.id}`}>{course.title}</Link> ›{" "}
        <Link to={`/courses/${course.id}/${lesson.id}`} reloadDocument>
          {lesson.title}
        </Link>
      </p>
      <CourseProgress index={place.index} count={place.count} done={place.done} courseTitle={course.title} />
      <h1 id="quiz-title">Bài kiểm tra: {lesson.title}</h1>
      <p>
        Có {quiz.questions.length} câu hỏi. Đúng từ {quiz.passMark}% trở lên là đạt. Bạn làm lại được bao
        nhiêu lần cũng được; lần tốt nhất được tính.
      </p>
      {standing.attempts > 0 ? (
        <p className="notice">
          Bạn đã làm {standing.attempts} lần. Điểm cao nhất: <strong>{standing.bestScore}%</strong>
          {standing.passed ? " – đã đạt." : "."}
        </p>
      ) : null}
      {/* A full page load: the result and certificate pages are plain HTML with their own small scripts. */}
      <Form method="post" className="quiz__form" noValidate reloadDocument>
        {errors.form ? (
          <div className="form-error" role="alert">
            {errors.form}
          </div>
        ) : null}
        {missing.length > 0 ? (
          <div className="form-error" role="alert">
            <p>Bạn cần trả lời hết các câu trước khi nộp bài:</p>
            <ul>
              {missing.map(({ q, i }) => (
                <li key={q.id}>
                  <a href={`#cau-${q.id}`}>Câu {i + 1}</a>: {errors[q.id]}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <input type="hidden" name="submissionKey" value={submissionKey} />
        <ol className="quiz__questions">
          {quiz.questions.map((q, i) => (
            <li key={q.id}>
              <QuestionField question={q} number={i + 1} error={errors[q.id]} values={values} />
            </li>
          ))}
        </ol>
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "Đang chấm bài…" : "Nộp bài"}
        </button>
      </Form>
    </section>
  );
}

function QuestionField({
  question: q,
  number,
  error,
  values,
}: {
  question: PublicQuestion;
  number: number;
  error?: string;
  values: QuizFormValues;
}) {
  const field = questionField(q.id);
  const errorId = error ? `loi-${q.id}` : undefined;
  const hintId = q.type === "multiple" || q.type === "order" ? `goi-y-${q.id}` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const chosen = values[field];
  const isChosen = (v: string) => (Array.isArray(chosen) ? chosen.includes(v) : chosen === v);
  return (
    <fieldset
      id={`cau-${q.id}`}
      className={`question${error ? " question--error" : ""}`}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
    >
      <legend>
        <span className="question__number">Câu {number}.</span> {q.prompt}
      </legend>
      {q.type === "multiple" ? (
        <p id={hintId} className="field__hint">
          Chọn tất cả các ý đúng.
        </p>
      ) : null}
      {q.type === "order" ? (
        <p id={hintId} className="field__hint">
          Chọn số thứ tự cho từng bước: số 1 là việc làm trước tiên.
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
      {q.type === "single" || q.type === "multiple"
        ? q.options.map((o) => (
            <label key={o.id} className="choice">
              <input
                type={q.type === "single" ? "radio" : "checkbox"}
                name={field}
                value={o.id}
                defaultChecked={isChosen(o.id)}
              />
              <span>{o.text}</span>
            </label>
          ))
        : null}
      {q.type === "truefalse"
        ? [
            { value: "true", label: "Đúng" },
            { value: "false", label: "Sai" },
          ].map((o) => (
            <label key={o.value} className="choice">
              <input type="radio" name={field} value={o.value} defaultChecked={isChosen(o.value)} />
              <span>{o.label}</span>
            </label>
          ))
        : null}
      {q.type === "order" ? (
        <ul className="order-steps">
          {q.options.map((o) => {
            const name = positionField(q.id, o.id);
            const selectId = `vi-tri-${q.id}-${o.id}`;
            return (
              <li key={o.id} className="order-step">
                <label htmlFor={selectId} className="order-step__text">
                  {o.text}
                </label>
                <select
                  id={selectId}
                  name={name}
                  defaultValue={typeof values[name] === "string" ? (values[name] as string) : ""}
                  className="order-step__select"
                >
                  <option value="">Thứ tự…</option>
                  {q.options.map((_, i) => (
                    <option key={i} value={String(i + 1)}>
                      Bước {i + 1}
                    </option>
                  ))}
                </select>
              </li>
            );
          })}
        </ul>
      ) : null}
    </fieldset>
  );
}

import type { Quiz } from "~/courses/content.server";

/** A quiz form answered correctly, as the quiz page's form posts it (the benches' quiz submissions). */
export function quizForm(quiz: Quiz): URLSearchParams {
  const form = new URLSearchParams();
  for (const q of quiz.questions) {
    if (q.type === "order") q.answer.forEach((id, i) => form.append(`q:${q.id}:${id}`, String(i + 1)));
    else if (Array.isArray(q.answer)) q.answer.forEach((id) => form.append(`q:${q.id}`, id));
    else form.append(`q:${q.id}`, String(q.answer));
  }
  return form;
}

/**
 * Quizzes: what the browser may see of a quiz, reading a submitted form, grading on the server,
 * and storing attempts. An attempt keeps the answers, the score and the hash of the quiz file
 * it answered; its submission key (one per form rendering) makes a double submit record one
 * attempt. Unlimited attempts; the best one counts.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, count, desc, eq, max, sql } from "drizzle-orm";
import { getDb } from "@db/client.server";
import { quizAttempts } from "@db/schema";
import type { Question } from "~/courses/schema.server";
import type { Quiz } from "~/courses/content.server";
import {
  positionField,
  questionField,
  type Answer,
  type Answers,
  type PublicQuestion,
  type PublicQuiz,
  type QuizFormValues,
} from "~/forms/quiz";
import { recordPassed } from "~/progress.server";

// ─── What the browser sees ──────────────────────────────────────────────────

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The options of an order question in a shuffled order that is the same on every rendering of
 * the same quiz version (so a page reload does not reshuffle) and never the right order.
 */
export function shuffledOptions(quiz: Quiz, question: Extract<Question, { type: "order" }>) {
  const shuffled = [...question.options].sort((a, b) => {
    const ka = digest(`${quiz.hash}:${question.id}:${a.id}`);
    const kb = digest(`${quiz.hash}:${question.id}:${b.id}`);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  if (shuffled.every((o, i) => o.id === question.answer[i])) shuffled.push(shuffled.shift()!);
  return shuffled.map(({ id, text }) => ({ id, text }));
}

/** Prompts and options only: no answer, no explanation. */
export function publicQuiz(quiz: Quiz): PublicQuiz {
  return {
    passMark: quiz.passMark,
    questions: quiz.questions.map((q): PublicQuestion => {
      switch (q.type) {
        case "single":
        case "multiple":
          return { id: q.id, type: q.type, prompt: q.prompt, options: q.options.map(({ id, text }) => ({ id, text })) };
        case "truefalse":
          return { id: q.id, type: q.type, prompt: q.prompt };
        case "order":
          return { id: q.id, type: q.type, prompt: q.prompt, options: shuffledOptions(quiz, q) };
      }
    }),
  };
}

/** A fresh key for one rendering of a quiz form. */
export function newSubmissionKey(): string {
  return randomBytes(18).toString("base64url");
}

// ─── Reading a submitted form ───────────────────────────────────────────────

export type ParsedSubmission =
  | { ok: true; answers: Answers; values: QuizFormValues }
  | { ok: false; errors: Record<string, string>; values: QuizFormValues };

/** Reads every question's answer; a question left unanswered gets a message tied to it. */
export function parseQuizForm(quiz: Quiz, form: FormData): ParsedSubmission {
  const answers: Answers = {};
  const errors: Record<string, string> = {};
  const values: QuizFormValues = {};
  for (const q of quiz.questions) {
    const field = questionField(q.id);
    switch (q.type) {
      case "single": {
        const value = String(form.get(field) ?? "");
        values[field] = value;
        if (q.options.some((o) => o.id === value)) answers[q.id] = value;
        else errors[q.id] = "Bạn chưa chọn câu trả lời cho câu này.";
        break;
      }
      case "multiple": {
        const chosen = form.getAll(field).map(String);
        values[field] = chosen;
        const valid = q.options.filter((o) => chosen.includes(o.id)).map((o) => o.id);
        if (valid.length > 0) answers[q.id] = valid;
        else errors[q.id] = "Bạn chưa chọn ý nào cho câu này.";
        break;
      }
      case "truefalse": {
        const value = String(form.get(field) ?? "");
        values[field] = value;
        if (value === "true" || value === "false") answers[q.id] = value === "true";
        else errors[q.id] = "Bạn chưa chọn Đúng hay Sai.";
        break;
      }
      case "order": {
        const positions = q.options.map((o) => {
          const raw = String(form.get(positionField(q.id, o.id)) ?? "");
          values[positionField(q.id, o.id)] = raw;
          return { id: o.id, position: /^\d+$/.test(raw) ? Number(raw) : NaN };
        });
        if (positions.some((p) => !(p.position >= 1 && p.position <= q.options.length))) {
          errors[q.id] = "Hãy chọn vị trí cho từng bước.";
        } else if (new Set(positions.map((p) => p.position)).size !== positions.length) {
          errors[q.id] = "Mỗi vị trí chỉ chọn cho một bước. Hãy xem lại các vị trí bị trùng.";
        } else {
          answers[q.id] = positions.sort((a, b) => a.position - b.position).map((p) => p.id);
        }
        break;
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors, values } : { ok: true, answers, values };
}

// ─── Grading ────────────────────────────────────────────────────────────────

export function isCorrect(question: Question, answer: Answer | undefined): boolean {
  if (answer === undefined) return false;
  switch (question.type) {
    case "single":
      return answer === question.answer;
    case "truefalse":
      return answer === question.answer;
    case "multiple": {
      if (!Array.isArray(answer)) return false;
      const chosen = new Set(answer);
      return chosen.size === question.answer.length && question.answer.every((id) => chosen.has(id));
    }
    case "order":
      return Array.isArray(answer) && answer.length === question.answer.length && answer.every((id, i) => id === question.answer[i]);
  }
}

export interface Grade {
  correctCount: number;
  questionCount: number;
  scorePercent: number;
  passed: boolean;
  perQuestion: { id: string; correct: boolean }[];
}

/** Whole marks per question (a multiple-choice question needs exactly the right set). */
export function gradeQuiz(quiz: Quiz, answers: Answers): Grade {
  const perQuestion = quiz.questions.map((q) => ({ id: q.id, correct: isCorrect(q, answers[q.id]) }));
  const correctCount = perQuestion.filter((p) => p.correct).length;
  const questionCount = quiz.questions.length;
  return {
    correctCount,
    questionCount,
    scorePercent: Math.round((100 * correctCount) / questionCount),
    // Compared exactly, so 4 of 5 passes an 80% mark without rounding help.
    passed: correctCount * 100 >= quiz.passMark * questionCount,
    perQuestion,
  };
}

// ─── Attempts ───────────────────────────────────────────────────────────────

export interface SubmitQuizInput {
  userId: number;
  courseId: string;
  lessonId: string;
  quiz: Quiz;
  submissionKey: string;
  answers: Answers;
  /** The member who sat beside the learner (assisted learning), if any. */
  assistedBy?: number | null;
}

export interface SubmittedAttempt {
  attemptId: number;
  courseId: string;
  lessonId: string;
  passed: boolean;
  /** false when this submission key had already been recorded (a double submit). */
  created: boolean;
}

/** Grades and stores an attempt. The same submission key twice records one attempt and returns it. */
export async function submitQuiz(input: SubmitQuizInput): Promise<SubmittedAttempt> {
  const grade = gradeQuiz(input.quiz, input.answers);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(quizAttempts)
      .values({
        userId: input.userId,
        courseId: input.courseId,
        lessonId: input.lessonId,
        quizHash: input.quiz.hash,
        submissionKey: input.submissionKey,
        answers: input.answers,
        correctCount: grade.correctCount,
        questionCount: grade.questionCount,
        scorePercent: grade.scorePercent,
        passed: grade.passed,
        assistedBy: input.assistedBy ?? null,
      })
      .onConflictDoNothing({ target: [quizAttempts.userId, quizAttempts.submissionKey] })
      .returning({ id: quizAttempts.id });
    if (!inserted) {
      const [existing] = await tx
        .select({ id: quizAttempts.id, courseId: quizAttempts.courseId, lessonId: quizAttempts.lessonId, passed: quizAttempts.passed })
        .from(quizAttempts)
        .where(and(eq(quizAttempts.userId, input.userId), eq(quizAttempts.submissionKey, input.submissionKey)));
      if (!existing) throw new Error("quiz attempt vanished after a conflicting insert");
      return { attemptId: existing.id, courseId: existing.courseId, lessonId: existing.lessonId, passed: existing.passed, created: false };
    }
    if (grade.passed) {
      await recordPassed(tx, { userId: input.userId, courseId: input.courseId, lessonId: input.lessonId, assistedBy: input.assistedBy });
    }
    return { attemptId: inserted.id, courseId: input.courseId, lessonId: input.lessonId, passed: grade.passed, created: true };
  });
}

export interface StoredAttempt {
  id: number;
  courseId: string;
  lessonId: string;
  quizHash: string;
  answers: Answers;
  correctCount: number;
  questionCount: number;
  scorePercent: number;
  passed: boolean;
  createdAt: Date;
}

/** One of the learner's own attempts (never another learner's). */
export async function getAttempt(input: { userId: number; attemptId: number }): Promise<StoredAttempt | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: quizAttempts.id,
      courseId: quizAttempts.courseId,
      lessonId: quizAttempts.lessonId,
      quizHash: quizAttempts.quizHash,
      answers: quizAttempts.answers,
      correctCount: quizAttempts.correctCount,
      questionCount: quizAttempts.questionCount,
      scorePercent: quizAttempts.scorePercent,
      passed: quizAttempts.passed,
      createdAt: quizAttempts.createdAt,
    })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.id, input.attemptId), eq(quizAttempts.userId, input.userId)));
  return row ? { ...row, answers: row.answers as Answers } : null;
}

export interface QuizStanding {
  attempts: number;
  /** The best attempt's score: the one that counts. */
  bestScore: number | null;
  passed: boolean;
  lastAttemptId: number | null;
}

export async function getQuizStanding(input: { userId: number; courseId: string; lessonId: string }): Promise<QuizStanding> {
  const db = await getDb();
  const where = and(eq(quizAttempts.userId, input.userId), eq(quizAttempts.courseId, input.courseId), eq(quizAttempts.lessonId, input.lessonId));
  const [summary] = await db
    .select({
      attempts: count(),
      bestScore: max(quizAttempts.scorePercent),
      passed: sql<boolean>`coalesce(bool_or(${quizAttempts.passed}), false)`,
    })
    .from(quizAttempts)
    .where(where);
  const [last] = await db.select({ id: quizAttempts.id }).from(quizAttempts).where(where).orderBy(desc(quizAttempts.id)).limit(1);
  return {
    attempts: summary?.attempts ?? 0,
    bestScore: summary?.bestScore ?? null,
    passed: Boolean(summary?.passed),
    lastAttemptId: last?.id ?? null,
  };
}

// ─── The result page ────────────────────────────────────────────────────────

export interface ReviewedQuestion {
  id: string;
  type: Question["type"];
  prompt: string;
  correct: boolean;
  /** The learner's answer, in words. */
  given: string[];
  /** The right answer, in words: shown only after submitting. */
  expected: string[];
  explanation: string;
}

function describe(question: Question, answer: Answer | undefined): string[] {
  if (answer === undefined) return [];
  if (question.type === "truefalse") return [answer === true ? "Đúng" : answer === false ? "Sai" : ""];
  const ids = Array.isArray(answer) ? answer : [String(answer)];
  return ids.map((id) => question.options.find((o) => o.id === id)?.text ?? id);
}

/**
 * Each question with the learner's answer, right or wrong, and its explanation. Only when the
 * attempt answered this very version of the quiz; otherwise null (the quiz was edited since).
 */
export function reviewAttempt(quiz: Quiz, attempt: Pick<StoredAttempt, "quizHash" | "answers">): ReviewedQuestion[] | null {
  if (attempt.quizHash !== quiz.hash) return null;
  return quiz.questions.map((q) => ({
    id: q.id,
    type: q.type,
    prompt: q.prompt,
    correct: isCorrect(q, attempt.answers[q.id]),
    given: describe(q, attempt.answers[q.id]),
    expected: describe(q, q.answer),
    explanation: q.explanation,
  }));
}

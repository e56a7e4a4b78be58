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
import type { IssuedCertificate } from "~/certificates.server";
import { recordPassed } from "~/progress.server";

// ─── What the browser sees ──────────────────────────────────────────────────

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

/** Option ids of each question with options, in the order one rendering of the form shows them. */
export type OptionOrder = Record<string, string[]>;

/**
 * The order in which one rendering of the quiz form shows each question's options, shuffled by
 * its submission key: every attempt gets its own order (so "the longest option" or "always b"
 * gives nothing away), a re-shown form after an error keeps it, and the attempt records it so
 * the review shows what the learner saw. An order question never starts in the right order.
 */
export function optionOrderFor(quiz: Quiz, submissionKey: string): OptionOrder {
  const order: OptionOrder = {};
  for (const q of quiz.questions) {
    if (q.type === "truefalse") continue;
    const key = (id: string) => digest(`${submissionKey}:${quiz.hash}:${q.id}:${id}`);
    const ids = q.options.map((o) => o.id).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    if (q.type === "order" && ids.every((id, i) => id === q.answer[i])) ids.push(ids.shift()!);
    order[q.id] = ids;
  }
  return order;
}

/** A question's options in the given order (ids it does not know are dropped, missing ones appended). */
function inOrder<O extends { id: string }>(options: O[], ids: string[] | undefined): O[] {
  if (!ids) return options;
  const byId = new Map(options.map((o) => [o.id, o]));
  const ordered = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  return [...ordered, ...options.filter((o) => !ids.includes(o.id))];
}

/** Prompts and options in this rendering's order only: no answer, no explanation. */
export function publicQuiz(quiz: Quiz, submissionKey: string): PublicQuiz {
  const order = optionOrderFor(quiz, submissionKey);
  return {
    passMark: quiz.passMark,
    questions: quiz.questions.map((q): PublicQuestion => {
      if (q.type === "truefalse") return { id: q.id, type: q.type, prompt: q.prompt };
      return {
        id: q.id,
        type: q.type,
        prompt: q.prompt,
        options: inOrder(q.options, order[q.id]).map(({ id, text }) => ({ id, text })),
      };
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
      return (
        Array.isArray(answer) &&
        answer.length === question.answer.length &&
        answer.every((id, i) => id === question.answer[i])
      );
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
  /** The certificates this pass earned (the course's, and the programme's), issued in its transaction. */
  issued: IssuedCertificate[];
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
        optionOrder: optionOrderFor(input.quiz, input.submissionKey),
      })
      .onConflictDoNothing({ target: [quizAttempts.userId, quizAttempts.submissionKey] })
      .returning({ id: quizAttempts.id });
    if (!inserted) {
      const [existing] = await tx
        .select({
          id: quizAttempts.id,
          courseId: quizAttempts.courseId,
          lessonId: quizAttempts.lessonId,
          passed: quizAttempts.passed,
        })
        .from(quizAttempts)
        .where(
          and(eq(quizAttempts.userId, input.userId), eq(quizAttempts.submissionKey, input.submissionKey)),
        );
      if (!existing) throw new Error("quiz attempt vanished after a conflicting insert");
      return {
        attemptId: existing.id,
        courseId: existing.courseId,
        lessonId: existing.lessonId,
        passed: existing.passed,
        created: false,
        issued: [],
      };
    }
    const issued = grade.passed
      ? await recordPassed(tx, {
          userId: input.userId,
          courseId: input.courseId,
          lessonId: input.lessonId,
          assistedBy: input.assistedBy,
        })
      : [];
    return {
      attemptId: inserted.id,
      courseId: input.courseId,
      lessonId: input.lessonId,
      passed: grade.passed,
      created: true,
      issued,
    };
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
  optionOrder: OptionOrder | null;
  createdAt: Date;
}

/** One of the learner's own attempts (never another learner's). */
export async function getAttempt(input: {
  userId: number;
  attemptId: number;
}): Promise<StoredAttempt | null> {
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
      optionOrder: quizAttempts.optionOrder,
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

export async function getQuizStanding(input: {
  userId: number;
  courseId: string;
  lessonId: string;
}): Promise<QuizStanding> {
  const db = await getDb();
  const where = and(
    eq(quizAttempts.userId, input.userId),
    eq(quizAttempts.courseId, input.courseId),
    eq(quizAttempts.lessonId, input.lessonId),
  );
  const [summary] = await db
    .select({
      attempts: count(),
      bestScore: max(quizAttempts.scorePercent),
      passed: sql<boolean>`coalesce(bool_or(${quizAttempts.passed}), false)`,
    })
    .from(quizAttempts)
    .where(where);
  const [last] = await db
    .select({ id: quizAttempts.id })
    .from(quizAttempts)
    .where(where)
    .orderBy(desc(quizAttempts.id))
    .limit(1);
  return {
    attempts: summary?.attempts ?? 0,
    bestScore: summary?.bestScore ?? null,
    passed: Boolean(summary?.passed),
    lastAttemptId: last?.id ?? null,
  };
}

// ─── The result page ────────────────────────────────────────────────────────

/** An option as the attempt showed it, in its place; `correct` only in the review of a pass. */
export interface ReviewedOption {
  text: string;
  chosen: boolean;
  correct?: boolean;
}

/**
 * One question of an attempt's review. After a pass: everything (the options in the order shown,
 * which were right, the explanation). After a failed attempt it teaches without giving the quiz
 * away: whether each answer was right, and for a wrong one the explanation and the lesson section
 * to read again, but never which option is correct (no `expected`, no `options`).
 */
export interface ReviewedQuestion {
  id: string;
  type: Question["type"];
  prompt: string;
  correct: boolean;
  /**
   * The learner's answer, in words, in the order the options were shown (an order question: their sequence).
   */
  given: string[];
  /** After a pass: every option in the order shown. */
  options?: ReviewedOption[];
  /** After a pass: the right answer in words. */
  expected?: string[];
  /** After a pass, every explanation; after a failed attempt, only a wrong answer's. */
  explanation?: string;
  /**
   * After a failed attempt, for a wrong answer: the lesson section that teaches it (its heading id),
   * or null for the lesson's start.
   */
  section?: string | null;
}

function describe(question: Question, answer: Answer | undefined, order: string[] | undefined): string[] {
  if (answer === undefined) return [];
  if (question.type === "truefalse") return [answer === true ? "Đúng" : answer === false ? "Sai" : ""];
  const ids = Array.isArray(answer) ? answer.map(String) : [String(answer)];
  const text = (id: string) => question.options.find((o) => o.id === id)?.text ?? id;
  // A sequence is the learner's own order; chosen options are listed in the order they were shown.
  if (question.type === "order") return ids.map(text);
  return inOrder(question.options, order)
    .filter((o) => ids.includes(o.id))
    .map((o) => o.text);
}

function reviewOptions(
  question: Question,
  answer: Answer | undefined,
  order: string[] | undefined,
): ReviewedOption[] {
  if (question.type === "truefalse") {
    return [true, false].map((value) => ({
      text: value ? "Đúng" : "Sai",
      chosen: answer === value,
      correct: question.answer === value,
    }));
  }
  const chosen = Array.isArray(answer) ? answer.map(String) : [String(answer)];
  const right = typeof question.answer === "string" ? [question.answer] : question.answer;
  return inOrder(question.options, order).map((o) => ({
    text: o.text,
    chosen: question.type !== "order" && chosen.includes(o.id),
    correct: question.type !== "order" && right.includes(o.id),
  }));
}

/**
 * Each question with the learner's answer and what the result page may say of it (see
 * ReviewedQuestion). Only when the attempt answered this very version of the quiz; otherwise null
 * (the quiz was edited since).
 */
export function reviewAttempt(
  quiz: Quiz,
  attempt: Pick<StoredAttempt, "quizHash" | "answers" | "passed" | "optionOrder">,
): ReviewedQuestion[] | null {
  if (attempt.quizHash !== quiz.hash) return null;
  const order = attempt.optionOrder ?? {};
  return quiz.questions.map((q): ReviewedQuestion => {
    const answer = attempt.answers[q.id];
    const correct = isCorrect(q, answer);
    const base = {
      id: q.id,
      type: q.type,
      prompt: q.prompt,
      correct,
      given: describe(q, answer, order[q.id]),
    };
    if (attempt.passed) {
      return {
        ...base,
        options: reviewOptions(q, answer, order[q.id]),
        expected: describe(q, q.answer, order[q.id]),
        explanation: q.explanation,
      };
    }
    return correct ? base : { ...base, explanation: q.explanation, section: q.teaches ?? null };
  });
}

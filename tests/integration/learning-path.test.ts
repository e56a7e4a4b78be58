import fs from "node:fs";
import path from "node:path";
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { getCatalog, findLesson, type Quiz } from "~/courses/content.server";
import type { Answers } from "~/forms/quiz";
import { getProgress, runCertificateChecks } from "~/progress.server";
import { getAttempt, newSubmissionKey, optionOrderFor, submitQuiz } from "~/quizzes.server";
import { loader as resultLoader } from "~/routes/courses.$course.$lesson.quiz.$attempt";
import { loader as quizLoader } from "~/routes/courses.$course.$lesson.quiz._index";
import { createUser } from "../support/factories";
import { cookieFor, getRequest, loaderArgs, outcome } from "../support/http";

const COURSE = "dich-vu-cong-truc-tuyen";

/** The data migration that completes passed-but-unread lessons, as drizzle applies it. */
async function runCompletionMigration() {
  const dir = path.resolve("db/migrations");
  const file = fs.readdirSync(dir).find((f) => f.endsWith("_complete-passed-lessons.sql"))!;
  const db = await getDb();
  for (const statement of fs.readFileSync(path.join(dir, file), "utf8").split("--> statement-breakpoint")) {
    if (statement.trim()) await db.execute(sql.raw(statement));
  }
}

async function residentLessons(courseId: string) {
  const course = (await getCatalog()).courses.find((c) => c.id === courseId)!;
  return course.lessons.filter((l) => l.audience === "all");
}

async function certificatesOf(userId: number, courseKey: string) {
  const db = await getDb();
  const [row] = await db
    .select({ n: count() })
    .from(s.certificates)
    .where(and(eq(s.certificates.userId, userId), eq(s.certificates.courseKey, courseKey)));
  return row!.n;
}

describe("completing lessons by passing their quiz", () => {
  it("passing a quiz completes the lesson without a separate read mark, and the last pass of a course issues its certificate", async () => {
    const user = await createUser();
    const lessons = await residentLessons(COURSE);
    let last;
    for (const lesson of lessons) {
      const quiz = lesson.quiz;
      last = await submitQuiz({
        userId: user.id,
        courseId: COURSE,
        lessonId: lesson.id,
        quiz,
        submissionKey: newSubmissionKey(),
        answers: rightAnswers(quiz),
      });
    }
    expect(last!.issued.map((c) => c.courseKey)).toEqual([COURSE]);
    const progress = await getProgress(user.id, [COURSE]);
    for (const lesson of lessons) expect(progress.get(`${COURSE}/${lesson.id}`)?.readAt).toBeInstanceOf(Date);
    expect(await certificatesOf(user.id, COURSE)).toBe(1);
  }, 180_000);

  it("passing again keeps the first pass and the helper's record, and a new helper is recorded", async () => {
    const resident = await createUser();
    const [firstHelper, secondHelper] = [
      await createUser({ role: "member" }),
      await createUser({ role: "member" }),
    ];
    const lesson = (await residentLessons(COURSE))[0]!;
    const pass = (assistedBy: number | null) =>
      submitQuiz({
        userId: resident.id,
        assistedBy,
        courseId: COURSE,
        lessonId: lesson.id,
        quiz: lesson.quiz,
        submissionKey: newSubmissionKey(),
        answers: rightAnswers(lesson.quiz),
      });
    const db = await getDb();
    const row = async () =>
      (
        await db
          .select()
          .from(s.lessonProgress)
          .where(and(eq(s.lessonProgress.userId, resident.id), eq(s.lessonProgress.lessonId, lesson.id)))
      )[0]!;
    await pass(firstHelper!.id);
    const first = await row();
    // The resident takes it again alone, twice at once: nothing about the first pass changes.
    await Promise.all([pass(null), pass(null)]);
    expect(await row()).toEqual(first);
    await pass(secondHelper!.id);
    const helped = await row();
    expect(helped).toMatchObject({
      readAt: first.readAt,
      passedAt: first.passedAt,
      assistedBy: secondHelper!.id,
    });
    expect(helped.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
  });

  it("the migration completes passed-but-unread lessons and issues each certificate thereby earned, once", async () => {
    const db = await getDb();
    const lessons = await residentLessons(COURSE);
    const passedAt = new Date("2026-10-01T02:00:00Z");
    // Before this change: every quiz passed, "Đánh dấu đã đọc" never pressed.
    const finished = await createUser();
    const halfway = await createUser();
    await db.insert(s.lessonProgress).values(
      lessons.map((l) => ({
        userId: finished.id,
        courseId: COURSE,
        lessonId: l.id,
        passedAt,
        readAt: null,
      })),
    );
    await db
      .insert(s.lessonProgress)
      .values(
        lessons
          .slice(0, 2)
          .map((l) => ({ userId: halfway.id, courseId: COURSE, lessonId: l.id, passedAt, readAt: null })),
      );

    await runCompletionMigration();
    const issued = await runCertificateChecks();
    expect(issued.filter((c) => c.courseKey === COURSE)).toHaveLength(1);
    expect(await certificatesOf(finished.id, COURSE)).toBe(1);
    expect(await certificatesOf(halfway.id, COURSE)).toBe(0);
    const progress = await getProgress(finished.id, [COURSE]);
    for (const lesson of lessons)
      expect(progress.get(`${COURSE}/${lesson.id}`)!.readAt!.getTime()).toBe(passedAt.getTime());
    // The mail went out once, through the certificates module.
    const [mail] = await db
      .select({ n: count() })
      .from(s.mailOutbox)
      .where(and(eq(s.mailOutbox.toAddress, finished.email!), eq(s.mailOutbox.kind, "certificate")));
    expect(mail!.n).toBe(1);

    // Running it all again (a second instance starting, a re-applied migration) issues nothing more.
    await runCompletionMigration();
    expect(await runCertificateChecks()).toEqual([]);
    expect(await certificatesOf(finished.id, COURSE)).toBe(1);
    const [queued] = await db.select({ n: count() }).from(s.certificateChecks);
    expect(queued!.n).toBe(0);
  });
});

function rightAnswers(quiz: Quiz): Answers {
  return Object.fromEntries(quiz.questions.map((q) => [q.id, q.answer]));
}

/**
 * Every question wrong, choosing only wrong options: the other true/false, a wrong option, a reversed order.
 */
function wrongAnswers(quiz: Quiz): Answers {
  return Object.fromEntries(
    quiz.questions.map((q) => {
      switch (q.type) {
        case "truefalse":
          return [q.id, !q.answer];
        case "single":
          return [q.id, q.options.find((o) => o.id !== q.answer)!.id];
        case "multiple":
          return [
            q.id,
            q.options
              .filter((o) => !q.answer.includes(o.id))
              .map((o) => o.id)
              .slice(0, 1),
          ];
        case "order":
          return [q.id, [...q.answer].reverse()];
      }
    }),
  );
}

describe("a quiz that teaches without giving itself away", () => {
  const LESSON = "nop-va-theo-doi-ho-so";

  async function quizOf(): Promise<Quiz> {
    return findLesson(await getCatalog(), COURSE, LESSON)!.lesson.quiz;
  }

  it("a failed attempt's result says which answers were wrong, with explanations and a way back to the lesson, and no correct option", async () => {
    const user = await createUser();
    const quiz = await quizOf();
    const { attemptId, passed } = await submitQuiz({
      userId: user.id,
      courseId: COURSE,
      lessonId: LESSON,
      quiz,
      submissionKey: newSubmissionKey(),
      answers: wrongAnswers(quiz),
    });
    expect(passed).toBe(false);
    const cookie = await cookieFor(user);
    const page = await outcome(() =>
      resultLoader(
        loaderArgs(getRequest(`/courses/${COURSE}/${LESSON}/quiz/${attemptId}`, cookie), {
          course: COURSE,
          lesson: LESSON,
          attempt: String(attemptId),
        }),
      ),
    );
    expect(page.kind).toBe("page");
    const data = (
      page as { data: { review: { correct: boolean; explanation?: string; section?: string | null }[] } }
    ).data;
    expect(data.review.every((q) => !q.correct && q.explanation && q.section !== undefined)).toBe(true);
    const json = JSON.stringify(data);
    expect(json).not.toMatch(/"expected"|"options"|"answer"|"correct":true/);
    // No correct option's words (prompts and explanations aside, which the learner is meant to read).
    let shown = json;
    for (const q of quiz.questions)
      shown = shown
        .split(JSON.stringify(q.explanation).slice(1, -1))
        .join("")
        .split(JSON.stringify(q.prompt).slice(1, -1))
        .join("");
    for (const q of quiz.questions) {
      if (q.type !== "single" && q.type !== "multiple") continue;
      const right = typeof q.answer === "string" ? [q.answer] : q.answer;
      for (const id of right)
        expect(shown, `${q.id} gives away “${id}”`).not.toContain(
          JSON.stringify(q.options.find((o) => o.id === id)!.text).slice(1, -1),
        );
    }
  });

  it("shuffles options per attempt, records the order on the attempt, and the review shows that order", async () => {
    const user = await createUser();
    const quiz = await quizOf();
    const cookie = await cookieFor(user);
    const shownOrders: string[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await outcome(() =>
        quizLoader(
          loaderArgs(getRequest(`/courses/${COURSE}/${LESSON}/quiz`, cookie), {
            course: COURSE,
            lesson: LESSON,
          }),
        ),
      );
      const data = (
        page as {
          data: {
            submissionKey: string;
            quiz: { questions: { id: string; options?: { id: string }[] }[] };
          };
        }
      ).data;
      const order = Object.fromEntries(
        data.quiz.questions.filter((q) => q.options).map((q) => [q.id, q.options!.map((o) => o.id)]),
      );
      expect(order).toEqual(optionOrderFor(quiz, data.submissionKey));
      shownOrders.push(JSON.stringify(order));
      const { attemptId } = await submitQuiz({
        userId: user.id,
        courseId: COURSE,
        lessonId: LESSON,
        quiz,
        submissionKey: data.submissionKey,
        answers: rightAnswers(quiz),
      });
      const stored = await getAttempt({ userId: user.id, attemptId });
      expect(stored!.optionOrder).toEqual(order);
      const result = await outcome(() =>
        resultLoader(
          loaderArgs(getRequest(`/courses/${COURSE}/${LESSON}/quiz/${attemptId}`, cookie), {
            course: COURSE,
            lesson: LESSON,
            attempt: String(attemptId),
          }),
        ),
      );
      const review = (result as { data: { review: { id: string; options?: { text: string }[] }[] } }).data
        .review;
      for (const q of quiz.questions) {
        if (q.type === "truefalse") continue;
        const seen = review.find((r) => r.id === q.id)!.options!.map((o) => o.text);
        expect(seen).toEqual(order[q.id]!.map((id) => q.options.find((o) => o.id === id)!.text));
      }
    }
    expect(shownOrders[0]).not.toEqual(shownOrders[1]);
  });
});

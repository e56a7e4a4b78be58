import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { getCourseFor, getLessonFor, getQuizPageFor, listCoursesFor } from "~/courses/catalog.server";
import { findLesson, getCatalog, type Quiz } from "~/courses/content.server";
import type { Answers } from "~/forms/quiz";
import { getProgress, recordRead } from "~/progress.server";
import { getAttempt, getQuizStanding, newSubmissionKey, submitQuiz } from "~/quizzes.server";
import { addMember, createGroup, createUser, createWard } from "../support/factories";

const COURSE = "nen-tang-so";
const LESSON = "cai-dat-va-kich-hoat-vneid";

async function lessonQuiz(): Promise<Quiz> {
  const found = findLesson(await getCatalog(), COURSE, LESSON);
  if (!found) throw new Error("the VNeID lesson is missing from the content");
  return found.lesson.quiz;
}

function rightAnswers(quiz: Quiz): Answers {
  return Object.fromEntries(quiz.questions.map((q) => [q.id, q.answer]));
}

/** Every question wrong: the other true/false value, a wrong option, a reversed order. */
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
              .slice(0, 1)
              .concat(q.answer.length > 1 ? [] : [q.answer[0]!]),
          ];
        case "order":
          return [q.id, [...q.answer].reverse()];
      }
    }),
  );
}

async function attemptsOf(userId: number): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(s.quizAttempts).where(eq(s.quizAttempts.userId, userId));
  return row!.n;
}

describe("quiz attempts", () => {
  it("a double submit (same submission key twice) records one attempt and returns it both times", async () => {
    const user = await createUser();
    const quiz = await lessonQuiz();
    const submissionKey = newSubmissionKey();
    const input = {
      userId: user.id,
      courseId: COURSE,
      lessonId: LESSON,
      quiz,
      submissionKey,
      answers: rightAnswers(quiz),
    };
    const first = await submitQuiz(input);
    const second = await submitQuiz(input);
    expect(first).toMatchObject({ created: true, passed: true });
    expect(second).toMatchObject({ created: false, attemptId: first.attemptId, passed: true });
    expect(await attemptsOf(user.id)).toBe(1);
  });

  it("two submits of the same form at the same moment still record one attempt", async () => {
    const user = await createUser();
    const quiz = await lessonQuiz();
    const input = {
      userId: user.id,
      courseId: COURSE,
      lessonId: LESSON,
      quiz,
      submissionKey: newSubmissionKey(),
      answers: rightAnswers(quiz),
    };
    const results = await Promise.all([submitQuiz(input), submitQuiz(input), submitQuiz(input)]);
    expect(new Set(results.map((r) => r.attemptId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await attemptsOf(user.id)).toBe(1);
  });

  it("stores the answers, the score and the version of the quiz answered", async () => {
    const user = await createUser();
    const quiz = await lessonQuiz();
    const answers = wrongAnswers(quiz);
    const { attemptId } = await submitQuiz({
      userId: user.id,
      courseId: COURSE,
      lessonId: LESSON,
      quiz,
      submissionKey: newSubmissionKey(),
      answers,
    });
    const stored = await getAttempt({ userId: user.id, attemptId });
    expect(stored).toMatchObject({
      quizHash: quiz.hash,
      answers,
      correctCount: 0,
      questionCount: quiz.questions.length,
      scorePercent: 0,
      passed: false,
    });
    expect(quiz.hash).toMatch(/^[0-9a-f]{64}$/);
    // Nobody else can open it.
    const other = await createUser();
    expect(await getAttempt({ userId: other.id, attemptId })).toBeNull();
  });

  it("allows unlimited attempts and the best one counts; the first pass is kept", async () => {
    const user = await createUser();
    const quiz = await lessonQuiz();
    const base = { userId: user.id, courseId: COURSE, lessonId: LESSON, quiz };
    await submitQuiz({ ...base, submissionKey: newSubmissionKey(), answers: wrongAnswers(quiz) });
    expect(await getQuizStanding({ userId: user.id, courseId: COURSE, lessonId: LESSON })).toMatchObject({
      attempts: 1,
      bestScore: 0,
      passed: false,
    });
    let progress = await getProgress(user.id, [COURSE]);
    expect(progress.get(`${COURSE}/${LESSON}`)?.passedAt ?? null).toBeNull();

    await submitQuiz({ ...base, submissionKey: newSubmissionKey(), answers: rightAnswers(quiz) });
    progress = await getProgress(user.id, [COURSE]);
    const firstPass = progress.get(`${COURSE}/${LESSON}`)!.passedAt!;
    expect(firstPass).toBeInstanceOf(Date);

    await submitQuiz({ ...base, submissionKey: newSubmissionKey(), answers: wrongAnswers(quiz) });
    await submitQuiz({ ...base, submissionKey: newSubmissionKey(), answers: rightAnswers(quiz) });
    expect(await getQuizStanding({ userId: user.id, courseId: COURSE, lessonId: LESSON })).toMatchObject({
      attempts: 4,
      bestScore: 100,
      passed: true,
    });
    progress = await getProgress(user.id, [COURSE]);
    expect(progress.get(`${COURSE}/${LESSON}`)!.passedAt!.getTime()).toBe(firstPass.getTime());
  });

  it("records the member who helped, when there was one", async () => {
    const ward = await createWard();
    const { team } = await createGroup(ward.id);
    const member = await createUser();
    await addMember(team.id, member.id);
    const resident = await createUser();
    const quiz = await lessonQuiz();
    const { attemptId } = await submitQuiz({
      userId: resident.id,
      courseId: COURSE,
      lessonId: LESSON,
      quiz,
      submissionKey: newSubmissionKey(),
      answers: rightAnswers(quiz),
      assistedBy: member.id,
    });
    await recordRead({ userId: resident.id, courseId: COURSE, lessonId: LESSON, assistedBy: member.id });
    const db = await getDb();
    const [attempt] = await db
      .select({ assistedBy: s.quizAttempts.assistedBy })
      .from(s.quizAttempts)
      .where(eq(s.quizAttempts.id, attemptId));
    const [progress] = await db
      .select({ assistedBy: s.lessonProgress.assistedBy })
      .from(s.lessonProgress)
      .where(and(eq(s.lessonProgress.userId, resident.id), eq(s.lessonProgress.lessonId, LESSON)));
    expect(attempt!.assistedBy).toBe(member.id);
    expect(progress!.assistedBy).toBe(member.id);
  });
});

describe("lesson progress", () => {
  it("reading a lesson twice keeps the first time, and the course page shows it done once its quiz is passed", async () => {
    const user = await createUser();
    await recordRead({ userId: user.id, courseId: COURSE, lessonId: LESSON });
    const first = (await getProgress(user.id, [COURSE])).get(`${COURSE}/${LESSON}`)!.readAt!;
    await recordRead({ userId: user.id, courseId: COURSE, lessonId: LESSON });
    expect((await getProgress(user.id, [COURSE])).get(`${COURSE}/${LESSON}`)!.readAt!.getTime()).toBe(
      first.getTime(),
    );

    let course = await getCourseFor({ id: user.id, role: "resident" }, COURSE);
    expect(course!.lessons.find((l) => l.id === LESSON)).toMatchObject({
      read: true,
      passed: false,
      complete: false,
    });
    const quiz = await lessonQuiz();
    await submitQuiz({
      userId: user.id,
      courseId: COURSE,
      lessonId: LESSON,
      quiz,
      submissionKey: newSubmissionKey(),
      answers: rightAnswers(quiz),
    });
    course = await getCourseFor({ id: user.id, role: "resident" }, COURSE);
    const lesson = course!.lessons.find((l) => l.id === LESSON)!;
    expect(lesson).toMatchObject({ read: true, passed: true, complete: true });
    expect(course!.summary.completedCount).toBe(1);
    expect(course!.summary.minutesLeft).toBe(course!.summary.minutes - lesson.minutes);
  });
});

describe("who sees which lessons", () => {
  it("members-only lessons are listed for members and staff, not for residents or visitors", async () => {
    const resident = await createUser();
    const member = await createUser({ role: "member" });
    const office = await createUser({ role: "office" });
    const ids = async (viewer: { id: number; role: s.Role } | null) =>
      (await getCourseFor(viewer, COURSE))!.lessons.map((l) => l.id);
    expect(await ids(null)).not.toContain("huong-dan-nguoi-dan");
    expect(await ids({ id: resident.id, role: "resident" })).not.toContain("huong-dan-nguoi-dan");
    expect(await ids({ id: member.id, role: "member" })).toContain("huong-dan-nguoi-dan");
    expect(await ids({ id: office.id, role: "office" })).toContain("huong-dan-nguoi-dan");

    expect((await getLessonFor(null, COURSE, "huong-dan-nguoi-dan")).status).toBe("sign-in");
    expect(
      (await getLessonFor({ id: resident.id, role: "resident" }, COURSE, "huong-dan-nguoi-dan")).status,
    ).toBe("not-found");
    expect(
      (await getLessonFor({ id: member.id, role: "member" }, COURSE, "huong-dan-nguoi-dan")).status,
    ).toBe("ok");
    expect(
      await getQuizPageFor(
        { id: resident.id, role: "resident" },
        COURSE,
        "huong-dan-nguoi-dan",
        newSubmissionKey(),
      ),
    ).toBeNull();
    // A visitor's catalogue counts only the lessons meant for everyone.
    const visitor = (await listCoursesFor(null)).find((c) => c.id === COURSE)!;
    const staff = (await listCoursesFor({ id: office.id, role: "office" })).find((c) => c.id === COURSE)!;
    expect(staff.lessonCount).toBe(visitor.lessonCount + 1);
  });

  it("a lesson renders from its compiled code, and the quiz page payload has no answers", async () => {
    const user = await createUser();
    const lesson = await getLessonFor({ id: user.id, role: "resident" }, COURSE, LESSON);
    expect(lesson.status).toBe("ok");
    if (lesson.status === "ok") expect(lesson.value.code).toContain("return Component");
    const page = await getQuizPageFor({ id: user.id, role: "resident" }, COURSE, LESSON, newSubmissionKey());
    const json = JSON.stringify(page);
    const quiz = await lessonQuiz();
    for (const q of quiz.questions) expect(json).not.toContain(q.explanation);
    expect(json).not.toMatch(/"answer"|"explanation"/);
  });
});

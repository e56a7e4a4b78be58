/**
 * Learning progress: when a learner read each lesson and first passed its quiz (lesson_progress).
 * Every change goes through a transaction that ends with afterLessonProgress, the hook other
 * domains (certificates) hang their work on.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, preparedQuery, type DbOrTx } from "@db/client.server";
import { certificateChecks, lessonProgress } from "@db/schema";
import { issueEarnedCertificates, type IssuedCertificate } from "~/certificates.server";
import { isLessonComplete as isComplete } from "~/completion";
import { getCompletionCatalog } from "~/learning-catalog.server";

export interface LessonProgress {
  readAt: Date | null;
  passedAt: Date | null;
}

/**
 * Called inside the transaction of every progress change (a lesson read, a quiz passed), with
 * the learner whose progress changed: issues each certificate the learner has now earned, once
 * (the database's unique index sees to "once" under any concurrency).
 */
export async function afterLessonProgress(tx: DbOrTx, userId: number): Promise<IssuedCertificate[]> {
  return issueEarnedCertificates(tx, userId, await getCompletionCatalog());
}

/**
 * Issues the certificates of the learners a data migration queued in certificate_checks (it
 * completed lessons they had passed without marking them read), through the same
 * issueEarnedCertificates a request uses, deleting each row in the transaction that issued.
 * Run at every start; with nothing queued it costs one query. Several instances may run it at
 * once: rows are claimed with SKIP LOCKED, and the certificates' unique index keeps "once".
 */
export async function runCertificateChecks(batch = 200): Promise<IssuedCertificate[]> {
  const db = await getDb();
  const catalog = await getCompletionCatalog();
  const issued: IssuedCertificate[] = [];
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ userId: certificateChecks.userId })
        .from(certificateChecks)
        .orderBy(certificateChecks.userId)
        .limit(batch)
        .for("update", { skipLocked: true });
      for (const row of rows) issued.push(...(await issueEarnedCertificates(tx, row.userId, catalog)));
      if (rows.length > 0)
        await tx.delete(certificateChecks).where(
          inArray(
            certificateChecks.userId,
            rows.map((r) => r.userId),
          ),
        );
      return rows.length;
    });
    if (claimed < batch) return issued;
  }
}

interface LessonRef {
  userId: number;
  courseId: string;
  lessonId: string;
  /** The member who sat beside the learner (assisted learning), if any. */
  assistedBy?: number | null;
}

/** Marks a lesson as read. Reading again keeps the first time. Returns the certificates it earned. */
export async function recordRead(ref: LessonRef): Promise<IssuedCertificate[]> {
  const db = await getDb();
  return db.transaction((tx) => recordFirst(tx, ref, ["readAt"]));
}

/**
 * Records the first pass of a lesson's quiz, in the caller's transaction (the attempt's). A pass
 * includes having read the lesson, so it is marked read too. Returns the certificates it earned.
 */
export async function recordPassed(tx: DbOrTx, ref: LessonRef): Promise<IssuedCertificate[]> {
  return recordFirst(tx, ref, ["readAt", "passedAt"]);
}

/** Sets readAt and/or passedAt unless already set (the first time counts), then runs the hook. */
async function recordFirst(
  tx: DbOrTx,
  ref: LessonRef,
  fields: ("readAt" | "passedAt")[],
): Promise<IssuedCertificate[]> {
  const lesson = and(
    eq(lessonProgress.userId, ref.userId),
    eq(lessonProgress.courseId, ref.courseId),
    eq(lessonProgress.lessonId, ref.lessonId),
  );
  // Already recorded (a passed quiz taken again, "read" pressed twice) and no new helper: the write
  // would change nothing but hold the row's lock until commit, making a learner's submissions wait
  // for each other. The hook still runs: what it issues depends on more than this row.
  const [current] = await tx
    .select({
      readAt: lessonProgress.readAt,
      passedAt: lessonProgress.passedAt,
      assistedBy: lessonProgress.assistedBy,
    })
    .from(lessonProgress)
    .where(lesson);
  const unchanged =
    current !== undefined &&
    fields.every((field) => current[field] !== null) &&
    (ref.assistedBy == null || ref.assistedBy === current.assistedBy);
  if (unchanged) return afterLessonProgress(tx, ref.userId);
  const now = new Date();
  const columns = { readAt: "read_at", passedAt: "passed_at" } as const;
  const set: Record<string, unknown> = {
    assistedBy: sql`coalesce(excluded.assisted_by, ${lessonProgress.assistedBy})`,
    updatedAt: now,
  };
  for (const field of fields)
    set[field] = sql`coalesce(${lessonProgress[field]}, excluded.${sql.raw(columns[field])})`;
  await tx
    .insert(lessonProgress)
    .values({
      userId: ref.userId,
      courseId: ref.courseId,
      lessonId: ref.lessonId,
      ...Object.fromEntries(fields.map((f) => [f, now])),
      assistedBy: ref.assistedBy ?? null,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.courseId, lessonProgress.lessonId],
      set,
    });
  return afterLessonProgress(tx, ref.userId);
}

const progressColumns = {
  courseId: lessonProgress.courseId,
  lessonId: lessonProgress.lessonId,
  readAt: lessonProgress.readAt,
  passedAt: lessonProgress.passedAt,
};

/** One course's progress: what every lesson and course page asks. */
const progressInCourse = preparedQuery((db) =>
  db
    .select(progressColumns)
    .from(lessonProgress)
    .where(
      and(
        eq(lessonProgress.userId, sql.placeholder("userId")),
        eq(lessonProgress.courseId, sql.placeholder("courseId")),
      ),
    )
    .prepare("progress_in_course"),
);

/** A learner's progress in the given courses, keyed "course/lesson". */
export async function getProgress(userId: number, courseIds: string[]): Promise<Map<string, LessonProgress>> {
  const result = new Map<string, LessonProgress>();
  if (courseIds.length === 0) return result;
  const db = await getDb();
  const rows =
    courseIds.length === 1
      ? await progressInCourse(db).execute({ userId, courseId: courseIds[0] })
      : await db
          .select(progressColumns)
          .from(lessonProgress)
          .where(and(eq(lessonProgress.userId, userId), inArray(lessonProgress.courseId, courseIds)));
  for (const row of rows)
    result.set(`${row.courseId}/${row.lessonId}`, { readAt: row.readAt, passedAt: row.passedAt });
  return result;
}

/** Complete = its quiz passed, or read where it has no quiz (the rule of ~/completion). */
export function isLessonComplete(progress: LessonProgress | undefined, hasQuiz = true): boolean {
  return isComplete({ hasQuiz }, progress);
}

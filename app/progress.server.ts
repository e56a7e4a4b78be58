/**
 * Learning progress: when a learner read each lesson and first passed its quiz (lesson_progress).
 * Every change goes through a transaction that ends with afterLessonProgress, the hook other
 * domains (certificates) hang their work on.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@db/client.server";
import { lessonProgress } from "@db/schema";
import { issueEarnedCertificates } from "~/certificates.server";
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
export async function afterLessonProgress(tx: DbOrTx, userId: number): Promise<void> {
  await issueEarnedCertificates(tx, userId, await getCompletionCatalog());
}

interface LessonRef {
  userId: number;
  courseId: string;
  lessonId: string;
  /** The member who sat beside the learner (assisted learning), if any. */
  assistedBy?: number | null;
}

/** Marks a lesson as read. Reading again keeps the first time. */
export async function recordRead(ref: LessonRef): Promise<void> {
  const db = await getDb();
  await db.transaction((tx) => recordFirst(tx, ref, "readAt"));
}

/** Records the first pass of a lesson's quiz, in the caller's transaction (the attempt's). */
export async function recordPassed(tx: DbOrTx, ref: LessonRef): Promise<void> {
  await recordFirst(tx, ref, "passedAt");
}

/** Sets readAt or passedAt unless already set (the first time counts), then runs the hook. */
async function recordFirst(tx: DbOrTx, ref: LessonRef, field: "readAt" | "passedAt"): Promise<void> {
  const now = new Date();
  const column = field === "readAt" ? lessonProgress.readAt : lessonProgress.passedAt;
  await tx
    .insert(lessonProgress)
    .values({ userId: ref.userId, courseId: ref.courseId, lessonId: ref.lessonId, [field]: now, assistedBy: ref.assistedBy ?? null, updatedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.courseId, lessonProgress.lessonId],
      set: {
        [field]: sql`coalesce(${column}, excluded.${sql.raw(field === "readAt" ? "read_at" : "passed_at")})`,
        assistedBy: sql`coalesce(excluded.assisted_by, ${lessonProgress.assistedBy})`,
        updatedAt: now,
      },
    });
  await afterLessonProgress(tx, ref.userId);
}

/** A learner's progress in the given courses, keyed "course/lesson". */
export async function getProgress(userId: number, courseIds: string[]): Promise<Map<string, LessonProgress>> {
  const result = new Map<string, LessonProgress>();
  if (courseIds.length === 0) return result;
  const db = await getDb();
  const rows = await db
    .select({ courseId: lessonProgress.courseId, lessonId: lessonProgress.lessonId, readAt: lessonProgress.readAt, passedAt: lessonProgress.passedAt })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, userId), inArray(lessonProgress.courseId, courseIds)));
  for (const row of rows) result.set(`${row.courseId}/${row.lessonId}`, { readAt: row.readAt, passedAt: row.passedAt });
  return result;
}

/** Complete = read and its quiz passed (every lesson has a quiz). */
export function isLessonComplete(progress: LessonProgress | undefined): boolean {
  return Boolean(progress?.readAt && progress.passedAt);
}

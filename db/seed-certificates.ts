/**
 * Demo certificates: whoever the demo seed made complete gets the certificates the completion
 * rules give them, dated when they finished. Bulk and without mail (nobody to tell in a demo).
 */
import { eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "./client.server";
import * as s from "./schema";
import { generateCertificateCode } from "../app/certificate-code";
import {
  courseProgress,
  isProgrammeComplete,
  learnerAudience,
  progressKey,
  type LessonState,
} from "../app/completion";
import { getCompletionCatalog } from "../app/learning-catalog.server";
import { can } from "../app/permissions.server";

export async function seedCertificates(tx: Tx): Promise<number> {
  const { courses } = await getCompletionCatalog();
  const learners = await tx
    .select({
      id: s.users.id,
      role: s.users.role,
      name: sql<string>`coalesce(${s.residents.fullName}, ${s.users.displayName})`,
      membership: s.teamMembers.id,
    })
    .from(s.users)
    .leftJoin(s.residents, eq(s.residents.id, s.users.residentId))
    .leftJoin(
      s.teamMembers,
      sql`${s.teamMembers.userId} = ${s.users.id} and ${isNull(s.teamMembers.endedAt)}`,
    )
    .where(sql`exists (select 1 from ${s.lessonProgress} lp where lp.user_id = ${s.users.id})`);
  const progress = await tx
    .select({
      userId: s.lessonProgress.userId,
      courseId: s.lessonProgress.courseId,
      lessonId: s.lessonProgress.lessonId,
      readAt: s.lessonProgress.readAt,
      passedAt: s.lessonProgress.passedAt,
    })
    .from(s.lessonProgress);
  const byUser = new Map<number, Map<string, LessonState>>();
  const lastDone = new Map<string, Date>();
  for (const p of progress) {
    const states = byUser.get(p.userId) ?? new Map<string, LessonState>();
    states.set(progressKey(p.courseId, p.lessonId), { readAt: p.readAt, passedAt: p.passedAt });
    byUser.set(p.userId, states);
    const key = `${p.userId}/${p.courseId}`;
    const at = p.passedAt ?? p.readAt;
    if (at && (!lastDone.has(key) || lastDone.get(key)! < at)) lastDone.set(key, at);
  }
  const rows: (typeof s.certificates.$inferInsert)[] = [];
  for (const learner of learners) {
    const states = byUser.get(learner.id)!;
    const audience = learnerAudience(learner.membership !== null || can(learner.role, "fieldWork"));
    let latest = new Date(0);
    for (const course of courses) {
      if (!courseProgress(course, audience, states).complete) continue;
      const at = lastDone.get(`${learner.id}/${course.id}`) ?? new Date();
      if (at > latest) latest = at;
      rows.push({
        code: generateCertificateCode(),
        userId: learner.id,
        courseKey: course.id,
        holderName: learner.name,
        issuedAt: at,
      });
    }
    if (isProgrammeComplete(courses, audience, states)) {
      rows.push({
        code: generateCertificateCode(),
        userId: learner.id,
        courseKey: s.PROGRAMME_KEY,
        holderName: learner.name,
        issuedAt: latest,
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insert(s.certificates)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing();
  }
  return rows.length;
}

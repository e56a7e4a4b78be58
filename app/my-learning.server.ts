/**
 * "My learning": progress per course, where to resume, certificates earned, and which lessons
 * were learned with a team member's help. Also the office's view of the members' own training
 * and of how much learning was assisted.
 */
import { and, asc, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb } from "@db/client.server";
import {
  certificates,
  lessonProgress,
  PROGRAMME_KEY,
  quizAttempts,
  residentialGroups,
  teamMembers,
  teams,
  users,
} from "@db/schema";
import { progressStates } from "~/certificates.server";
import { courseProgress, learnerAudience, type CourseProgress } from "~/completion";
import { getCompletionCatalog } from "~/learning-catalog.server";
import { groupInWard, officeWard, userInWard, type Actor } from "~/access.server";
import { can } from "~/permissions.server";

export interface MyCourse extends CourseProgress {
  title: string;
  nextLessonTitle: string | null;
  certificateCode: string | null;
  certificateRevoked: boolean;
}

export interface MyLearning {
  courses: MyCourse[];
  programme: { code: string; revoked: boolean } | null;
  assisted: { courseTitle: string; lessonTitle: string; memberName: string; at: Date }[];
}

export async function getMyLearning({
  userId,
  role,
}: {
  userId: number;
  role: (typeof users.$inferSelect)["role"];
}): Promise<MyLearning> {
  const db = await getDb();
  const catalog = await getCompletionCatalog();
  const [states, certs, membership, assistedRows] = await Promise.all([
    progressStates(db, userId),
    db
      .select({
        code: certificates.code,
        courseKey: certificates.courseKey,
        revokedAt: certificates.revokedAt,
      })
      .from(certificates)
      .where(eq(certificates.userId, userId)),
    db
      .select({ id: teamMembers.id })
      .from(teamMembers)
      .where(and(eq(teamMembers.userId, userId), isNull(teamMembers.endedAt))),
    db
      .select({
        courseId: lessonProgress.courseId,
        lessonId: lessonProgress.lessonId,
        memberName: users.displayName,
        at: lessonProgress.updatedAt,
      })
      .from(lessonProgress)
      .innerJoin(users, eq(users.id, lessonProgress.assistedBy))
      .where(and(eq(lessonProgress.userId, userId), isNotNull(lessonProgress.assistedBy)))
      .orderBy(asc(lessonProgress.updatedAt)),
  ]);
  const audience = learnerAudience(membership.length > 0 || can(role, "fieldWork"));
  const certByKey = new Map(certs.map((c) => [c.courseKey, c]));
  const lessonTitle = (courseId: string, lessonId: string) =>
    catalog.courses.find((c) => c.id === courseId)?.lessons.find((l) => l.id === lessonId)?.title ?? lessonId;
  const courses = catalog.courses.map((course) => {
    const progress = courseProgress(course, audience, states);
    const cert = certByKey.get(course.id);
    return {
      ...progress,
      title: course.title,
      nextLessonTitle: progress.nextLessonId ? lessonTitle(course.id, progress.nextLessonId) : null,
      certificateCode: cert?.code ?? null,
      certificateRevoked: Boolean(cert?.revokedAt),
    };
  });
  const programme = certByKey.get(PROGRAMME_KEY);
  return {
    courses,
    programme: programme ? { code: programme.code, revoked: Boolean(programme.revokedAt) } : null,
    assisted: assistedRows.map((r) => ({
      courseTitle: catalog.titleOf(r.courseId),
      lessonTitle: lessonTitle(r.courseId, r.lessonId),
      memberName: r.memberName,
      at: r.at,
    })),
  };
}

export interface MemberTraining {
  userId: number;
  name: string;
  teamRole: "member" | "leader";
  groupName: string;
  coursesDone: number;
  programmeCode: string | null;
}

/**
 * The team members of the office's ward (every ward: admin, city office)
 * and how far each is in the first intensive training round.
 */
export async function getMembersTraining(actor: Actor): Promise<MemberTraining[]> {
  const wardId = officeWard(actor);
  const db = await getDb();
  const catalog = await getCompletionCatalog();
  const coreIds = catalog.courses.filter((c) => c.core).map((c) => c.id);
  const rows = await db
    .select({
      userId: users.id,
      name: users.displayName,
      teamRole: teamMembers.role,
      groupName: residentialGroups.name,
      groupCode: residentialGroups.code,
      coursesDone: sql<number>`(select count(*)::int from ${certificates} c
        where c.user_id = ${users.id} and c.revoked_at is null
          and c.course_key in ${coreIds.length ? coreIds : [""]})`,
      programmeCode: sql<string | null>`(select c.code from ${certificates} c
        where c.user_id = ${users.id} and c.revoked_at is null and c.course_key = ${PROGRAMME_KEY})`,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(residentialGroups, eq(residentialGroups.id, teams.groupId))
    .where(and(isNull(teamMembers.endedAt), groupInWard(teams.groupId, wardId)))
    .orderBy(asc(residentialGroups.code), sql`${teamMembers.role} desc`, asc(users.displayName));
  return rows.map(({ groupCode: _code, ...r }) => r);
}

export interface AssistedShare {
  lessons: number;
  assistedLessons: number;
  attempts: number;
  assistedAttempts: number;
  byMember: { name: string; lessons: number; attempts: number }[];
}

/**
 * How much learning was done with a member beside the learner,
 * among the learners of the office's ward (every ward: admin, city office).
 */
export async function getAssistedShare(actor: Actor): Promise<AssistedShare> {
  const wardId = officeWard(actor);
  const db = await getDb();
  const [[lessons], [attempts], byMember] = await Promise.all([
    db
      .select({ total: count(), assisted: sql<number>`count(${lessonProgress.assistedBy})::int` })
      .from(lessonProgress)
      .where(
        and(isNotNull(lessonProgress.readAt), userInWard(lessonProgress.userId, wardId, { unplaced: false })),
      ),
    db
      .select({ total: count(), assisted: sql<number>`count(${quizAttempts.assistedBy})::int` })
      .from(quizAttempts)
      .where(userInWard(quizAttempts.userId, wardId, { unplaced: false })),
    db
      .select({
        name: users.displayName,
        lessons: sql<number>`(select count(*)::int from ${lessonProgress} lp
          where lp.assisted_by = ${users.id})`,
        attempts: sql<number>`(select count(*)::int from ${quizAttempts} qa
          where qa.assisted_by = ${users.id})`,
      })
      .from(users)
      .where(
        and(
          sql`exists (select 1 from ${lessonProgress} lp where lp.assisted_by = ${users.id})`,
          userInWard(users.id, wardId, { unplaced: false }),
        ),
      )
      .orderBy(asc(users.displayName)),
  ]);
  return {
    lessons: Number(lessons?.total ?? 0),
    assistedLessons: Number(lessons?.assisted ?? 0),
    attempts: Number(attempts?.total ?? 0),
    assistedAttempts: Number(attempts?.assisted ?? 0),
    byMember,
  };
}

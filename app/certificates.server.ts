/**
 * Certificates: issued exactly once per learner and course (and once for the programme) at the
 * moment completion happens. "Exactly once" is the database's job: a unique index on
 * (user_id, course_key) and `on conflict do nothing`, so twenty parallel submissions still
 * make one row. Verification shows the holder's name, the course, the date and the status,
 * nothing more of their data.
 */
import { and, desc, eq, ilike, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@db/client.server";
import { certificates, lessonProgress, PROGRAMME_KEY, residents, teamMembers, users } from "@db/schema";
import { recordAudit } from "~/audit.server";
import { generateCertificateCode } from "~/certificate-code";
import {
  courseProgress,
  isProgrammeComplete,
  learnerAudience,
  progressKey,
  type CompletionCourse,
  type LessonState,
} from "~/completion";
import { enqueueMail, siteUrl } from "~/email.server";
import { officeWard, requireWardToChange, userInWard, type Actor } from "~/access.server";
import { can } from "~/permissions.server";

export interface IssuedCertificate {
  code: string;
  courseKey: string;
}

interface Learner {
  id: number;
  role: (typeof users.$inferSelect)["role"];
  displayName: string;
  email: string | null;
  emailVerifiedAt: Date | null;
  residentName: string | null;
  isTeamMember: boolean;
}

async function loadLearner(db: DbOrTx, userId: number): Promise<Learner | null> {
  const [row] = await db
    .select({
      id: users.id,
      role: users.role,
      displayName: users.displayName,
      email: users.email,
      emailVerifiedAt: users.emailVerifiedAt,
      residentName: residents.fullName,
      membershipId: teamMembers.id,
    })
    .from(users)
    .leftJoin(residents, eq(residents.id, users.residentId))
    .leftJoin(teamMembers, and(eq(teamMembers.userId, users.id), isNull(teamMembers.endedAt)))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) return null;
  const { membershipId, ...learner } = row;
  return { ...learner, isTeamMember: membershipId !== null };
}

export async function progressStates(db: DbOrTx, userId: number): Promise<Map<string, LessonState>> {
  const rows = await db
    .select({
      courseId: lessonProgress.courseId,
      lessonId: lessonProgress.lessonId,
      readAt: lessonProgress.readAt,
      passedAt: lessonProgress.passedAt,
    })
    .from(lessonProgress)
    .where(eq(lessonProgress.userId, userId));
  return new Map(
    rows.map((r) => [progressKey(r.courseId, r.lessonId), { readAt: r.readAt, passedAt: r.passedAt }]),
  );
}

/**
 * Issues every certificate the learner has now earned and does not hold yet, and queues the
 * mail for each. Call it in the transaction that recorded the progress. Returns the new ones.
 */
export async function issueEarnedCertificates(
  tx: DbOrTx,
  userId: number,
  catalog: { courses: CompletionCourse[]; titleOf: (courseKey: string) => string },
): Promise<IssuedCertificate[]> {
  const learner = await loadLearner(tx, userId);
  if (!learner) return [];
  const audience = learnerAudience(learner.isTeamMember || can(learner.role, "fieldWork"));
  const states = await progressStates(tx, userId);
  const earned = catalog.courses
    .filter((course) => courseProgress(course, audience, states).complete)
    .map((c) => c.id);
  if (isProgrammeComplete(catalog.courses, audience, states)) earned.push(PROGRAMME_KEY);
  if (earned.length === 0) return [];

  const held = new Set(
    (
      await tx
        .select({ courseKey: certificates.courseKey })
        .from(certificates)
        .where(eq(certificates.userId, userId))
    ).map((c) => c.courseKey),
  );
  const holderName = learner.residentName ?? learner.displayName;
  const issued: IssuedCertificate[] = [];
  for (const courseKey of earned.filter((key) => !held.has(key))) {
    const [row] = await tx
      .insert(certificates)
      .values({ code: generateCertificateCode(), userId, courseKey, holderName })
      .onConflictDoNothing({ target: [certificates.userId, certificates.courseKey] })
      .returning({ code: certificates.code, courseKey: certificates.courseKey });
    if (!row) continue; // another request issued it a moment ago
    issued.push(row);
    if (learner.email) {
      const title = catalog.titleOf(courseKey);
      const link = `${siteUrl(null)}/certificates/${row.code}`;
      await enqueueMail(tx, {
        to: learner.email,
        kind: "certificate",
        subject: `Chúc mừng! Bạn đã nhận chứng nhận “${title}”`,
        text: [
          `Xin chào ${holderName},`,
          "",
          `Bạn đã hoàn thành “${title}” trên HọcSố An Hải.`,
          `Mã chứng nhận: ${row.code}`,
          `Xem và tải chứng nhận: ${link}`,
          `Ai cũng có thể kiểm tra chứng nhận tại: ${siteUrl(null)}/verify/${row.code}`,
        ].join("\n"),
      });
    }
  }
  return issued;
}

/**
 * The line above a certificate's title (the course's or the programme's, from titleOf):
 * which kind of certificate it is.
 */
export function certificateKind(courseKey: string): string {
  return courseKey === PROGRAMME_KEY
    ? "Chứng nhận hoàn thành chương trình"
    : "Chứng nhận hoàn thành khoá học";
}

export interface PublicCertificate {
  code: string;
  holderName: string;
  courseKey: string;
  issuedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/** What the public verification page may show: nothing beyond name, course, date, status. */
const publicColumns = {
  code: certificates.code,
  holderName: certificates.holderName,
  courseKey: certificates.courseKey,
  issuedAt: certificates.issuedAt,
  revokedAt: certificates.revokedAt,
  revokedReason: certificates.revokedReason,
};

export async function findCertificateByCode(code: string): Promise<PublicCertificate | null> {
  const db = await getDb();
  const [row] = await db.select(publicColumns).from(certificates).where(eq(certificates.code, code));
  return row ?? null;
}

/**
 * A certificate for its holder's page: the holder themselves (the request's actor, `viewer`), the
 * member assisting the holder right now (`learnerId`, from ~/learner.server: they share the
 * moment), or the office of the holder's ward.
 */
export async function getCertificateForViewer({
  code,
  viewer,
  learnerId,
}: {
  code: string;
  viewer: Actor;
  learnerId?: number;
}): Promise<PublicCertificate | null> {
  const db = await getDb();
  const staff = can(viewer.role, "office");
  const holders =
    learnerId !== undefined && learnerId !== viewer.id
      ? inArray(certificates.userId, [viewer.id, learnerId])
      : eq(certificates.userId, viewer.id);
  const [row] = await db
    .select(publicColumns)
    .from(certificates)
    .where(
      and(
        eq(certificates.code, code),
        staff
          ? or(eq(certificates.userId, viewer.id), userInWard(certificates.userId, officeWard(viewer)))
          : holders,
      ),
    );
  return row ?? null;
}

/** A learner's certificate for a course (or PROGRAMME_KEY), if they hold one. */
export async function findLearnerCertificate(
  userId: number,
  courseKey: string,
): Promise<PublicCertificate | null> {
  const db = await getDb();
  const [row] = await db
    .select(publicColumns)
    .from(certificates)
    .where(and(eq(certificates.userId, userId), eq(certificates.courseKey, courseKey)));
  return row ?? null;
}

export async function listCertificatesForUser(userId: number) {
  const db = await getDb();
  return db
    .select({
      code: certificates.code,
      courseKey: certificates.courseKey,
      issuedAt: certificates.issuedAt,
      revokedAt: certificates.revokedAt,
    })
    .from(certificates)
    .where(eq(certificates.userId, userId))
    .orderBy(certificates.issuedAt);
}

/**
 * The office's search, by code or holder name,
 * among the certificates of its ward (every ward: an admin, a city office).
 */
export async function searchCertificates(
  actor: Actor,
  { query, limit = 50 }: { query: string; limit?: number },
) {
  const db = await getDb();
  const q = query.trim();
  return db
    .select(publicColumns)
    .from(certificates)
    .where(
      and(
        q ? or(ilike(certificates.code, `%${q}%`), ilike(certificates.holderName, `%${q}%`)) : undefined,
        userInWard(certificates.userId, officeWard(actor)),
      ),
    )
    .orderBy(desc(certificates.issuedAt))
    .limit(limit);
}

export type RevokeResult = { ok: true } | { ok: false; reason: "not_found" | "already_revoked" };

/**
 * The office revokes a certificate with a reason; verification then says so. Audited. A
 * certificate of another ward's resident is "not found"; a city office revokes nothing (403).
 */
export async function revokeCertificate(
  actor: Actor,
  { code, reason }: { code: string; reason: string },
): Promise<RevokeResult> {
  const wardId = requireWardToChange(actor);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: certificates.id, revokedAt: certificates.revokedAt, userId: certificates.userId })
      .from(certificates)
      .where(and(eq(certificates.code, code), userInWard(certificates.userId, wardId)))
      .for("update");
    if (!existing) return { ok: false, reason: "not_found" } as const;
    if (existing.revokedAt) return { ok: false, reason: "already_revoked" } as const;
    await tx
      .update(certificates)
      .set({ revokedAt: new Date(), revokedBy: actor.id, revokedReason: reason })
      .where(eq(certificates.id, existing.id));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "certificate.revoked",
      entity: "certificate",
      entityId: code,
      details: { holderUserId: existing.userId, reason },
    });
    return { ok: true } as const;
  });
}

/**
 * For the office: how many certificates its ward has (every ward: an admin, a city office),
 * and how many are revoked.
 */
export async function certificateCounts(actor: Actor) {
  const db = await getDb();
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      revoked: sql<number>`count(*) filter (where ${isNotNull(certificates.revokedAt)})::int`,
    })
    .from(certificates)
    .where(userInWard(certificates.userId, officeWard(actor)));
  return row ?? { total: 0, revoked: 0 };
}

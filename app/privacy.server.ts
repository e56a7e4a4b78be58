/**
 * Personal data rights (Law 91/2025/QH15, Decree 356/2025/ND-CP): each person downloads what
 * HọcSố holds about them, and asks for its deletion; the office sees and handles the requests.
 */
import { and, desc, eq, inArray, or } from "drizzle-orm";
import { getDb } from "@db/client.server";
import {
  auditLog,
  certificates,
  dataRequests,
  households,
  lessonProgress,
  quizAttempts,
  residentialGroups,
  residents,
  residentSkills,
  sessions,
  users,
} from "@db/schema";
import { recordAudit } from "~/audit.server";
import type { SessionUser } from "~/session.server";

/** Everything stored about the user, as one JSON-ready object. Never the password hash. */
export async function exportUserData(userId: number) {
  const db = await getDb();
  const [account] = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      email: users.email,
      phone: users.phone,
      role: users.role,
      emailVerifiedAt: users.emailVerifiedAt,
      consentAt: users.consentAt,
      createdAt: users.createdAt,
      residentId: users.residentId,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) return null;
  const resident = account.residentId
    ? ((
        await db
          .select({
            fullName: residents.fullName,
            birthYear: residents.birthYear,
            phone: residents.phone,
            isHighSchoolStudent: residents.isHighSchoolStudent,
            isEnterpriseWorker: residents.isEnterpriseWorker,
            isFreelanceWorker: residents.isFreelanceWorker,
            isSmallTrader: residents.isSmallTrader,
            consentAt: residents.consentAt,
            householdAddress: households.address,
            residentialGroup: residentialGroups.name,
          })
          .from(residents)
          .innerJoin(households, eq(households.id, residents.householdId))
          .innerJoin(residentialGroups, eq(residentialGroups.id, households.groupId))
          .where(eq(residents.id, account.residentId))
      )[0] ?? null)
    : null;
  const [skills, progress, attempts, certs, activeSessions, requests, history] = await Promise.all([
    account.residentId
      ? db.select({ skill: residentSkills.skill, method: residentSkills.method, recordedAt: residentSkills.recordedAt }).from(residentSkills).where(eq(residentSkills.residentId, account.residentId))
      : Promise.resolve([]),
    db
      .select({ courseId: lessonProgress.courseId, lessonId: lessonProgress.lessonId, readAt: lessonProgress.readAt, passedAt: lessonProgress.passedAt })
      .from(lessonProgress)
      .where(eq(lessonProgress.userId, userId)),
    db
      .select({
        courseId: quizAttempts.courseId,
        lessonId: quizAttempts.lessonId,
        scorePercent: quizAttempts.scorePercent,
        passed: quizAttempts.passed,
        createdAt: quizAttempts.createdAt,
      })
      .from(quizAttempts)
      .where(eq(quizAttempts.userId, userId)),
    db
      .select({ code: certificates.code, courseKey: certificates.courseKey, holderName: certificates.holderName, issuedAt: certificates.issuedAt, revokedAt: certificates.revokedAt })
      .from(certificates)
      .where(eq(certificates.userId, userId)),
    db.select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, device: sessions.userAgent }).from(sessions).where(eq(sessions.userId, userId)),
    db.select({ kind: dataRequests.kind, status: dataRequests.status, createdAt: dataRequests.createdAt }).from(dataRequests).where(eq(dataRequests.userId, userId)),
    db
      .select({ action: auditLog.action, at: auditLog.createdAt, byUserId: auditLog.actorUserId })
      .from(auditLog)
      .where(
        or(
          and(eq(auditLog.entity, "user"), eq(auditLog.entityId, String(userId))),
          account.residentId ? and(eq(auditLog.entity, "resident"), eq(auditLog.entityId, String(account.residentId))) : undefined,
        ),
      )
      .orderBy(desc(auditLog.createdAt)),
  ]);
  const { residentId: _residentId, ...accountOut } = account;
  return {
    exportedAt: new Date().toISOString(),
    controller: "HọcSố – Tổ Công nghệ số cộng đồng phường An Hải",
    account: accountOut,
    resident,
    skills,
    lessonProgress: progress,
    quizAttempts: attempts,
    certificates: certs,
    sessions: activeSessions,
    dataRequests: requests,
    changeHistory: history,
  };
}

/** Asks for deletion; a second request while one is open changes nothing. */
export async function requestDeletion(userId: number, note: string | null): Promise<{ created: boolean }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [open] = await tx
      .select({ id: dataRequests.id })
      .from(dataRequests)
      .where(and(eq(dataRequests.userId, userId), eq(dataRequests.kind, "deletion"), eq(dataRequests.status, "open")));
    if (open) return { created: false };
    const [row] = await tx.insert(dataRequests).values({ userId, kind: "deletion", note: note || null }).returning({ id: dataRequests.id });
    await recordAudit(tx, { actorUserId: userId, action: "data_request.created", entity: "user", entityId: userId, details: { requestId: row!.id, kind: "deletion" } });
    return { created: true };
  });
}

export async function openDeletionRequest(userId: number) {
  const db = await getDb();
  const [row] = await db
    .select({ id: dataRequests.id, createdAt: dataRequests.createdAt })
    .from(dataRequests)
    .where(and(eq(dataRequests.userId, userId), eq(dataRequests.kind, "deletion"), eq(dataRequests.status, "open")));
  return row ?? null;
}

/** The office's list of requests, open ones first. */
export async function listDataRequests() {
  const db = await getDb();
  return db
    .select({
      id: dataRequests.id,
      kind: dataRequests.kind,
      status: dataRequests.status,
      note: dataRequests.note,
      createdAt: dataRequests.createdAt,
      handledAt: dataRequests.handledAt,
      userId: dataRequests.userId,
      displayName: users.displayName,
      email: users.email,
      phone: users.phone,
    })
    .from(dataRequests)
    .leftJoin(users, eq(users.id, dataRequests.userId))
    .orderBy(desc(eq(dataRequests.status, "open")), desc(dataRequests.createdAt))
    .limit(200);
}

export async function closeDataRequest(actor: SessionUser, requestId: number, status: "done" | "refused"): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(dataRequests)
      .set({ status, handledBy: actor.id, handledAt: new Date() })
      .where(and(eq(dataRequests.id, requestId), inArray(dataRequests.status, ["open"])))
      .returning({ userId: dataRequests.userId });
    if (!row) return false;
    await recordAudit(tx, { actorUserId: actor.id, action: `data_request.${status}`, entity: "data_request", entityId: requestId, details: { userId: row.userId } });
    return true;
  });
}

/**
 * Personal data rights (Law 91/2025/QH15, Decree 356/2025/ND-CP): each person downloads what
 * HọcSố holds about them, and asks for its deletion; the office sees and handles the requests.
 */
import { and, desc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@db/client.server";
import {
  auditLog,
  certificates,
  dataRequests,
  householdAssignments,
  households,
  lessonProgress,
  mailOutbox,
  quizAttempts,
  residentialGroups,
  residents,
  residentSkills,
  sessions,
  teamMembers,
  userTokens,
  users,
} from "@db/schema";
import { recordAudit } from "~/audit.server";
import { erasePractice, practiceForExport } from "~/practice.server";
import { officeWard, requireWardToChange, userInWard, type Actor } from "~/access.server";
import { residentDetailColumns } from "~/resident-columns.server";
import { keepErasedActivity } from "~/reports.server";

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
            ...residentDetailColumns,
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
      ? db
          .select({
            skill: residentSkills.skill,
            method: residentSkills.method,
            recordedAt: residentSkills.recordedAt,
          })
          .from(residentSkills)
          .where(eq(residentSkills.residentId, account.residentId))
      : Promise.resolve([]),
    db
      .select({
        courseId: lessonProgress.courseId,
        lessonId: lessonProgress.lessonId,
        readAt: lessonProgress.readAt,
        passedAt: lessonProgress.passedAt,
      })
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
      .select({
        code: certificates.code,
        courseKey: certificates.courseKey,
        holderName: certificates.holderName,
        issuedAt: certificates.issuedAt,
        revokedAt: certificates.revokedAt,
      })
      .from(certificates)
      .where(eq(certificates.userId, userId)),
    db
      .select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, device: sessions.userAgent })
      .from(sessions)
      .where(eq(sessions.userId, userId)),
    db
      .select({ kind: dataRequests.kind, status: dataRequests.status, createdAt: dataRequests.createdAt })
      .from(dataRequests)
      .where(eq(dataRequests.userId, userId)),
    db
      .select({ action: auditLog.action, at: auditLog.createdAt, byUserId: auditLog.actorUserId })
      .from(auditLog)
      .where(
        or(
          and(eq(auditLog.entity, "user"), eq(auditLog.entityId, String(userId))),
          account.residentId
            ? and(eq(auditLog.entity, "resident"), eq(auditLog.entityId, String(account.residentId)))
            : undefined,
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
    practice: await practiceForExport(db, userId),
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
      .where(
        and(
          eq(dataRequests.userId, userId),
          eq(dataRequests.kind, "deletion"),
          eq(dataRequests.status, "open"),
        ),
      );
    if (open) return { created: false };
    const [row] = await tx
      .insert(dataRequests)
      .values({ userId, kind: "deletion", note: note || null })
      .returning({ id: dataRequests.id });
    await recordAudit(tx, {
      actorUserId: userId,
      action: "data_request.created",
      entity: "user",
      entityId: userId,
      details: { requestId: row!.id, kind: "deletion" },
    });
    return { created: true };
  });
}

export async function openDeletionRequest(userId: number) {
  const db = await getDb();
  const [row] = await db
    .select({ id: dataRequests.id, createdAt: dataRequests.createdAt })
    .from(dataRequests)
    .where(
      and(
        eq(dataRequests.userId, userId),
        eq(dataRequests.kind, "deletion"),
        eq(dataRequests.status, "open"),
      ),
    );
  return row ?? null;
}

/** The requests an office may see and handle: those of people in its ward (see access.server). */
function requestInWard(wardId: number | null): SQL {
  return sql`(${dataRequests.userId} is null or ${userInWard(dataRequests.userId, wardId)})`;
}

/** The office's list of requests, open ones first. */
export async function listDataRequests(actor: Actor) {
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
    .where(requestInWard(officeWard(actor)))
    .orderBy(desc(eq(dataRequests.status, "open")), desc(dataRequests.createdAt))
    .limit(200);
}

/** The name an erased account keeps, so that visits and audit entries still read sensibly. */
export const ERASED_NAME = "Người dùng đã xoá";

/**
 * Carries out a deletion request, in one transaction: the person's learning (progress, quiz
 * attempts, certificates, which then no longer verify), their roster record with its skills, their
 * sessions, one-time codes and mail; their team membership ends (and with it the badge) and their
 * households go back to the leader. The account row stays only as an empty, disabled shell named
 * ERASED_NAME, because visits they recorded and the audit log point at it. Returns false when the
 * request is not open (already handled, or never existed).
 */
export async function eraseForRequest(actor: Actor, requestId: number): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select({ userId: dataRequests.userId })
      .from(dataRequests)
      .where(
        and(
          eq(dataRequests.id, requestId),
          eq(dataRequests.kind, "deletion"),
          eq(dataRequests.status, "open"),
          requestInWard(requireWardToChange(actor)),
        ),
      )
      .for("update");
    if (!request) return false;
    const userId = request.userId;
    if (userId !== null) {
      const [person] = await tx
        .select({ email: users.email, residentId: users.residentId })
        .from(users)
        .where(eq(users.id, userId));
      const now = new Date();
      // The quarterly reports keep counting what this person did, without them.
      await keepErasedActivity(tx, userId);
      await tx.delete(sessions).where(eq(sessions.userId, userId));
      await tx.update(sessions).set({ assistingUserId: null }).where(eq(sessions.assistingUserId, userId));
      await tx.delete(userTokens).where(eq(userTokens.userId, userId));
      await tx.delete(certificates).where(eq(certificates.userId, userId));
      await tx.delete(quizAttempts).where(eq(quizAttempts.userId, userId));
      await tx.delete(lessonProgress).where(eq(lessonProgress.userId, userId));
      await erasePractice(tx, userId);
      await tx.delete(householdAssignments).where(eq(householdAssignments.memberUserId, userId));
      await tx
        .update(teamMembers)
        .set({ endedAt: now })
        .where(and(eq(teamMembers.userId, userId), isNull(teamMembers.endedAt)));
      if (person?.email) await tx.delete(mailOutbox).where(eq(mailOutbox.toAddress, person.email));
      await tx
        .update(users)
        .set({
          displayName: ERASED_NAME,
          email: null,
          phone: null,
          passwordHash: null,
          residentId: null,
          consentAt: null,
          disabledAt: now,
          updatedAt: now,
        })
        .where(eq(users.id, userId));
      // The roster record last: its skills and their history go with it.
      if (person?.residentId) await tx.delete(residents).where(eq(residents.id, person.residentId));
    }
    await tx
      .update(dataRequests)
      .set({ status: "done", handledBy: actor.id, handledAt: new Date() })
      .where(eq(dataRequests.id, requestId));
    // No personal data in the audit entry: only which account and which request.
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "data_request.erased",
      entity: "data_request",
      entityId: requestId,
      details: { userId },
    });
    return true;
  });
}

/** Refuses a request (the office must tell the person why, outside HọcSố). */
export async function closeDataRequest(actor: Actor, requestId: number, status: "refused"): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(dataRequests)
      .set({ status, handledBy: actor.id, handledAt: new Date() })
      .where(
        and(
          eq(dataRequests.id, requestId),
          eq(dataRequests.status, "open"),
          requestInWard(requireWardToChange(actor)),
        ),
      )
      .returning({ userId: dataRequests.userId });
    if (!row) return false;
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: `data_request.${status}`,
      entity: "data_request",
      entityId: requestId,
      details: { userId: row.userId },
    });
    return true;
  });
}

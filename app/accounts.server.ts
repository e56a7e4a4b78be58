/**
 * Accounts that someone else starts: the office invites team members (an email link to set a
 * password) or creates them directly (a one-time code handed over); a member registers a
 * resident at the door and links accounts to the roster; a resident links their own account
 * with the household's code. A resident who learned with a member beside them already has a
 * "managed" account (no credentials): linking never makes a second account for the same
 * person, it moves that learning history onto the account being linked, in one transaction.
 * Only its owner links an existing account (signed in, with the household's code): a member
 * who could link any account by its phone number could then get a reset code for it.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, queryRows, type Tx } from "@db/client.server";
import {
  certificates,
  households,
  lessonProgress,
  quizAttempts,
  residentialGroups,
  residents,
  teamMembers,
  teams,
  users,
} from "@db/schema";
import { recordAudit } from "~/audit.server";
import { movePractice } from "~/practice.server";
import { isUniqueViolation, type Identifier } from "~/auth.server";
import { enqueueMail, siteUrl } from "~/email.server";
import { hashPassword } from "~/password.server";
import {
  householdInGroup,
  inWard,
  officeWard,
  requireWardToChange,
  type Actor,
  type FieldActor,
} from "~/access.server";
import { can } from "~/permissions.server";
import { sessionUserColumns, type SessionUser } from "~/session.server";
import { consumeToken, formatResetCode, issueToken, peekToken } from "~/tokens.server";
import type { TeamRole } from "~/vocabulary";

const BADGE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** The random code behind a member's public badge page. */
export function generateBadgeCode(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  let code = "";
  for (const b of bytes) code += BADGE_ALPHABET[b % BADGE_ALPHABET.length];
  return code;
}

/** The teams an office user may place members in: their ward's (every team for an admin). */
export async function listTeamsFor(actor: Actor) {
  const db = await getDb();
  return db
    .select({ id: teams.id, name: teams.name, groupName: residentialGroups.name })
    .from(teams)
    .innerJoin(residentialGroups, eq(residentialGroups.id, teams.groupId))
    .where(inWard(residentialGroups.wardId, officeWard(actor)))
    .orderBy(asc(residentialGroups.id));
}

export interface NewMember {
  displayName: string;
  identifier: Identifier;
  teamId: number;
  teamRole: TeamRole;
  affiliation?: string;
}

export type NewMemberResult =
  | { ok: true; userId: number; mode: "invited" }
  | { ok: true; userId: number; mode: "created"; code: string }
  | { ok: false; reason: "taken" | "team" | "needs_email" };

/**
 * The office adds a team member. "invite": an email with a link to set a password (7 days).
 * "create": the account exists at once and the office gets a one-time code to hand over.
 */
export async function addTeamMember(
  actor: Actor,
  input: NewMember,
  mode: "invite" | "create",
  request: Request | null,
): Promise<NewMemberResult> {
  // A member's account is personal data: a city office (no ward) reads the city but creates no one (403).
  requireWardToChange(actor);
  if (mode === "invite" && input.identifier.kind !== "email") return { ok: false, reason: "needs_email" };
  const allowedTeams = await listTeamsFor(actor);
  if (!allowedTeams.some((t) => t.id === input.teamId)) return { ok: false, reason: "team" };
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          displayName: input.displayName,
          email: input.identifier.kind === "email" ? input.identifier.value : null,
          phone: input.identifier.kind === "phone" ? input.identifier.value : null,
          role: input.teamRole,
        })
        .returning({ id: users.id });
      await tx.insert(teamMembers).values({
        teamId: input.teamId,
        userId: user!.id,
        role: input.teamRole,
        affiliation: input.affiliation || null,
        badgeCode: generateBadgeCode(),
      });
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: mode === "invite" ? "user.invited" : "user.created",
        entity: "user",
        entityId: user!.id,
        details: { role: input.teamRole, teamId: input.teamId },
      });
      if (mode === "invite") {
        const secret = await issueToken(tx, { userId: user!.id, purpose: "invitation", createdBy: actor.id });
        const link = `${siteUrl(request)}/accept-invite?token=${secret}`;
        await enqueueMail(tx, {
          to: input.identifier.value,
          kind: "invitation",
          subject: "Mời bạn tham gia Tổ Công nghệ số cộng đồng trên HọcSố",
          text: [
            `Chào ${input.displayName},`,
            "",
            "Phòng Văn hoá – Xã hội phường An Hải mời bạn tham gia Tổ Công nghệ số cộng đồng trên HọcSố.",
            "Để nhận lời mời và đặt mật khẩu, hãy mở đường dẫn sau (có hiệu lực 7 ngày):",
            "",
            link,
            "",
            "HọcSố – Tổ Công nghệ số cộng đồng phường An Hải",
          ].join("\n"),
        });
        return { ok: true as const, userId: user!.id, mode: "invited" as const };
      }
      const code = await issueToken(tx, { userId: user!.id, purpose: "reset_code", createdBy: actor.id });
      return { ok: true as const, userId: user!.id, mode: "created" as const, code: formatResetCode(code) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "taken" };
    throw error;
  }
}

/** The invitation behind a link, for the page that accepts it. */
export async function getInvitation(
  secret: string,
): Promise<{ displayName: string; email: string | null } | null> {
  const db = await getDb();
  const userId = await peekToken(db, "invitation", secret);
  if (!userId) return null;
  const [user] = await db
    .select({ displayName: users.displayName, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  return user ?? null;
}

export async function acceptInvitation(input: {
  secret: string;
  displayName: string;
  password: string;
}): Promise<SessionUser | null> {
  const passwordHash = await hashPassword(input.password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const userId = await consumeToken(tx, { purpose: "invitation", secret: input.secret });
    if (!userId) return null;
    const now = new Date();
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        displayName: input.displayName,
        emailVerifiedAt: now,
        consentAt: now,
        updatedAt: now,
      })
      .where(eq(users.id, userId))
      .returning(sessionUserColumns);
    await recordAudit(tx, {
      actorUserId: userId,
      action: "user.invitation_accepted",
      entity: "user",
      entityId: userId,
      details: { consentAt: now.toISOString() },
    });
    return user ?? null;
  });
}

// ─── Field work: registering residents, linking accounts ────────────────────

/** Households of the member's own residential group, for the registration form. */
export async function listHouseholdsInScope(actor: FieldActor) {
  const db = await getDb();
  return db
    .select({ id: households.id, code: households.code, address: households.address })
    .from(households)
    .where(householdInGroup(actor))
    .orderBy(asc(households.code));
}

/** The code a household's people type at /me/link to link their own accounts (member's group only). */
export async function householdLinkCode(actor: FieldActor, householdId: number): Promise<string | null> {
  const db = await getDb();
  const [row] = await db
    .select({ linkCode: households.linkCode })
    .from(households)
    .where(and(eq(households.id, householdId), householdInGroup(actor)));
  return row?.linkCode ?? null;
}

export interface FieldResident {
  householdId: number;
  fullName: string;
  birthYear: number;
  phone?: string | null;
  isHighSchoolStudent?: boolean;
  isEnterpriseWorker?: boolean;
  isFreelanceWorker?: boolean;
  isSmallTrader?: boolean;
  /**
   * "managed": an account without credentials, so the resident can learn with a member beside them.
   * "login": an account signed in with the resident's phone; the member hands over a one-time code
   * with which the resident sets their own password.
   */
  account: "none" | "managed" | "login";
}

export type RegisterResult =
  | { ok: true; residentId: number; userId: number | null; code: string | null }
  | { ok: false; reason: "household" | "phone_needed" | "phone_taken" };

/** A member adds a resident of their own group to the roster, with the consent they just took. */
export async function registerResidentInField(
  actor: FieldActor,
  input: FieldResident,
): Promise<RegisterResult> {
  if (input.account === "login" && !input.phone) return { ok: false, reason: "phone_needed" };
  const db = await getDb();
  try {
    return await registerInTx(db, actor, input);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "phone_taken" };
    throw error;
  }
}

async function registerInTx(
  db: Awaited<ReturnType<typeof getDb>>,
  actor: FieldActor,
  input: FieldResident,
): Promise<RegisterResult> {
  return db.transaction(async (tx) => {
    const [household] = await tx
      .select({ id: households.id })
      .from(households)
      .where(and(eq(households.id, input.householdId), householdInGroup(actor)));
    if (!household) return { ok: false as const, reason: "household" as const };
    const now = new Date();
    const [resident] = await tx
      .insert(residents)
      .values({
        householdId: household.id,
        fullName: input.fullName,
        birthYear: input.birthYear,
        phone: input.phone ?? null,
        isHighSchoolStudent: input.isHighSchoolStudent ?? false,
        isEnterpriseWorker: input.isEnterpriseWorker ?? false,
        isFreelanceWorker: input.isFreelanceWorker ?? false,
        isSmallTrader: input.isSmallTrader ?? false,
        consentAt: now,
        consentRecordedBy: actor.id,
      })
      .returning({ id: residents.id });
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "resident.created",
      entity: "resident",
      entityId: resident!.id,
      details: { householdId: household.id, consentAt: now.toISOString(), via: "field" },
    });
    let userId: number | null = null;
    let code: string | null = null;
    if (input.account !== "none") {
      const [user] = await tx
        .insert(users)
        .values({
          displayName: input.fullName,
          role: "resident",
          residentId: resident!.id,
          phone: input.account === "login" ? input.phone : null,
          consentAt: now,
          // Registered with the person beside the member: their consent, their roster record.
          residentLinkConfirmedAt: now,
        })
        .returning({ id: users.id });
      userId = user!.id;
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: "user.created",
        entity: "user",
        entityId: userId,
        details: { managed: input.account === "managed", residentId: resident!.id },
      });
      if (input.account === "login") {
        code = formatResetCode(await issueToken(tx, { userId, purpose: "reset_code", createdBy: actor.id }));
      }
    }
    return { ok: true as const, residentId: resident!.id, userId, code };
  });
}

/** Residents of the member's group with whether each already has an account with credentials. */
export async function listResidentsForLinking(actor: FieldActor, householdId: number) {
  const db = await getDb();
  return db
    .select({
      id: residents.id,
      fullName: residents.fullName,
      birthYear: residents.birthYear,
      accountId: users.id,
      managed: sql<boolean>`${users.id} is not null and ${users.passwordHash} is null`,
    })
    .from(residents)
    .innerJoin(households, eq(households.id, residents.householdId))
    .leftJoin(users, eq(users.residentId, residents.id))
    .where(and(eq(residents.householdId, householdId), householdInGroup(actor)))
    .orderBy(asc(residents.id));
}

export type LinkResult =
  | { ok: true; merged: boolean }
  | { ok: false; reason: "no_account" | "not_resident" | "already_linked" | "resident_taken" | "not_found" };

/**
 * Joins `userId` to roster resident `residentId`. When the resident already has a managed
 * account, its learning history moves to `userId` and the managed account goes, so the person
 * keeps one account with all their progress.
 */
async function linkInTx(tx: Tx, userId: number, residentId: number, via: string): Promise<LinkResult> {
  const [user] = await tx
    .select({ id: users.id, role: users.role, residentId: users.residentId })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!user) return { ok: false, reason: "no_account" };
  if (!can(user.role, "linkToRoster")) return { ok: false, reason: "not_resident" };
  if (user.residentId === residentId) return { ok: true, merged: false };
  if (user.residentId !== null) return { ok: false, reason: "already_linked" };
  const [holder] = await tx
    .select({
      id: users.id,
      managed: sql<boolean>`${users.passwordHash} is null and ${users.email} is null
        and ${users.phone} is null`,
    })
    .from(users)
    .where(eq(users.residentId, residentId))
    .for("update");
  let merged = false;
  if (holder) {
    if (!holder.managed) return { ok: false, reason: "resident_taken" };
    await mergeLearning(tx, holder.id, userId);
    await movePractice(tx, holder.id, userId);
    await tx.delete(users).where(eq(users.id, holder.id));
    merged = true;
  }
  // Only the account's owner links it (signed in, with the household's code): see access.server.
  await tx
    .update(users)
    .set({ residentId, residentLinkConfirmedAt: new Date(), updatedAt: new Date() })
    .where(eq(users.id, userId));
  await recordAudit(tx, {
    actorUserId: userId,
    action: "user.linked_to_resident",
    entity: "user",
    entityId: userId,
    details: { residentId, via, mergedManagedAccount: holder?.id ?? null },
  });
  return { ok: true, merged };
}

/** Moves lesson progress, quiz attempts and certificates from one account to another. */
async function mergeLearning(tx: Tx, fromUserId: number, toUserId: number): Promise<void> {
  // Progress: keep the earliest read and pass of each lesson.
  await tx.execute(sql`
    insert into ${lessonProgress} (user_id, course_id, lesson_id, read_at, passed_at, assisted_by, updated_at)
    select ${toUserId}, course_id, lesson_id, read_at, passed_at, assisted_by, updated_at
    from ${lessonProgress} where user_id = ${fromUserId}
    on conflict (user_id, course_id, lesson_id) do update set
      read_at = least(${lessonProgress}.read_at, excluded.read_at),
      passed_at = least(${lessonProgress}.passed_at, excluded.passed_at),
      updated_at = now()`);
  await tx.delete(lessonProgress).where(eq(lessonProgress.userId, fromUserId));
  await tx.execute(sql`
    update ${quizAttempts} set user_id = ${toUserId}
    where user_id = ${fromUserId}
      and submission_key not in (select submission_key from ${quizAttempts} where user_id = ${toUserId})`);
  // A certificate the account already holds for the same course stays;
  // the duplicate goes with the managed account.
  await tx.execute(sql`
    update ${certificates} set user_id = ${toUserId}
    where user_id = ${fromUserId}
      and course_key not in (select course_key from ${certificates} where user_id = ${toUserId})`);
}

/** The residents of the household behind a link code (first name hidden to the minimum the family needs). */
export async function householdByLinkCode(code: string) {
  const db = await getDb();
  const [household] = await db
    .select({ id: households.id, address: households.address })
    .from(households)
    .where(eq(households.linkCode, code));
  if (!household) return null;
  const people = await queryRows<{ id: number; full_name: string; birth_year: number; taken: boolean }>(
    db,
    sql`select r.id, r.full_name, r.birth_year,
               exists(select 1 from ${users} u where u.resident_id = r.id and (
                 u.password_hash is not null or u.email is not null or u.phone is not null)) as taken
        from ${residents} r where r.household_id = ${household.id} order by r.birth_year, r.id`,
  );
  return {
    householdId: household.id,
    address: household.address,
    residents: people.map((p) => ({
      id: Number(p.id),
      fullName: p.full_name,
      birthYear: Number(p.birth_year),
      taken: Boolean(p.taken),
    })),
  };
}

/** A resident links their own account to themselves in the roster, proving the household with its code. */
export async function linkOwnAccount(
  userId: number,
  input: { code: string; residentId: number },
): Promise<LinkResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [resident] = await tx
      .select({ id: residents.id })
      .from(residents)
      .innerJoin(households, eq(households.id, residents.householdId))
      .where(and(eq(residents.id, input.residentId), eq(households.linkCode, input.code)));
    if (!resident) return { ok: false as const, reason: "not_found" as const };
    return linkInTx(tx, userId, resident.id, "household_code");
  });
}

/** What the account page shows about the signed-in person. */
export async function getAccountSummary(userId: number) {
  const db = await getDb();
  const [row] = await db
    .select({
      displayName: users.displayName,
      email: users.email,
      phone: users.phone,
      role: users.role,
      emailVerifiedAt: users.emailVerifiedAt,
      consentAt: users.consentAt,
      residentName: residents.fullName,
      householdAddress: households.address,
      groupName: residentialGroups.name,
    })
    .from(users)
    .leftJoin(residents, eq(residents.id, users.residentId))
    .leftJoin(households, eq(households.id, residents.householdId))
    .leftJoin(residentialGroups, eq(residentialGroups.id, households.groupId))
    .where(eq(users.id, userId));
  return row ?? null;
}

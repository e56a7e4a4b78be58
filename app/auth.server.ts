/**
 * Signing in and out. Identifiers are a Vietnamese mobile number (any common spelling)
 * or an email address; both are looked up in their one stored form.
 */
import { redirect } from "@remix-run/node";
import { and, eq, isNull, ne } from "drizzle-orm";
import { getDb, type DbOrTx } from "@db/client.server";
import { sessions, users, type Role } from "@db/schema";
import { recordAudit } from "~/audit.server";
import { enqueueMail, siteUrl } from "~/email.server";
import { resetCodeTargets, type Actor } from "~/access.server";
import { formatVietnamesePhone, normalizeVietnamesePhone } from "~/phone";
import { consumeToken, formatResetCode, issueToken, peekToken } from "~/tokens.server";
import { hashPassword, verifyPassword } from "~/password.server";
import {
  blankSessionCookie,
  createSession,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  readSessionToken,
  sessionCookie,
  sessionIdFromToken,
  sessionUserColumns,
  type SessionUser,
} from "~/session.server";

export type Identifier = { kind: "email"; value: string } | { kind: "phone"; value: string };

export function parseIdentifier(input: string): Identifier | null {
  const trimmed = input.trim();
  if (trimmed.includes("@")) {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)
      ? { kind: "email", value: trimmed.toLowerCase() }
      : null;
  }
  const phone = normalizeVietnamesePhone(trimmed);
  return phone ? { kind: "phone", value: phone } : null;
}

// Verifying against a real hash when the account does not exist keeps the timing the same,
// so the answer time does not tell which numbers have accounts.
let dummyHash: Promise<string> | undefined;

export async function checkCredentials(
  identifier: Identifier,
  password: string,
): Promise<SessionUser | null> {
  const db = await getDb();
  const [row] = await db
    .select({ ...sessionUserColumns, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(
      identifier.kind === "email" ? eq(users.email, identifier.value) : eq(users.phone, identifier.value),
    );
  if (!row?.passwordHash || row.disabledAt) {
    dummyHash ??= hashPassword("not-a-real-password");
    await verifyPassword(await dummyHash, password);
    return null;
  }
  if (!(await verifyPassword(row.passwordHash, password))) return null;
  const { passwordHash: _hash, disabledAt: _disabled, ...user } = row;
  return user;
}

/** Starts a session and redirects with its cookie. */
export async function startSession(
  request: Request,
  user: SessionUser,
  redirectTo: string,
): Promise<Response> {
  const token = generateSessionToken();
  const session = await createSession(token, user, request.headers.get("User-Agent"));
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": sessionCookie(token, session.expiresAt) },
  });
}

export async function endSession(request: Request): Promise<Response> {
  const token = readSessionToken(request);
  if (token) await invalidateSession(sessionIdFromToken(token));
  return redirect("/", { headers: { "Set-Cookie": blankSessionCookie() } });
}

const REDIRECT_BASE = "http://hocso.invalid";

/**
 * Only same-site paths; anything else goes home. Browsers drop tabs and newlines from a URL
 * and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would leave the site: any
 * control character or backslash is refused, and the path is returned as a URL parser reads it
 * (so `/.//evil.example`, which it reads as `//evil.example`, is refused too).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
  if (typeof to !== "string" || !to.startsWith("/") || to.length > 2000 || /[\u0000-\u001f\u007f\\]/.test(to))
    return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== REDIRECT_BASE || !path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}

// ─── Sign-up, passwords, verification, resets ───────────────────────────────

function identifierWhere(identifier: Identifier) {
  return identifier.kind === "email" ? eq(users.email, identifier.value) : eq(users.phone, identifier.value);
}

/** Postgres unique violation, whichever driver raised it. */
export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    if ((e as { code?: string }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export type SignUpResult = { ok: true; user: SessionUser } | { ok: false; reason: "taken" };

/** A resident's own account. Consent is recorded now; an email address gets a verification mail. */
export async function signUp(
  input: { displayName: string; identifier: Identifier; password: string },
  request: Request | null = null,
): Promise<SignUpResult> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.transaction(async (tx) => {
      const now = new Date();
      const [created] = await tx
        .insert(users)
        .values({
          displayName: input.displayName,
          email: input.identifier.kind === "email" ? input.identifier.value : null,
          phone: input.identifier.kind === "phone" ? input.identifier.value : null,
          passwordHash,
          role: "resident",
          consentAt: now,
        })
        .returning(sessionUserColumns);
      await recordAudit(tx, {
        actorUserId: created!.id,
        action: "user.signed_up",
        entity: "user",
        entityId: created!.id,
        details: { via: input.identifier.kind, consentAt: now.toISOString() },
      });
      if (input.identifier.kind === "email")
        await sendVerificationMail(tx, created!.id, input.identifier.value, request);
      return created!;
    });
    return { ok: true, user };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "taken" };
    throw error;
  }
}

export async function sendVerificationMail(
  tx: DbOrTx,
  userId: number,
  email: string,
  request: Request | null,
): Promise<void> {
  const secret = await issueToken(tx, { userId, purpose: "verify_email" });
  const link = `${siteUrl(request)}/verify-email?token=${secret}`;
  await enqueueMail(tx, {
    to: email,
    kind: "verify_email",
    subject: "Xác nhận địa chỉ email của bạn trên HọcSố",
    text: [
      "Chào bạn,",
      "",
      "Bạn (hoặc ai đó) vừa dùng địa chỉ email này cho một tài khoản HọcSố của phường An Hải.",
      "Để xác nhận đây là email của bạn, hãy mở đường dẫn sau (có hiệu lực 48 giờ):",
      "",
      link,
      "",
      "Nếu không phải bạn, hãy bỏ qua thư này.",
      "HọcSố – Tổ Công nghệ số cộng đồng phường An Hải",
    ].join("\n"),
  });
}

/** Sends a fresh verification link to the user's own email address. */
export async function resendVerification(userId: number, request: Request | null): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ email: users.email, verified: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, userId));
    if (!user?.email || user.verified) return false;
    await sendVerificationMail(tx, userId, user.email, request);
    return true;
  });
}

export async function verifyEmail(secret: string): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const userId = await consumeToken(tx, { purpose: "verify_email", secret });
    if (!userId) return false;
    await tx
      .update(users)
      .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, userId));
    return true;
  });
}

async function setPassword(
  tx: DbOrTx,
  userId: number,
  passwordHash: string,
  actorUserId: number | null,
  how: string,
  extra: Partial<typeof users.$inferInsert> = {},
) {
  await tx
    .update(users)
    .set({ passwordHash, updatedAt: new Date(), ...extra })
    .where(eq(users.id, userId));
  // A new password ends every session, on every device.
  await invalidateUserSessions(userId, tx);
  await recordAudit(tx, {
    actorUserId,
    action: "user.password_changed",
    entity: "user",
    entityId: userId,
    details: { how },
  });
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: "wrong_password" };

export async function changePassword(
  userId: number,
  currentPassword: string,
  newPassword: string,
): Promise<ChangePasswordResult> {
  const db = await getDb();
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, currentPassword)))
    return { ok: false, reason: "wrong_password" };
  const passwordHash = await hashPassword(newPassword);
  await db.transaction((tx) => setPassword(tx, userId, passwordHash, userId, "changed"));
  return { ok: true };
}

export type ForgotPasswordResult = { sent: "email" } | { sent: "none"; hasPhoneOnly: boolean };

/**
 * Mails a reset link when the account has an email address. The answer does not say whether
 * an account exists; for a phone number without email it explains the reset code instead.
 */
export async function requestPasswordReset(
  identifier: Identifier,
  request: Request | null,
): Promise<ForgotPasswordResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, disabledAt: users.disabledAt })
      .from(users)
      .where(identifierWhere(identifier));
    if (!user || user.disabledAt || !user.email)
      return { sent: "none", hasPhoneOnly: identifier.kind === "phone" };
    const secret = await issueToken(tx, { userId: user.id, purpose: "reset_password" });
    const link = `${siteUrl(request)}/reset-password?token=${secret}`;
    await enqueueMail(tx, {
      to: user.email,
      kind: "reset_password",
      subject: "Đặt lại mật khẩu HọcSố",
      text: [
        "Chào bạn,",
        "",
        "Có yêu cầu đặt lại mật khẩu cho tài khoản HọcSố gắn với email này.",
        "Để đặt mật khẩu mới, hãy mở đường dẫn sau. Đường dẫn chỉ dùng được một lần và hết hạn sau 1 giờ:",
        "",
        link,
        "",
        "Nếu không phải bạn yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn vẫn giữ nguyên.",
        "Không ai ở Tổ CNSCĐ hay phường sẽ hỏi bạn mật khẩu hoặc mã OTP.",
      ].join("\n"),
    });
    return { sent: "email" };
  });
}

/** Sets a new password from an emailed link; the link then stops working. */
export async function resetPasswordWithToken(secret: string, newPassword: string): Promise<boolean> {
  const passwordHash = await hashPassword(newPassword);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const userId = await consumeToken(tx, { purpose: "reset_password", secret });
    if (!userId) return false;
    // Opening the link proves the address is theirs.
    await setPassword(tx, userId, passwordHash, userId, "reset_by_email", { emailVerifiedAt: new Date() });
    return true;
  });
}

/** The user an identifier belongs to (for rate-limit keys and reset codes). */
export async function findUserIdByIdentifier(identifier: Identifier): Promise<number | null> {
  const db = await getDb();
  const [row] = await db.select({ id: users.id }).from(users).where(identifierWhere(identifier));
  return row?.id ?? null;
}

export type ResetCodeResult = { ok: true } | { ok: false; reason: "invalid" };

export async function resetPasswordWithCode(
  identifier: Identifier,
  code: string,
  newPassword: string,
): Promise<ResetCodeResult> {
  const userId = await findUserIdByIdentifier(identifier);
  if (!userId) return { ok: false, reason: "invalid" };
  const passwordHash = await hashPassword(newPassword);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const used = await consumeToken(tx, { purpose: "reset_code", secret: code, userId });
    if (used !== userId) return { ok: false as const, reason: "invalid" as const };
    await setPassword(tx, userId, passwordHash, userId, "reset_by_code");
    return { ok: true as const };
  });
}

export interface ResetCodeTarget {
  id: number;
  displayName: string;
  role: Role;
  login: string;
}

/**
 * The account behind `identifier`, if `actor` may hand it a reset code (access.server's `resetCodeTargets`).
 */
export async function findResetCodeTarget(
  actor: Actor,
  identifier: Identifier,
): Promise<ResetCodeTarget | null> {
  const reach = resetCodeTargets(actor);
  if (!reach) return null;
  const db = await getDb();
  const [target] = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      role: users.role,
      email: users.email,
      phone: users.phone,
    })
    .from(users)
    .where(and(identifierWhere(identifier), ne(users.id, actor.id), isNull(users.disabledAt), reach));
  if (!target) return null;
  return {
    id: target.id,
    displayName: target.displayName,
    role: target.role,
    login: target.phone ? formatVietnamesePhone(target.phone) : (target.email ?? ""),
  };
}

/** Issues a one-time code (72 hours) for the actor to hand over in person. */
export async function issueResetCode(
  actor: Actor,
  identifier: Identifier,
): Promise<{ code: string; target: ResetCodeTarget } | null> {
  const target = await findResetCodeTarget(actor, identifier);
  if (!target) return null;
  const db = await getDb();
  const code = await db.transaction(async (tx) => {
    const secret = await issueToken(tx, { userId: target.id, purpose: "reset_code", createdBy: actor.id });
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "user.reset_code_issued",
      entity: "user",
      entityId: target.id,
    });
    return secret;
  });
  return { code: formatResetCode(code), target };
}

// ─── Sessions of one user ───────────────────────────────────────────────────

/** Ends one of the user's own sessions (never someone else's). */
export async function endOwnSession(userId: number, sessionId: string): Promise<void> {
  const db = await getDb();
  await db.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
}

export function currentSessionId(request: Request): string | null {
  const token = readSessionToken(request);
  return token ? sessionIdFromToken(token) : null;
}

/** Signs out of every device, this one included. */
export async function endAllSessions(_request: Request, userId: number): Promise<Response> {
  await invalidateUserSessions(userId);
  return redirect("/login?signedOut=all", { headers: { "Set-Cookie": blankSessionCookie() } });
}

/** Whether a reset link still works, for the page shown before the new password is posted. */
export async function isResetLinkValid(secret: string): Promise<boolean> {
  const db = await getDb();
  return (await peekToken(db, "reset_password", secret)) !== null;
}

export type ProfileResult =
  | { ok: true; emailChanged: boolean }
  | { ok: false; reason: "email_taken" | "email_required" };

/**
 * A person corrects their own name or email. A new email must be confirmed again (a mail goes
 * out in the same transaction); the change is audited with the fields changed, not their values.
 */
export async function updateOwnProfile(
  userId: number,
  input: { displayName: string; email: string | null },
  request: Request | null,
): Promise<ProfileResult> {
  const db = await getDb();
  const email = input.email ? input.email.trim().toLowerCase() : null;
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select({ displayName: users.displayName, email: users.email, phone: users.phone })
        .from(users)
        .where(eq(users.id, userId))
        .for("update");
      if (!current) throw new Response("Không tìm thấy tài khoản.", { status: 404 });
      // Someone who signs in by email cannot remove it: it is their login.
      if (!email && !current.phone) return { ok: false as const, reason: "email_required" as const };
      const changed: string[] = [];
      if (current.displayName !== input.displayName) changed.push("displayName");
      const emailChanged = current.email !== email;
      if (emailChanged) changed.push("email");
      if (changed.length === 0) return { ok: true as const, emailChanged: false };
      await tx
        .update(users)
        .set({
          displayName: input.displayName,
          email,
          ...(emailChanged ? { emailVerifiedAt: null } : {}),
          updatedAt: new Date(),
        })
        .where(eq(users.id, userId));
      await recordAudit(tx, {
        actorUserId: userId,
        action: "user.updated",
        entity: "user",
        entityId: userId,
        details: { fields: changed },
      });
      if (emailChanged && email) await sendVerificationMail(tx, userId, email, request);
      return { ok: true as const, emailChanged };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
    throw error;
  }
}

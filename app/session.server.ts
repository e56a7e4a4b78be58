/**
 * Sessions as the lucia-auth.com session guide builds them with @oslojs: a random token in the
 * cookie, only its SHA-256 stored. Residents and members: 30 days, renewed when half is spent.
 * Office and admin (OWASP ASVS level 2): at most 12 hours, ended after 30 idle minutes.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { getDb, preparedQuery, type DbOrTx } from "@db/client.server";
import { sessions, users, type Role } from "@db/schema";
import { env } from "~/env.server";
// A cycle (permissions.server reads sessions), safe: neither module uses the other while loading.
import { can } from "~/permissions.server";

const DAY = 24 * 60 * 60 * 1000;
const LONG_SESSION = 30 * DAY;
const STAFF_ABSOLUTE = 12 * 60 * 60 * 1000;
const STAFF_IDLE = 30 * 60 * 1000;
/** lastSeenAt is written at most this often, so a page view is not always a write. */
const LAST_SEEN_GRANULARITY = 60 * 1000;

export interface SessionUser {
  id: number;
  displayName: string;
  role: Role;
  email: string | null;
  phone: string | null;
  wardId: number | null;
  residentId: number | null;
}

/** The columns that make a SessionUser, for every query that returns one. */
export const sessionUserColumns = {
  id: users.id,
  displayName: users.displayName,
  role: users.role,
  email: users.email,
  phone: users.phone,
  wardId: users.wardId,
  residentId: users.residentId,
};

export interface Session {
  id: string;
  userId: number;
  expiresAt: Date;
  createdAt: Date;
  lastSeenAt: Date;
}

/** Accounts that reach many people's records (the office capability) get the short staff sessions. */
function isStaffRole(role: Role): boolean {
  return can(role, "office");
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  token: string,
  user: { id: number; role: Role },
  userAgent: string | null,
  db?: DbOrTx,
): Promise<Session> {
  const now = new Date();
  const session: Session = {
    id: sessionIdFromToken(token),
    userId: user.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + (isStaffRole(user.role) ? STAFF_ABSOLUTE : LONG_SESSION)),
  };
  await (db ?? (await getDb()))
    .insert(sessions)
    .values({ ...session, userAgent: describeUserAgent(userAgent) });
  return session;
}

/** Every signed-in request asks it first: the session and its (enabled) user. */
const sessionById = preparedQuery((db) =>
  db
    .select({
      session: {
        id: sessions.id,
        userId: sessions.userId,
        expiresAt: sessions.expiresAt,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
      },
      user: sessionUserColumns,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder("id")), isNull(users.disabledAt)))
    .prepare("session_by_id"),
);

export async function validateSessionToken(
  token: string,
): Promise<{ session: Session; user: SessionUser } | null> {
  const db = await getDb();
  const id = sessionIdFromToken(token);
  const [row] = await sessionById(db).execute({ id });
  if (!row) return null;
  const { session, user } = row;
  const now = Date.now();
  const staff = isStaffRole(user.role);
  if (now >= session.expiresAt.getTime() || (staff && now - session.lastSeenAt.getTime() >= STAFF_IDLE)) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (!staff && now >= session.expiresAt.getTime() - LONG_SESSION / 2) {
    session.expiresAt = new Date(now + LONG_SESSION);
    session.lastSeenAt = new Date(now);
    await db
      .update(sessions)
      .set({ expiresAt: session.expiresAt, lastSeenAt: session.lastSeenAt })
      .where(eq(sessions.id, id));
  } else if (now - session.lastSeenAt.getTime() >= LAST_SEEN_GRANULARITY) {
    session.lastSeenAt = new Date(now);
    await db.update(sessions).set({ lastSeenAt: session.lastSeenAt }).where(eq(sessions.id, id));
  }
  return { session, user };
}

export async function invalidateSession(sessionId: string): Promise<void> {
  const db = await getDb();
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(userId: number, db?: DbOrTx): Promise<void> {
  await (db ?? (await getDb())).delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(): Promise<void> {
  const db = await getDb();
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

export async function listUserSessions(userId: number) {
  const db = await getDb();
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())))
    .orderBy(sessions.lastSeenAt);
}

// ─── Cookie ─────────────────────────────────────────────────────────────────

const secureCookies = env.NODE_ENV === "production" && env.INSECURE_COOKIES !== "1";
export const SESSION_COOKIE = secureCookies ? "__Host-hocso_session" : "hocso_session";

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name !== SESSION_COOKIE) continue;
    // A token is base32 and never needs decoding; a mangled cookie (`%`) is simply no session.
    const value = rest.join("=");
    return /^[A-Za-z0-9]{1,128}$/.test(value) ? value : null;
  }
  return null;
}

export function sessionCookie(token: string, expiresAt: Date): string {
  const attributes = [
    `${SESSION_COOKIE}=${token}`,
    "HttpOnly",
    "SameSite=Lax",
    "Path=/",
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (secureCookies) attributes.push("Secure");
  return attributes.join("; ");
}

export function blankSessionCookie(): string {
  const attributes = [`${SESSION_COOKIE}=`, "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=0"];
  if (secureCookies) attributes.push("Secure");
  return attributes.join("; ");
}

/** "Chrome trên Android" rather than a raw user-agent string: enough to tell devices apart. */
export function describeUserAgent(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /SamsungBrowser/.test(ua)
      ? "Samsung Internet"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrome\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : "Trình duyệt khác";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iPhone/iPad"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "thiết bị khác";
  return `${browser} trên ${os}`;
}

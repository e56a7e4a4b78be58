/**
 * The role → capability map, and who is signed in. Routes ask `requireUser` / `requirePermission`;
 * where in the ward, group or household a person may act is decided by `access.server.ts`.
 */
import { redirect } from "@remix-run/node";
import type { Role } from "@db/schema";
import { readSessionToken, validateSessionToken, type SessionUser } from "~/session.server";

export const permissions = {
  /** Learn, take quizzes, see one's own certificates and data. */
  learn: ["resident", "member", "leader", "office", "admin"],
  /**
   * Link one's own account to oneself in the roster,
   * with the household's code (only resident accounts are linked).
   */
  linkToRoster: ["resident"],
  /** See the members-only lessons: written for the teams, read too by the people who run them. */
  teamLessons: ["member", "leader", "office", "admin"],
  /**
   * Field work in one's own team's residential group: the field pages (which start a member's
   * day after sign-in and keep working offline), learning beside a resident, the team's report.
   * These roles also owe the members-only lessons for their certificates.
   */
  fieldWork: ["member", "leader"],
  /** Assign households to members of one's team, as the team's leader. */
  assignHouseholds: ["leader"],
  /** Hand a one-time password reset code to a person in front of you (leaders: their group's residents). */
  issueResetCodes: ["leader", "office", "admin"],
  /**
   * Ward dashboards, roster import, reports, certificates, deletion requests: the records of many
   * people, so these sessions are short (session.server).
   */
  office: ["office", "admin"],
  /** Wards, users and roles; the development outbox from any address. */
  admin: ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/**
 * Session checks in flight, by token. A page's loaders (the root's and the route's) run at the
 * same time and each asks who is signed in: they share one check instead of querying twice.
 * Nothing is kept once the check has answered, so a later request always checks afresh.
 */
const checksInFlight = new Map<string, Promise<SessionUser | null>>();

export function getUser(request: Request): Promise<SessionUser | null> {
  const token = readSessionToken(request);
  if (!token) return Promise.resolve(null);
  let check = checksInFlight.get(token);
  if (!check) {
    check = validateSessionToken(token).then((result) => result?.user ?? null);
    checksInFlight.set(token, check);
    const forget = () => checksInFlight.delete(token);
    check.then(forget, forget);
  }
  return check;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export function forbidden(): Response {
  return new Response("Bạn không có quyền xem trang này.", { status: 403, statusText: "Forbidden" });
}

export async function requirePermission(request: Request, permission: Permission): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!can(user.role, permission)) throw forbidden();
  return user;
}

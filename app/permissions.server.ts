/**
 * Every permission is decided here. Routes ask `requireUser` / `requirePermission`; domain
 * functions scope their queries with `memberScope` so members and leaders only ever reach
 * their own team's residential group.
 */
import { redirect } from "@remix-run/node";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@db/client.server";
import { teamMembers, teams, type Role } from "@db/schema";
import { readSessionToken, validateSessionToken, type SessionUser } from "~/session.server";

export const permissions = {
  /** Learn, take quizzes, see one's own certificates and data. */
  learn: ["resident", "member", "leader", "office", "admin"],
  /** Field work in one's own team's residential group. */
  fieldWork: ["member", "leader"],
  /** Assign households to members of one's team. */
  assignHouseholds: ["leader"],
  /** Hand a one-time password reset code to a person in front of you (leaders: their group's residents). */
  issueResetCodes: ["leader", "office", "admin"],
  /** Ward dashboards, roster import, reports, certificate revocation. */
  office: ["office", "admin"],
  /** Wards, users and roles. */
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

export interface MemberScope {
  teamId: number;
  groupId: number;
  teamRole: "member" | "leader";
}

/** The team (and so the residential group) a member or leader currently works in. */
export async function memberScope(userId: number): Promise<MemberScope | null> {
  const db = await getDb();
  const [row] = await db
    .select({ teamId: teamMembers.teamId, groupId: teams.groupId, teamRole: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.userId, userId), isNull(teamMembers.endedAt)));
  return row ?? null;
}

/** For field-work routes: the user and their team scope; 403 when they have no current team. */
export async function requireFieldWorker(request: Request): Promise<{ user: SessionUser; scope: MemberScope }> {
  const user = await requirePermission(request, "fieldWork");
  const scope = await memberScope(user.id);
  if (!scope) throw forbidden();
  return { user, scope };
}

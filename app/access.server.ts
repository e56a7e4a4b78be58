/**
 * Who may see and change what: the one place it is decided.
 *
 * The place model: a ward (phường) holds residential groups (tổ dân phố), a group holds
 * households, a household residents; a team (Tổ CNSCĐ) works in exactly one residential group.
 * The actor of a request is worked out once (`requireActor`): the signed-in user, their role,
 * the team (and so the group and ward) a member or leader works in, and the ward an office
 * handles. Field-work routes get a `FieldActor` (`requireFieldWorker`: an actor with a current
 * team). Domain functions take the actor and build their queries with the filters and guards
 * below; no other module writes its own group or ward condition.
 *
 *   member, leader   their team's residential group (a leader also assigns households)
 *   office           its own ward; an office user without a ward (city office) sees the whole
 *                    city but changes nobody's personal data
 *   admin            everything
 *
 * `permissions.server.ts` holds the role → capability map this module starts from.
 */
import { and, eq, isNull, notInArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { getDb, preparedQuery, type DbOrTx } from "@db/client.server";
import { households, residentialGroups, teamMembers, teams, users, wards, type Role } from "@db/schema";
import { can, forbidden, requirePermission, requireUser, type Permission } from "~/permissions.server";
import type { SessionUser } from "~/session.server";

// ─── The actor ────────────────────────────────────────────────────────────────

/** The team a member or leader currently works in, and so their residential group and ward. */
export interface MemberScope {
  teamId: number;
  groupId: number;
  wardId: number;
  teamRole: "member" | "leader";
}

export interface Actor {
  user: SessionUser;
  id: number;
  role: Role;
  /** A member's or leader's current team; null for everyone else (and a member between teams). */
  team: MemberScope | null;
  /**
   * The ward whose records the actor reaches: a ward office's ward, a team's ward; null for an
   * admin or a city office (every ward), and for a resident (only their own records).
   */
  wardId: number | null;
  /** A member's or leader's residential group. */
  groupId: number | null;
}

// Prepared: every field-work request (and every request of a member or leader) asks it.
const currentTeamOf = preparedQuery((db) =>
  db
    .select({
      teamId: teamMembers.teamId,
      groupId: teams.groupId,
      wardId: residentialGroups.wardId,
      teamRole: teamMembers.role,
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(residentialGroups, eq(residentialGroups.id, teams.groupId))
    .where(and(eq(teamMembers.userId, sql.placeholder("userId")), isNull(teamMembers.endedAt)))
    .prepare("current_team_of"),
);

/** The team (and so the residential group and ward) a member or leader currently works in. */
export async function memberScope(userId: number): Promise<MemberScope | null> {
  const [row] = await currentTeamOf(await getDb()).execute({ userId });
  return row ?? null;
}

export async function actorFor(user: SessionUser): Promise<Actor> {
  const team = can(user.role, "fieldWork") ? await memberScope(user.id) : null;
  const wardId = user.role === "office" ? user.wardId : (team?.wardId ?? null);
  return { user, id: user.id, role: user.role, team, wardId, groupId: team?.groupId ?? null };
}

/** The signed-in actor (sign-in redirect otherwise); 403 without `permission` when one is asked. */
export async function requireActor(request: Request, permission?: Permission): Promise<Actor> {
  const user = permission ? await requirePermission(request, permission) : await requireUser(request);
  return actorFor(user);
}

/** A member or leader with a current team: the actor every field-work function takes. */
export interface FieldActor extends Actor {
  team: MemberScope;
  groupId: number;
  wardId: number;
}

/** The actor as a field worker, or null when they work in no team now. */
export function asFieldActor(actor: Actor): FieldActor | null {
  return actor.team
    ? { ...actor, team: actor.team, groupId: actor.team.groupId, wardId: actor.team.wardId }
    : null;
}

/** The field actor for `user`, or null when their role does no field work or they have no current team. */
export async function fieldActorFor(user: SessionUser): Promise<FieldActor | null> {
  return can(user.role, "fieldWork") ? asFieldActor(await actorFor(user)) : null;
}

/**
 * For field-work routes: the actor with their team;
 * 403 when their role does no field work or they have no current team.
 */
export async function requireFieldWorker(request: Request): Promise<FieldActor> {
  const actor = asFieldActor(await requireActor(request, "fieldWork"));
  if (!actor) throw forbidden();
  return actor;
}

/** The team the actor leads: a leader's current team when they are its leader; null otherwise. */
export function ledTeam(actor: Actor): MemberScope | null {
  return actor.role === "leader" && actor.team?.teamRole === "leader" ? actor.team : null;
}

/** For the leader's pages: a leader of their current team; 403 for everyone else. */
export async function requireTeamLeader(request: Request): Promise<FieldActor> {
  const actor = await requireFieldWorker(request);
  if (!ledTeam(actor)) throw forbidden();
  return actor;
}

// ─── Teams ────────────────────────────────────────────────────────────────────

/** The office of the team's ward (every ward: admin, city office) and the team's own people see a team. */
export function canSeeTeam(actor: Actor, team: { teamId: number; wardId: number }): boolean {
  if (can(actor.role, "office")) return canSeeWard(actor, team.wardId);
  return actor.team?.teamId === team.teamId;
}

/** The actor is the team's leader (by their team role): they write what the team reports. */
export function isLeaderOf(actor: Actor, teamId: number): boolean {
  return actor.team?.teamId === teamId && actor.team.teamRole === "leader";
}

// ─── Wards: the office ────────────────────────────────────────────────────────

/**
 * What the ward checks read of the actor
 * (a session user has the same two fields, for an office user the same values).
 */
type OfficeUser = Pick<Actor, "role" | "wardId">;

/** The ward an office user handles; null (every ward) for an admin or a city office. */
export function officeWard(user: OfficeUser): number | null {
  return user.role === "admin" ? null : user.wardId;
}

/** An office user without a ward: the city's figures and records, read-only for personal data. */
export function isCityOffice(user: OfficeUser): boolean {
  return user.role === "office" && user.wardId === null;
}

/** Office users of a ward see that ward; admins and city office users see every ward. */
export function canSeeWard(user: OfficeUser, wardId: number): boolean {
  if (user.role === "admin") return true;
  if (user.role !== "office") return false;
  return user.wardId === null || user.wardId === wardId;
}

export function canSeeCity(user: OfficeUser): boolean {
  return user.role === "admin" || isCityOffice(user);
}

/**
 * For office actions that change people's data (roster import, reset codes, deletion, revocation):
 * the ward they may change (null: every ward, admin only). A city office reads but changes nothing.
 */
export function requireWardToChange(user: OfficeUser): number | null {
  if (user.role === "admin") return null;
  if (user.role !== "office" || user.wardId === null) throw forbidden();
  return user.wardId;
}

export interface WardInfo {
  id: number;
  code: string;
  name: string;
}

/**
 * The ward, for the office pages and files that show it: 404 when it does not exist,
 * 403 when the actor may not see it.
 */
export async function requireWard(actor: Actor, wardId: number): Promise<WardInfo> {
  const db = await getDb();
  const [ward] =
    Number.isSafeInteger(wardId) && wardId > 0
      ? await db
          .select({ id: wards.id, code: wards.code, name: wards.name })
          .from(wards)
          .where(eq(wards.id, wardId))
      : [];
  if (!ward) throw new Response("Không tìm thấy phường.", { status: 404 });
  if (!canSeeWard(actor, ward.id)) throw forbidden();
  return ward;
}

export interface GroupInfo {
  id: number;
  code: string;
  name: string;
  wardId: number;
  wardName: string;
  teamId: number | null;
  teamName: string | null;
}

/**
 * The residential group with its ward and team, for the office: 404 when it does not exist,
 * 403 when it is in a ward the actor may not see.
 */
export async function requireGroup(actor: Actor, groupId: number): Promise<GroupInfo> {
  const db = await getDb();
  const [group] =
    Number.isSafeInteger(groupId) && groupId > 0
      ? await db
          .select({
            id: residentialGroups.id,
            code: residentialGroups.code,
            name: residentialGroups.name,
            wardId: residentialGroups.wardId,
            wardName: wards.name,
            teamId: teams.id,
            teamName: teams.name,
          })
          .from(residentialGroups)
          .innerJoin(wards, eq(wards.id, residentialGroups.wardId))
          .leftJoin(teams, eq(teams.groupId, residentialGroups.id))
          .where(eq(residentialGroups.id, groupId))
      : [];
  if (!group) throw new Response("Không tìm thấy tổ dân phố.", { status: 404 });
  if (!canSeeWard(actor, group.wardId)) throw forbidden();
  return group;
}

// ─── Groups and households: members and leaders ───────────────────────────────

/**
 * The residential group `groupId` (of a row already read) is the actor's own:
 * the group-scope condition in code.
 */
export function isActorsGroup(actor: Pick<Actor, "groupId">, groupId: number | null): boolean {
  return actor.groupId !== null && actor.groupId === groupId;
}

/** The household is in the field actor's residential group (a household elsewhere is "not found"). */
export async function reachesHousehold(
  actor: FieldActor,
  householdId: number,
  db?: DbOrTx,
): Promise<boolean> {
  const conn = db ?? (await getDb());
  const [row] = await conn
    .select({ id: households.id })
    .from(households)
    .where(and(eq(households.id, householdId), householdInGroup(actor)));
  return Boolean(row);
}

// ─── Files ────────────────────────────────────────────────────────────────────

/** What decides who may fetch a stored file. */
export interface FileRef {
  kind: string;
  uploadedBy: number | null;
  /** The ward of the office user who uploaded it (roster files). */
  uploaderWardId: number | null;
  /** The residential group and ward of the household a visit photo belongs to. */
  visitGroupId: number | null;
  visitWardId: number | null;
}

/**
 * Who may fetch a file: a roster file, the office user who uploaded it, the office of their ward
 * and an admin; a visit photo, the team of the household's residential group, the office of its
 * ward (a city office reads every ward's) and an admin. `viewer` is the request's actor.
 */
export function canSeeFile(
  viewer: Pick<Actor, "id" | "role" | "wardId"> & { groupId?: number | null },
  file: FileRef,
): boolean {
  if (viewer.role === "admin") return true;
  if (file.kind === "roster_file") {
    return (
      viewer.role === "office" &&
      (file.uploadedBy === viewer.id || (viewer.wardId !== null && file.uploaderWardId === viewer.wardId))
    );
  }
  if (file.visitGroupId === null || file.visitWardId === null) return false;
  if (viewer.role === "office") return canSeeWard(viewer, file.visitWardId);
  if (!can(viewer.role, "fieldWork")) return false;
  return isActorsGroup({ groupId: viewer.groupId ?? null }, file.visitGroupId);
}

// ─── SQL filters ──────────────────────────────────────────────────────────────

/**
 * "The household is in the member's residential group": THE group-scope condition. `groupColumn`
 * is the household's group column (`households.group_id` unless the query aliases the table).
 */
export function householdInGroup(
  scope: Pick<MemberScope, "groupId">,
  groupColumn: AnyPgColumn | SQL = households.groupId,
): SQL {
  return sql`${groupColumn} = ${scope.groupId}`;
}

/**
 * `wardColumn` (the `ward_id` of a residential group the query has joined) is `wardId`: the
 * ward condition. Always true for null (every ward: an admin, a city office).
 */
export function inWard(wardColumn: AnyPgColumn | SQL, wardId: number | null): SQL {
  if (wardId === null) return sql`true`;
  return sql`${wardColumn} = ${wardId}`;
}

/** The ward of the residential group behind `groupColumn` is `wardId` (always true for null: every ward). */
export function groupInWard(groupColumn: AnyPgColumn | SQL, wardId: number | null): SQL {
  if (wardId === null) return sql`true`;
  return sql`exists (select 1 from residential_groups g
    where g.id = ${groupColumn} and g.ward_id = ${wardId})`;
}

/**
 * The user with this id belongs to the ward: by their roster record's group, by their team, or
 * as the ward's office. With `unplaced` (lists the office handles: deletion requests,
 * certificates), accounts tied to no ward at all also count, so nobody's request is left
 * unhandled; never for changes that reach into an account (reset codes). Always true for null.
 */
export function userInWard(
  userId: AnyPgColumn | SQL,
  wardId: number | null,
  options: { unplaced?: boolean } = { unplaced: true },
): SQL {
  if (wardId === null) return sql`true`;
  return sql`exists (
    select 1 from users u where u.id = ${userId} and (
      u.ward_id = ${wardId}
      or exists (select 1 from residents r join households h on h.id = r.household_id
                 join residential_groups g on g.id = h.group_id
                 where r.id = u.resident_id and g.ward_id = ${wardId})
      or exists (select 1 from team_members tm join teams t on t.id = tm.team_id
                 join residential_groups g on g.id = t.group_id
                 where tm.user_id = u.id and g.ward_id = ${wardId})
      ${
        options.unplaced
          ? sql`or (u.ward_id is null and u.resident_id is null
          and not exists (select 1 from team_members tm where tm.user_id = u.id))`
          : sql``
      }
    ))`;
}

/**
 * The resident account with this id is one of the group's people and was put there with its
 * owner's consent: registered at the door, or linked by its owner (signed in, with the
 * household's code). Only such accounts get a leader's reset code.
 */
export function residentAccountInGroup(userId: AnyPgColumn | SQL, groupId: number): SQL {
  return sql`exists (
    select 1 from users u join residents r on r.id = u.resident_id join households h on h.id = r.household_id
    where u.id = ${userId} and u.resident_link_confirmed_at is not null
      and ${householdInGroup({ groupId }, sql`h.group_id`)})`;
}

/** As `residentAccountInGroup`, for a ward (null: any), with team members of the ward's teams too. */
export function accountInWardWithConsent(userId: AnyPgColumn | SQL, wardId: number | null): SQL {
  if (wardId === null) return sql`true`;
  return sql`exists (
    select 1 from users u where u.id = ${userId} and (
      exists (select 1 from residents r join households h on h.id = r.household_id
              where r.id = u.resident_id and u.resident_link_confirmed_at is not null
                and ${groupInWard(sql`h.group_id`, wardId)})
      or exists (select 1 from team_members tm join teams t on t.id = tm.team_id
                 where tm.user_id = u.id and tm.ended_at is null and ${groupInWard(sql`t.group_id`, wardId)})
    ))`;
}

/**
 * The accounts `actor` may hand a reset code to (null: none): a leader, the residents of their
 * own team's group whose accounts were put there with the owner's consent (registered at the
 * door, or linked by themselves); a ward office, such residents and the team members of its ward
 * (never office or admin accounts); an admin, anyone. A city office changes nobody's account.
 */
export function resetCodeTargets(actor: Actor): SQL | null {
  if (actor.role === "admin") return sql`true`;
  if (actor.role === "office") {
    if (actor.wardId === null) return null;
    return and(
      notInArray(users.role, ["office", "admin"]),
      accountInWardWithConsent(users.id, actor.wardId),
    )!;
  }
  const team = ledTeam(actor);
  if (team) return and(eq(users.role, "resident"), residentAccountInGroup(users.id, team.groupId))!;
  return null;
}

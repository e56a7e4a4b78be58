/**
 * Who is learning in this request. Usually the signed-in user; but a team member sitting beside
 * a resident can learn "on behalf" of them: the progress and attempts are the resident's, and
 * record the member who assisted. The choice lives on the session row (several app instances
 * see it), and is checked against the member's team on every request, so ending a membership
 * or moving a household ends the assistance.
 */
import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import { getDb } from "@db/client.server";
import { households, residentialGroups, residents, sessions, users, type Role } from "@db/schema";
import { recordAudit } from "~/audit.server";
import { fieldActorFor, householdInGroup, isActorsGroup, type FieldActor } from "~/access.server";
import { can, requirePermission } from "~/permissions.server";
import { readSessionToken, sessionIdFromToken, type SessionUser } from "~/session.server";

export interface Learner {
  /** The user whose progress this is. */
  userId: number;
  /** Their role decides which lessons they are offered (a resident is not shown members-only lessons). */
  role: Role;
  name: string;
  /** The member beside them, when the learning is assisted. */
  assistedBy: number | null;
}

export interface LearnerContext {
  user: SessionUser;
  learner: Learner;
}

function sessionId(request: Request): string | null {
  const token = readSessionToken(request);
  return token ? sessionIdFromToken(token) : null;
}

/**
 * The assisted learner of this session, if the member may still assist them: the resident's
 * household is in the member's residential group now. Most sessions assist nobody, so the
 * member's team is looked up only when this one does.
 */
async function assistedLearner(request: Request, user: SessionUser): Promise<Learner | null> {
  const id = sessionId(request);
  if (!id || !can(user.role, "fieldWork")) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      userId: users.id,
      role: users.role,
      name: sql<string>`coalesce(${residents.fullName}, ${users.displayName})`,
      groupId: households.groupId,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.assistingUserId))
    .innerJoin(residents, eq(residents.id, users.residentId))
    .innerJoin(households, eq(households.id, residents.householdId))
    .where(eq(sessions.id, id));
  if (!row) return null;
  const actor = await fieldActorFor(user);
  if (!actor || !isActorsGroup(actor, row.groupId)) return null;
  return { userId: row.userId, role: row.role, name: row.name, assistedBy: user.id };
}

function selfLearner(user: SessionUser): Learner {
  return { userId: user.id, role: user.role, name: user.displayName, assistedBy: null };
}

/** The catalogue's view of a learner: whose progress, and which lessons they are offered. */
export function asViewer(learner: Learner): { id: number; role: Role } {
  return { id: learner.userId, role: learner.role };
}

/**
 * For lesson and quiz routes: the signed-in user, who may learn, and whose learning this is (one
 * session check per request: a route asks this alone, not requirePermission first).
 */
export async function requireLearner(request: Request): Promise<LearnerContext> {
  const user = await requirePermission(request, "learn");
  const assisted = await assistedLearner(request, user);
  return { user, learner: assisted ?? selfLearner(user) };
}

/** For pages that read but need no sign-in: the learner when someone is signed in. */
export async function optionalLearner(request: Request, user: SessionUser | null): Promise<Learner | null> {
  if (!user) return null;
  return (await assistedLearner(request, user)) ?? selfLearner(user);
}

/** The name shown in the header while a member is assisting someone. */
export async function assistingName(request: Request, user: SessionUser | null): Promise<string | null> {
  if (!user) return null;
  return (await assistedLearner(request, user))?.name ?? null;
}

export interface AssistCandidate {
  residentId: number;
  fullName: string;
  birthYear: number;
  address: string;
  householdCode: string;
}

/** Residents of the member's own residential group, searched by name or household code. */
export async function searchResidentsToAssist({
  actor,
  query,
}: {
  actor: FieldActor;
  query: string;
}): Promise<AssistCandidate[]> {
  const db = await getDb();
  const q = query.trim().normalize("NFC");
  return db
    .select({
      residentId: residents.id,
      fullName: residents.fullName,
      birthYear: residents.birthYear,
      address: households.address,
      householdCode: households.code,
    })
    .from(residents)
    .innerJoin(households, eq(households.id, residents.householdId))
    .where(
      and(
        householdInGroup(actor),
        q
          ? or(
              ilike(residents.fullName, `%${q}%`),
              ilike(households.code, `%${q}%`),
              ilike(households.address, `%${q}%`),
            )
          : undefined,
      ),
    )
    .orderBy(asc(households.code), asc(residents.id))
    .limit(30);
}

export type StartAssistResult =
  | { ok: true; name: string }
  | { ok: false; reason: "not_in_team" | "no_session" };

/**
 * Starts assisting a resident of the member's group. A resident without an account of their
 * own gets a "managed" account (no sign-in details) to hold their progress; if they sign up
 * later and link to their roster record, that account becomes theirs.
 */
export async function startAssisting({
  request,
  actor,
  residentId,
}: {
  request: Request;
  actor: FieldActor;
  residentId: number;
}): Promise<StartAssistResult> {
  const id = sessionId(request);
  if (!id) return { ok: false, reason: "no_session" };
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [resident] = await tx
      .select({ id: residents.id, fullName: residents.fullName })
      .from(residents)
      .innerJoin(households, eq(households.id, residents.householdId))
      .where(and(eq(residents.id, residentId), householdInGroup(actor)));
    if (!resident) return { ok: false, reason: "not_in_team" } as const;
    await tx
      .insert(users)
      .values({ displayName: resident.fullName, role: "resident", residentId: resident.id })
      .onConflictDoNothing({ target: users.residentId });
    const [account] = await tx.select({ id: users.id }).from(users).where(eq(users.residentId, resident.id));
    await tx
      .update(sessions)
      .set({ assistingUserId: account!.id })
      .where(and(eq(sessions.id, id), eq(sessions.userId, actor.id)));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "assist.started",
      entity: "resident",
      entityId: resident.id,
      details: { learnerUserId: account!.id },
    });
    return { ok: true, name: resident.fullName } as const;
  });
}

export async function stopAssisting(request: Request): Promise<void> {
  const id = sessionId(request);
  if (!id) return;
  const db = await getDb();
  await db.update(sessions).set({ assistingUserId: null }).where(eq(sessions.id, id));
}

/** The group a member works in, for the assist page's heading. */
export async function memberGroupName(actor: FieldActor): Promise<string | null> {
  const db = await getDb();
  const [row] = await db
    .select({ name: residentialGroups.name })
    .from(residentialGroups)
    .where(eq(residentialGroups.id, actor.groupId));
  return row?.name ?? null;
}

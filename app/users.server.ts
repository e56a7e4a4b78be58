/** The administrator's view of accounts: find people, change their role (audited). */
import { and, asc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import { getDb } from "@db/client.server";
import { roles, teamMembers, users, type Role } from "@db/schema";
import { recordAudit } from "~/audit.server";
import { normalizeVietnamesePhone } from "~/phone";
import { invalidateUserSessions } from "~/session.server";
import type { Actor } from "~/access.server";

export const PAGE_SIZE = 50;

export async function listUsers(input: { query?: string; role?: Role | null; page?: number }) {
  const db = await getDb();
  const q = input.query?.trim();
  const phone = q ? normalizeVietnamesePhone(q) : null;
  const filters = [
    input.role ? eq(users.role, input.role) : undefined,
    q
      ? or(
          ilike(users.displayName, `%${q}%`),
          ilike(users.email, `%${q.toLowerCase()}%`),
          phone ? eq(users.phone, phone) : undefined,
        )
      : undefined,
  ].filter(Boolean);
  const page = Math.max(1, input.page ?? 1);
  const rows = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      email: users.email,
      phone: users.phone,
      role: users.role,
      managed: sql<boolean>`${users.passwordHash} is null`,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(asc(users.id))
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE);
  return { users: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE, page };
}

export type RoleChangeResult = { ok: true } | { ok: false; reason: "self" | "not_found" | "bad_role" };

/**
 * Changes a role; the person's sessions end (the session rules depend on the role). Leaving
 * member/leader ends the team membership; moving between member and leader keeps it.
 */
export async function changeRole(actor: Actor, userId: number, role: string): Promise<RoleChangeResult> {
  if (!(roles as readonly string[]).includes(role)) return { ok: false, reason: "bad_role" };
  if (userId === actor.id) return { ok: false, reason: "self" };
  const next = role as Role;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ role: users.role })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user) return { ok: false as const, reason: "not_found" as const };
    if (user.role === next) return { ok: true as const };
    await tx.update(users).set({ role: next, updatedAt: new Date() }).where(eq(users.id, userId));
    if (next === "member" || next === "leader") {
      await tx
        .update(teamMembers)
        .set({ role: next })
        .where(and(eq(teamMembers.userId, userId), isNull(teamMembers.endedAt)));
    } else {
      await tx
        .update(teamMembers)
        .set({ endedAt: new Date() })
        .where(and(eq(teamMembers.userId, userId), isNull(teamMembers.endedAt)));
    }
    await invalidateUserSessions(userId, tx);
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "user.role_changed",
      entity: "user",
      entityId: userId,
      details: { from: user.role, to: next },
    });
    return { ok: true as const };
  });
}

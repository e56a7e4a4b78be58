/**
 * Small builders for integration tests: a ward with a residential group, a team and people.
 * They write through drizzle directly so a test can set up exactly the rows it needs.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { actorFor, asFieldActor, type Actor, type FieldActor } from "~/access.server";
import { hashPassword } from "~/password.server";
import { sessionUserColumns, type SessionUser } from "~/session.server";

let counter = 0;
const next = () => ++counter;

export const TEST_PASSWORD = "mat-khau-thu-nghiem-1";
let cachedHash: Promise<string> | undefined;
export function testPasswordHash(): Promise<string> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return cachedHash;
}

export async function createWard() {
  const db = await getDb();
  const n = next();
  const [ward] = await db
    .insert(s.wards)
    .values({ code: `ward-${n}`, name: `Phường Thử ${n}` })
    .returning();
  return ward!;
}

export async function createGroup(wardId: number, name?: string) {
  const db = await getDb();
  const n = next();
  const [group] = await db
    .insert(s.residentialGroups)
    .values({ wardId, code: `TDP${n}`, name: name ?? `Tổ dân phố ${n}` })
    .returning();
  const [team] = await db
    .insert(s.teams)
    .values({ groupId: group!.id, name: `Tổ CNSCĐ ${group!.name}` })
    .returning();
  return { group: group!, team: team! };
}

export async function createHousehold(
  groupId: number,
  overrides: Partial<typeof s.households.$inferInsert> = {},
) {
  const db = await getDb();
  const n = next();
  const [household] = await db
    .insert(s.households)
    .values({ groupId, code: `HH-${n}`, linkCode: `LINK${n}X`, address: `${n} Ngô Quyền`, ...overrides })
    .returning();
  return household!;
}

export async function createResident(
  householdId: number,
  overrides: Partial<typeof s.residents.$inferInsert> = {},
) {
  const db = await getDb();
  const [resident] = await db
    .insert(s.residents)
    .values({ householdId, fullName: `Nguyễn Văn ${next()}`, birthYear: 1980, ...overrides })
    .returning();
  return resident!;
}

export async function createUser(overrides: Partial<typeof s.users.$inferInsert> = {}) {
  const db = await getDb();
  const n = next();
  const [user] = await db
    .insert(s.users)
    .values({
      displayName: `Người dùng ${n}`,
      email: `user${n}@example.vn`,
      passwordHash: await testPasswordHash(),
      role: "resident",
      consentAt: new Date(),
      ...overrides,
    })
    .returning();
  return user!;
}

export async function addMember(teamId: number, userId: number, role: "member" | "leader" = "member") {
  const db = await getDb();
  const [membership] = await db
    .insert(s.teamMembers)
    .values({ teamId, userId, role, badgeCode: `BADGE${next()}XYZ` })
    .returning();
  await db.update(s.users).set({ role }).where(eq(s.users.id, userId));
  return membership!;
}

/**
 * The actor a request of this user gets (`requireActor`): their role and team as the database has them now.
 */
export async function actorOf(userId: number): Promise<Actor> {
  const db = await getDb();
  const [user] = await db.select(sessionUserColumns).from(s.users).where(eq(s.users.id, userId));
  if (!user) throw new Error(`No user ${userId}`);
  return actorFor(user);
}

/** The actor a field-work request of this member or leader gets (`requireFieldWorker`). */
export async function fieldActorOf(userId: number): Promise<FieldActor> {
  const actor = asFieldActor(await actorOf(userId));
  if (!actor) throw new Error(`User ${userId} works in no team`);
  return actor;
}

/**
 * One ward's people and places for access tests: a residential group with its team (a leader and
 * a member), a second group of the same ward with its own team, a household with a resident whose
 * account was registered at the door (linked with consent), and the ward's office.
 */
export async function createWardWorld(label: string) {
  const ward = await createWard();
  const { group, team } = await createGroup(ward.id, `Tổ dân phố ${label}`);
  const other = await createGroup(ward.id, `Tổ dân phố ${label} khác`);
  const leader = await createUser({ role: "leader", phone: null });
  await addMember(team.id, leader.id, "leader");
  const member = await createUser({ role: "member", phone: null });
  await addMember(team.id, member.id, "member");
  const otherMember = await createUser({ role: "member", phone: null });
  await addMember(other.team.id, otherMember.id, "member");
  const household = await createHousehold(group.id);
  const resident = await createResident(household.id);
  const residentUser = await createUser({ residentId: resident.id, residentLinkConfirmedAt: new Date() });
  const otherHousehold = await createHousehold(other.group.id);
  const office = await createUser({ role: "office", wardId: ward.id });
  return {
    ward,
    group,
    team,
    other,
    leader,
    member,
    otherMember,
    household,
    resident,
    residentUser,
    otherHousehold,
    office,
  };
}

/** Two wards, A and B, each a `createWardWorld`: what A's people must never reach in B. */
export async function createTwoWards() {
  return { a: await createWardWorld("A"), b: await createWardWorld("B") };
}

/** The session's view of a user made by `createUser`, for domain functions that take one. */
export function sessionUser(u: {
  id: number;
  displayName: string;
  role: s.Role;
  wardId: number | null;
}): SessionUser {
  return {
    id: u.id,
    displayName: u.displayName,
    role: u.role,
    email: null,
    phone: null,
    wardId: u.wardId,
    residentId: null,
  };
}

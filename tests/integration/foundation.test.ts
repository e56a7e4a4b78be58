import { count, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { DEMO_PASSWORD, seedDemo } from "@db/seed";
import { checkCredentials, parseIdentifier } from "~/auth.server";
import { checkDatabase } from "~/startup.server";

describe("the demo ward", () => {
  it("is a believable ward, and seeding it twice changes nothing", async () => {
    const db = await getDb();
    const first = await seedDemo(
      db,
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q",
    );
    expect(first.created).toBe(true);
    const second = await seedDemo(db, "unused");
    expect(second.created).toBe(false);

    const [wards] = await db.select({ n: count() }).from(s.wards);
    const [groups] = await db.select({ n: count() }).from(s.residentialGroups);
    const [households] = await db.select({ n: count() }).from(s.households);
    const [residents] = await db.select({ n: count() }).from(s.residents);
    const [office] = await db.select({ n: count() }).from(s.users).where(eq(s.users.role, "office"));
    expect(wards!.n).toBe(1);
    expect(groups!.n).toBeGreaterThanOrEqual(6);
    expect(households!.n).toBeGreaterThanOrEqual(600);
    expect(residents!.n).toBeGreaterThanOrEqual(2000);
    expect(office!.n).toBe(1);
    expect(second).toMatchObject({ households: households!.n, residents: residents!.n });

    const teamSizes = await db
      .select({ teamId: s.teamMembers.teamId, n: count() })
      .from(s.teamMembers)
      .where(isNull(s.teamMembers.endedAt))
      .groupBy(s.teamMembers.teamId);
    expect(teamSizes).toHaveLength(groups!.n);
    for (const team of teamSizes) expect(team.n).toBeGreaterThanOrEqual(5);
    const leaders = await db
      .select({ teamId: s.teamMembers.teamId })
      .from(s.teamMembers)
      .where(eq(s.teamMembers.role, "leader"));
    expect(new Set(leaders.map((l) => l.teamId)).size).toBe(groups!.n);

    const names = await db.select({ fullName: s.residents.fullName }).from(s.residents).limit(50);
    // Vietnamese names with diacritics, not "Resident 1".
    expect(
      names.some((n) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(n.fullName)),
    ).toBe(true);
  });

  it("lets the demo leader sign in with the number as people type it", async () => {
    const db = await getDb();
    const { hashPassword } = await import("~/password.server");
    await db.delete(s.wards).where(eq(s.wards.code, "none"));
    const users = await db.select({ id: s.users.id }).from(s.users).where(eq(s.users.phone, "+84905000101"));
    if (users.length === 0) await seedDemo(db, await hashPassword(DEMO_PASSWORD));
    // The seed above may have used a stand-in hash; give the leader the real demo password.
    await db
      .update(s.users)
      .set({ passwordHash: await hashPassword(DEMO_PASSWORD) })
      .where(eq(s.users.phone, "+84905000101"));
    const leader = await checkCredentials(parseIdentifier("0905 000 101")!, DEMO_PASSWORD);
    expect(leader?.role).toBe("leader");
    expect(await checkCredentials(parseIdentifier("+84 905.000.101")!, "wrong password")).toBeNull();
  });

  it("answers the health check", async () => {
    await expect(checkDatabase()).resolves.toBeUndefined();
  });
});

describe("the database guards its rules", () => {
  it("refuses an impossible birth year", async () => {
    const db = await getDb();
    const [ward] = await db.insert(s.wards).values({ code: "guard", name: "Phường Kiểm tra" }).returning();
    const [group] = await db
      .insert(s.residentialGroups)
      .values({ wardId: ward!.id, code: "G1", name: "Tổ 1" })
      .returning();
    const [household] = await db
      .insert(s.households)
      .values({ groupId: group!.id, code: "G-1", linkCode: "GUARD001", address: "1 Hà Bổng" })
      .returning();
    await expect(
      db.insert(s.residents).values({ householdId: household!.id, fullName: "Lê Văn A", birthYear: 1850 }),
    ).rejects.toThrow();
  });
});

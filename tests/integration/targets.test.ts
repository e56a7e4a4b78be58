/**
 * Every target of the plan on a small ward whose answers were worked out by hand.
 *
 * Tổ 1 (group 1):
 *   H1 (not poor): R1 40 y, enterprise worker, all three core certificates, VNeID, DVC, BDHVS;
 *                  R2 16 y, high-school student, certificates for courses 1 and 3, VNeID.
 *                  Visited once (topic vneid, no DSC).
 *   H2 (poor):     R3 70 y, three core certificates but course 3 revoked, DSC installed, VNeID;
 *                  R4 17 y, high-school student, no account, nothing.  Never visited.
 *   H3 (near-poor):R5 30 y, enterprise worker and small trader, courses 1 and 2 only, VNeID, DVC.
 *                  Visited with topic dsc.
 *   Team: leader with the programme certificate, a member whose programme certificate was
 *   revoked, a former member (ended) who holds one.
 * Tổ 2 (group 2):
 *   H4: R6 15 y, high-school student, courses 1 and 3; R7 18 y, nothing. Team: one member, nothing.
 *
 * By hand, group 1: a 1/2 (R2), b 1/3 (R1 of R1,R3,R5), c 1/3, d 1/2 (R1 of R1,R5), đ 2/3 (H2 DSC,
 * H3 visit), e 2/3 (H1,H3), g 4/5 (R1,R2,R3,R5 of R1..R5), i 1/3 (H1), m 1/2.
 * Group 2: a 1/1, b 0/1, c 0/1, d 0/0, đ 0/1, e 0/1, g 0/1 (R7; R6 is 15), i 0/1, m 0/1.
 * Ward: a 2/3, b 1/4, c 1/4, d 1/2, đ 2/4, e 2/4, g 4/6, i 1/4, m 1/3.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import {
  computeGroupFigures,
  computeWardFigures,
  getCityView,
  getGroupWeekly,
  getWardDashboard,
  getWardWeekly,
  listMissing,
  refreshWard,
  setOfficialDenominators,
  setTargetACourses,
} from "~/targets.server";
import type { TargetFigure } from "~/targets";
import { currentYear, vnDay } from "~/format";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
} from "../support/factories";

const Y = currentYear();
let certN = 0;

async function certify(
  userId: number,
  courses: string[],
  options: { revoked?: string[]; issuedAt?: Date } = {},
) {
  const db = await getDb();
  for (const courseKey of courses) {
    await db.insert(s.certificates).values({
      code: `C${++certN}TEST`,
      userId,
      courseKey,
      holderName: "Người học",
      issuedAt: options.issuedAt ?? new Date("2026-03-04T03:00:00Z"),
      revokedAt: options.revoked?.includes(courseKey) ? new Date() : null,
    });
  }
}

async function skills(residentId: number, keys: s.SkillKey[]) {
  const db = await getDb();
  for (const skill of keys) {
    await db
      .insert(s.residentSkills)
      .values({ residentId, skill, method: "assisted", recordedAt: new Date("2026-03-05T03:00:00Z") });
  }
}

async function learner(residentId: number) {
  return createUser({ residentId, email: null, passwordHash: null });
}

const ALL = ["nen-tang-so", "dich-vu-cong-truc-tuyen", "an-toan-thong-tin"];

let wardId: number;
let g1: { id: number; wardId: number };
let g2: { id: number; wardId: number };
let names: Record<string, number> = {};
let leaderId: number;

function pairs(figures: TargetFigure[]) {
  return Object.fromEntries(figures.map((f) => [f.key, `${f.numerator}/${f.denominator}`]));
}

beforeAll(async () => {
  const db = await getDb();
  const ward = await createWard();
  wardId = ward.id;
  const one = await createGroup(ward.id, "Tổ dân phố 1");
  const two = await createGroup(ward.id, "Tổ dân phố 2");
  g1 = { id: one.group.id, wardId };
  g2 = { id: two.group.id, wardId };

  const h1 = await createHousehold(g1.id, { code: "H1" });
  const h2 = await createHousehold(g1.id, { code: "H2", povertyStatus: "poor" });
  const h3 = await createHousehold(g1.id, { code: "H3", povertyStatus: "near_poor" });
  const h4 = await createHousehold(g2.id, { code: "H4" });

  const r1 = await createResident(h1.id, { birthYear: Y - 40, isEnterpriseWorker: true });
  const r2 = await createResident(h1.id, { birthYear: Y - 16, isHighSchoolStudent: true });
  const r3 = await createResident(h2.id, { birthYear: Y - 70 });
  const r4 = await createResident(h2.id, {
    birthYear: Y - 17,
    isHighSchoolStudent: true,
    fullName: "Lê Thị Bốn",
  });
  const r5 = await createResident(h3.id, {
    birthYear: Y - 30,
    isEnterpriseWorker: true,
    isSmallTrader: true,
  });
  const r6 = await createResident(h4.id, { birthYear: Y - 15, isHighSchoolStudent: true });
  const r7 = await createResident(h4.id, { birthYear: Y - 18 });
  names = { r4: r4.id };

  await certify((await learner(r1.id)).id, ALL);
  await skills(r1.id, ["vneid_installed", "dvc_account", "bdhvs_confirmed"]);
  await certify((await learner(r2.id)).id, ["nen-tang-so", "an-toan-thong-tin"]);
  await skills(r2.id, ["vneid_installed"]);
  await certify((await learner(r3.id)).id, ALL, { revoked: ["an-toan-thong-tin"] });
  await skills(r3.id, ["dsc_installed", "vneid_installed"]);
  await certify((await learner(r5.id)).id, ["nen-tang-so", "dich-vu-cong-truc-tuyen"]);
  await skills(r5.id, ["vneid_installed", "dvc_account"]);
  await certify((await learner(r6.id)).id, ["nen-tang-so", "an-toan-thong-tin"]);
  void r7;

  const leader = await createUser();
  leaderId = leader.id;
  const member = await createUser({ displayName: "Phạm Văn Thiếu" });
  const former = await createUser();
  await addMember(one.team.id, leader.id, "leader");
  await addMember(one.team.id, member.id);
  const ended = await addMember(one.team.id, former.id);
  await db.update(s.teamMembers).set({ endedAt: new Date() }).where(eq(s.teamMembers.id, ended.id));
  await certify(leader.id, ["programme"]);
  await certify(member.id, ["programme"], { revoked: ["programme"] });
  await certify(former.id, ["programme"]);
  await addMember(two.team.id, (await createUser()).id);

  await db.insert(s.visits).values([
    { householdId: h1.id, memberUserId: leader.id, visitedOn: "2026-03-02", topics: ["vneid"] },
    { householdId: h3.id, memberUserId: leader.id, visitedOn: "2026-03-11", topics: ["dsc", "an_toan"] },
  ]);
});

describe("the plan's targets on a hand-worked ward", () => {
  it("each residential group's figures match the hand count", async () => {
    expect(pairs(await computeGroupFigures(g1))).toEqual({
      a: "1/2",
      b: "1/3",
      c: "1/3",
      d: "1/2",
      dd: "2/3",
      e: "2/3",
      g: "4/5",
      i: "1/3",
      m: "1/2",
    });
    expect(pairs(await computeGroupFigures(g2))).toEqual({
      a: "1/1",
      b: "0/1",
      c: "0/1",
      d: "0/0",
      dd: "0/1",
      e: "0/1",
      g: "0/1",
      i: "0/1",
      m: "0/1",
    });
  });

  it("the ward dashboard shows the ward total, each group, and which targets are met", async () => {
    const expected = {
      a: "2/3",
      b: "1/4",
      c: "1/4",
      d: "1/2",
      dd: "2/4",
      e: "2/4",
      g: "4/6",
      i: "1/4",
      m: "1/3",
    };
    expect(pairs((await computeWardFigures(wardId)).figures)).toEqual(expected);
    await refreshWard(wardId);
    const dashboard = await getWardDashboard({ id: wardId, code: "x", name: "x" });
    expect(pairs(dashboard.figures)).toEqual(expected);
    expect(dashboard.groups).toHaveLength(2);
    const group2 = dashboard.groups.find((g) => g.groupId === g2.id)!;
    const a2 = group2.figures.find((f) => f.key === "a")!;
    expect(a2).toMatchObject({ ratio: 1, met: true, source: "roster" });
    const d2 = group2.figures.find((f) => f.key === "d")!;
    expect(d2).toMatchObject({ ratio: null, met: false });
    const g = dashboard.figures.find((f) => f.key === "g")!;
    expect(g.met).toBe(false);

    const city = await getCityView();
    const row = city.wards.find((w) => w.wardId === wardId)!;
    expect(pairs(row.figures)).toEqual(expected);
  });

  it("an official denominator replaces the roster's for its group, and the page can say so", async () => {
    await setOfficialDenominators({
      group: g2,
      values: { b: 10 },
      actorUserId: (await createUser({ role: "office" })).id,
    });
    const b2 = (await computeGroupFigures(g2)).find((f) => f.key === "b")!;
    expect(b2).toMatchObject({ numerator: 0, denominator: 10, rosterDenominator: 1, source: "official" });
    await refreshWard(wardId);
    const dashboard = await getWardDashboard({ id: wardId, code: "x", name: "x" });
    const b = dashboard.figures.find((f) => f.key === "b")!;
    expect(b).toMatchObject({ numerator: 1, denominator: 13, rosterDenominator: 4, source: "mixed" });
    await setOfficialDenominators({ group: g2, values: { b: null }, actorUserId: null as unknown as number });
    expect((await computeGroupFigures(g2)).find((f) => f.key === "b")).toMatchObject({
      denominator: 1,
      source: "roster",
    });
  });

  it("lists who is still missing, priority groups flagged", async () => {
    const households = await listMissing(g1, "e");
    expect(households).toHaveLength(1);
    expect(households[0]).toMatchObject({ kind: "household", householdCode: "H2" });
    expect(households[0]!.priorities.sort()).toEqual(["elderly", "poor"]);

    const students = await listMissing(g1, "a");
    expect(students.map((p) => (p.kind === "person" ? p.residentId : 0))).toEqual([names.r4]);
    expect(students[0]!.priorities).toEqual(["poor"]);

    const members = await listMissing(g1, "m");
    expect(members).toEqual([expect.objectContaining({ kind: "member", displayName: "Phạm Văn Thiếu" })]);

    const workers = await listMissing(g1, "d");
    expect(workers).toHaveLength(1);
    expect(workers[0]!.priorities).toEqual(["near_poor", "trader"]);
  });

  it("counts completion week by week, from the first week anyone met it up to this week", async () => {
    const group = await getGroupWeekly(g1, "e", 520);
    expect(group.slice(0, 3)).toEqual([
      { weekStart: "2026-03-02", reached: 1, denominator: 3 },
      { weekStart: "2026-03-09", reached: 2, denominator: 3 },
      { weekStart: "2026-03-16", reached: 2, denominator: 3 },
    ]);
    expect(group.at(-1)).toMatchObject({ reached: 2, denominator: 3 });
    await refreshWard(wardId);
    const ward = await getWardWeekly(wardId, "e", 520);
    expect(ward.slice(0, 2)).toEqual([
      { weekStart: "2026-03-02", reached: 1, denominator: 4 },
      { weekStart: "2026-03-09", reached: 2, denominator: 4 },
    ]);
    expect(ward).toHaveLength(group.length);
  });

  it("a group's weekly chart reads the ward's stored weeks, with this week as it is now", async () => {
    await refreshWard(wardId);
    const before = await getGroupWeekly(g1, "e", 520);
    // A household of the group is added and visited today, after the history's refresh.
    const db = await getDb();
    const added = await createHousehold(g1.id, { code: "H5" });
    const [visit] = await db
      .insert(s.visits)
      .values({
        householdId: added.id,
        memberUserId: leaderId,
        visitedOn: vnDay(new Date()),
        topics: ["vneid"],
      })
      .returning();
    try {
      const after = await getGroupWeekly(g1, "e", 520);
      expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
      expect(after.at(-1)).toMatchObject({ reached: 3, denominator: 4 });
    } finally {
      await db.delete(s.visits).where(eq(s.visits.id, visit!.id));
      await db.delete(s.households).where(eq(s.households.id, added.id));
    }
  });

  it("counts, as of a past moment, what was true then", async () => {
    const figures = await computeGroupFigures(g1, { asOf: new Date("2026-03-10T00:00:00+07:00") });
    // R3's third certificate was revoked only today: on 10 March R3 held all three (b 2/3).
    expect(pairs(figures)).toMatchObject({ e: "1/3", dd: "1/3", b: "2/3" });
  });

  it("the office may change which courses target a asks of students", async () => {
    const office = await createUser({ role: "office", wardId });
    await setTargetACourses({ wardId, courses: ALL, actorUserId: office.id });
    expect(pairs((await computeWardFigures(wardId)).figures).a).toBe("0/3");
    const dashboard = await getWardDashboard({ id: wardId, code: "x", name: "x" });
    expect(pairs(dashboard.figures).a).toBe("0/3");
    await setTargetACourses({
      wardId,
      courses: ["nen-tang-so", "an-toan-thong-tin"],
      actorUserId: office.id,
    });
    expect(pairs((await computeWardFigures(wardId)).figures).a).toBe("2/3");
  });
});

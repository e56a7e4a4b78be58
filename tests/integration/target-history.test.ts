/**
 * The office's figures hold over time: a past quarter's report does not change when a member
 * leaves or a person's data is erased; past quarters count ages by their own year; each week has
 * its own denominator and keeps a skill withdrawn later; the first view of a ward has its weekly
 * figures; labels say where a denominator came from; an official denominator below what was
 * reached is capped in the totals; an impossible birth date is refused.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, queryRows } from "@db/client.server";
import * as s from "@db/schema";
import { buildExport } from "~/exports.server";
import { actorFor } from "~/access.server";
import { eraseForRequest, requestDeletion } from "~/privacy.server";
import { getTeamQuarterlyReport, getWardQuarterlyReport, type TeamInfo } from "~/reports.server";
import { checkRosterTable, parseBirthYear } from "~/roster.server";
import type { SessionUser } from "~/session.server";
import { parseQuarter, sourceLabel, type TargetFigure } from "~/targets";
import {
  computeWardFigures,
  getCityView,
  getGroupWeekly,
  getWardDashboard,
  getWardQuarterly,
  getWardWeekly,
  refreshWard,
  refreshWardHistory,
  refreshWardTargets,
  setOfficialDenominators,
} from "~/targets.server";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
  sessionUser,
} from "../support/factories";

const CORE = ["nen-tang-so", "dich-vu-cong-truc-tuyen", "an-toan-thong-tin"];
const Q3_2025 = parseQuarter("2025-Q3")!;
let certN = 0;

async function certify(userId: number, courses: string[], issuedAt: Date) {
  const db = await getDb();
  for (const courseKey of courses) {
    await db
      .insert(s.certificates)
      .values({ code: `H${++certN}HIST`, userId, courseKey, holderName: "Người học", issuedAt });
  }
}

/** What the stored weekly history says was reached, summed over its weeks. */
async function storedWeeklyReached(wardId: number, key: string): Promise<number> {
  const [row] = await queryRows<{ reached: number }>(
    await getDb(),
    sql`select coalesce(sum(reached), 0)::int as reached from target_group_weeks
        where ward_id = ${wardId} and target_key = ${key} and period = 'week'`,
  );
  return row!.reached;
}

function pick(figures: TargetFigure[], key: string) {
  const f = figures.find((x) => x.key === key)!;
  return `${f.numerator}/${f.denominator}`;
}

let ward: { id: number; code: string; name: string };
let group: { id: number; wardId: number };
let team: TeamInfo;
let office: SessionUser;
let memberUserId: number;
let learnerUserId: number;

beforeAll(async () => {
  const db = await getDb();
  ward = await createWard();
  const one = await createGroup(ward.id, "Tổ dân phố Lịch Sử");
  const two = await createGroup(ward.id, "Tổ dân phố Bên Cạnh");
  group = { id: one.group.id, wardId: ward.id };
  team = {
    teamId: one.team.id,
    teamName: one.team.name,
    groupId: one.group.id,
    groupName: one.group.name,
    wardId: ward.id,
    wardName: ward.name,
  };
  const o = await createUser({ role: "office", wardId: ward.id });
  office = sessionUser({ ...o, role: "office", wardId: ward.id });

  const h1 = await createHousehold(one.group.id, { code: "LS1" });
  const h2 = await createHousehold(one.group.id, { code: "LS2" });
  await createHousehold(two.group.id, { code: "BC1" });
  // An adult who finished the three core courses in 2025 Q3 and learned then.
  const adult = await createResident(h1.id, { birthYear: 1970, fullName: "Trần Văn Học" });
  const learner = await createUser({
    residentId: adult.id,
    email: null,
    passwordHash: null,
    displayName: "Trần Văn Học",
  });
  learnerUserId = learner.id;
  await certify(learner.id, CORE, new Date("2025-08-10T03:00:00Z"));
  await db.insert(s.lessonProgress).values({
    userId: learner.id,
    courseId: "nen-tang-so",
    lessonId: "01-to-cnscd-va-phuong-an-hai",
    readAt: new Date("2025-08-09T03:00:00Z"),
  });
  // Born 2008: 17 all through 2025, an adult from 1 January 2026.
  const young = await createResident(h2.id, { birthYear: 2008, fullName: "Lê Thị Trẻ" });
  // VNeID ticked in February 2026, withdrawn in April: it counted in between.
  await db.insert(s.skillRecords).values([
    {
      residentId: young.id,
      skill: "vneid_installed",
      value: true,
      method: "assisted",
      recordedAt: new Date("2026-02-03T03:00:00Z"),
    },
    {
      residentId: young.id,
      skill: "vneid_installed",
      value: false,
      method: "assisted",
      recordedAt: new Date("2026-04-07T03:00:00Z"),
    },
  ]);
  // A member who served from 2025 and earned the programme certificate in 2025 Q3.
  const member = await createUser({ displayName: "Phan Thị Thành Viên" });
  memberUserId = member.id;
  const membership = await addMember(one.team.id, member.id);
  await db
    .update(s.teamMembers)
    .set({ startedAt: new Date("2025-01-05T03:00:00Z") })
    .where(eq(s.teamMembers.id, membership.id));
  await certify(member.id, ["programme", "nen-tang-so"], new Date("2025-09-01T03:00:00Z"));
  await db.insert(s.lessonProgress).values({
    userId: member.id,
    courseId: "nen-tang-so",
    lessonId: "02-danang-smart-city",
    readAt: new Date("2025-08-20T03:00:00Z"),
  });
  // Visits: both households of group one.
  await db.insert(s.visits).values([
    { householdId: h1.id, memberUserId: member.id, visitedOn: "2025-08-01", topics: ["vneid"] },
    { householdId: h2.id, memberUserId: member.id, visitedOn: "2025-08-02", topics: ["vneid"] },
  ]);
});

describe("a past quarter's report states what happened in it", () => {
  it("stays the same when a member leaves the team afterwards", async () => {
    const before = await getTeamQuarterlyReport(team, Q3_2025);
    expect(before.total).toMatchObject({
      learners: 2,
      courseCertificates: 4,
      programmeCertificates: 1,
      visits: 2,
    });
    // What an admin's role change does: the membership ends today.
    const db = await getDb();
    await db.update(s.teamMembers).set({ endedAt: new Date() }).where(eq(s.teamMembers.userId, memberUserId));
    const after = await getTeamQuarterlyReport(team, Q3_2025);
    expect(after.total).toEqual(before.total);
    expect(after.certificatesByCourse).toEqual(before.certificatesByCourse);
    // Her membership is history: target m as of the end of 2025 Q3 still counts her.
    expect(pick(after.figures, "m")).toBe("1/1");
  });

  it("keeps its counts, not the names, after a data-deletion request is carried out", async () => {
    const before = await getWardQuarterlyReport(ward, Q3_2025);
    await requestDeletion(learnerUserId, null);
    const db = await getDb();
    const [request] = await db
      .select({ id: s.dataRequests.id })
      .from(s.dataRequests)
      .where(eq(s.dataRequests.userId, learnerUserId));
    expect(await eraseForRequest(await actorFor(office), request!.id)).toBe(true);
    const after = await getWardQuarterlyReport(ward, Q3_2025);
    expect(after.total).toMatchObject({
      learners: before.total.learners,
      courseCertificates: before.total.courseCertificates,
      skillsAdded: before.total.skillsAdded,
    });
    expect(after.certificatesByCourse).toEqual(before.certificatesByCourse);
    // What is kept names nobody: a group, a kind, a moment and a random token.
    const kept = await queryRows<{ person: string }>(db, sql`select distinct person from erased_activity`);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.person).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("ages and weeks as they were", () => {
  it("a past quarter counts ages by its own year", async () => {
    const q3 = await getWardQuarterlyReport(ward, Q3_2025);
    // Born 2008: not an adult in 2025 (b), but 16+ (g).
    const group1 = q3.groupFigures.find((g) => g.groupId === group.id)!;
    expect(group1.figures.find((f) => f.key === "b")!.denominator).toBe(0);
    expect(group1.figures.find((f) => f.key === "g")!.denominator).toBe(1);
    const now = await computeWardFigures(ward.id);
    expect(now.byGroup.get(group.id)!.find((f) => f.key === "b")!.denominator).toBe(1);
  });

  it("each week uses that week's denominator and keeps a skill withdrawn later", async () => {
    const weeks = await getGroupWeekly(group, "g", 520);
    const at = (day: string) => weeks.find((w) => w.weekStart === day);
    expect(at("2026-02-02")).toMatchObject({ reached: 1, denominator: 1 });
    expect(at("2026-03-30")).toMatchObject({ reached: 1, denominator: 1 });
    expect(at("2026-04-06")).toMatchObject({ reached: 0, denominator: 1 });
    await refreshWard(ward.id);
    const wardWeeks = await getWardWeekly(ward.id, "g", 520);
    expect(wardWeeks.find((w) => w.weekStart === "2026-02-02")).toMatchObject({ reached: 1 });
    // Both households were first visited in the week of 28 July 2025.
    const e = await getGroupWeekly(group, "e", 520);
    expect(e[0]).toMatchObject({ weekStart: "2025-07-28", reached: 2, denominator: 2 });
  });

  it("the quarterly trend shows each target at the end of each quarter", async () => {
    const series = await getWardQuarterly(ward.id, 8);
    const eIndex = series.quarters.findIndex((q) => q.key === "2025-Q3");
    expect(eIndex).toBeGreaterThanOrEqual(0);
    expect(series.byTarget.e[eIndex]).toMatchObject({ reached: 2, denominator: 3 });
    expect(series.byTarget.g[series.quarters.findIndex((q) => q.key === "2026-Q1")]).toMatchObject({
      reached: 1,
    });
  });
});

describe("the first view and the labels", () => {
  it("a ward's first view already has its weekly figures", async () => {
    const fresh = await createWard();
    const g = await createGroup(fresh.id);
    const h = await createHousehold(g.group.id);
    const db = await getDb();
    const u = await createUser();
    await db
      .insert(s.visits)
      .values({ householdId: h.id, memberUserId: u.id, visitedOn: "2026-11-02", topics: [] });
    // The dashboard and the weekly figures are asked for at once, as the page does.
    const [dashboard, weekly] = await Promise.all([getWardDashboard(fresh), getWardWeekly(fresh.id, "e")]);
    expect(pick(dashboard.figures, "e")).toBe("1/1");
    expect(weekly.length).toBeGreaterThan(0);
    expect(weekly.at(-1)).toMatchObject({ reached: 1, denominator: 1 });
  });

  it("the history is refreshed apart from the summary, and this week's point is the summary's", async () => {
    const fresh = await createWard();
    const g = await createGroup(fresh.id);
    const first = await createHousehold(g.group.id);
    const second = await createHousehold(g.group.id);
    const db = await getDb();
    const u = await createUser();
    await db
      .insert(s.visits)
      .values({ householdId: first.id, memberUserId: u.id, visitedOn: "2026-11-02", topics: [] });
    await refreshWard(fresh.id);
    const [stamp] = await db
      .select({ at: s.targetRefreshes.historyRefreshedAt })
      .from(s.targetRefreshes)
      .where(eq(s.targetRefreshes.wardId, fresh.id));
    expect(stamp?.at).toBeInstanceOf(Date);
    // A visit today, then only the summary is recomputed (as the background refresh does every
    // few minutes): the stored history still ends at 1 of 2, the chart's last point says 2 of 2.
    await db.insert(s.visits).values({
      householdId: second.id,
      memberUserId: u.id,
      visitedOn: new Date().toISOString().slice(0, 10),
      topics: [],
    });
    await refreshWardTargets(fresh.id);
    expect(await storedWeeklyReached(fresh.id, "e")).toBe(1);
    const weekly = await getWardWeekly(fresh.id, "e");
    expect(weekly.at(-1)).toMatchObject({ reached: 2, denominator: 2 });
    const quarterly = await getWardQuarterly(fresh.id, 2);
    expect(quarterly.byTarget.e.at(-1)).toMatchObject({ reached: 2, denominator: 2 });
    // The history's own refresh then stores it.
    await refreshWardHistory(fresh.id);
    expect(await storedWeeklyReached(fresh.id, "e")).toBe(2);
  });

  it("target m's denominator is the Tổ's members, not the resident roster", async () => {
    expect(sourceLabel("m", "roster")).toBe("theo danh sách thành viên Tổ");
    const table = await buildExport(
      await actorFor(office),
      new URLSearchParams({ table: "ward-targets", ward: String(ward.id) }),
    );
    const m = table.rows.find((r) => r[0] === "m")!;
    expect(m).toContain("theo danh sách thành viên Tổ");
  });

  it("an official denominator below what was reached warns and is capped in the totals", async () => {
    // Group one has 2 households, both visited; the office says it has only 1.
    await setOfficialDenominators({ group, values: { e: 1 }, actorUserId: office.id });
    await refreshWard(ward.id);
    const dashboard = await getWardDashboard(ward);
    const e = dashboard.figures.find((f) => f.key === "e")!;
    // Group one counts 1 of 1, group two 0 of 1: 1 of 2, not 2 of 2.
    expect(e).toMatchObject({ numerator: 1, denominator: 2, source: "mixed", cappedGroups: 1 });
    const live = await computeWardFigures(ward.id);
    expect(pick(live.figures, "e")).toBe("1/2");
  });

  it("the city total says 'partly official' when its wards are only partly official", async () => {
    // Every ward of this test city has an official figure for e in one group only.
    const db = await getDb();
    const wards = await db.select({ id: s.wards.id }).from(s.wards);
    for (const w of wards) {
      if (w.id !== ward.id) {
        const first = await db
          .select({ id: s.residentialGroups.id })
          .from(s.residentialGroups)
          .where(eq(s.residentialGroups.wardId, w.id));
        await createGroup(w.id);
        await setOfficialDenominators({
          group: { id: first[0]!.id, wardId: w.id },
          values: { e: 5 },
          actorUserId: office.id,
        });
      }
      await refreshWard(w.id);
    }
    const city = await getCityView();
    expect(city.figures.find((f) => f.key === "e")!.source).toBe("mixed");
  });
});

describe("the roster import", () => {
  it("refuses a birth date that is not on the calendar", () => {
    expect(parseBirthYear("31/02/1960")).toBeNull();
    expect(parseBirthYear("29/02/1961")).toBeNull();
    expect(parseBirthYear("29/02/1960")).toBe(1960);
    expect(parseBirthYear("1960-02-31")).toBeNull();
    const checked = checkRosterTable(
      [
        ["Mã hộ", "Tổ dân phố", "Địa chỉ", "Họ và tên", "Năm sinh"],
        ["X1", "TDP-X", "1 Lê Lợi", "Ngô Văn Lịch", "31/02/1960"],
      ],
      [{ id: 1, code: "TDP-X", name: "Tổ X" }],
      2026,
    );
    expect(JSON.stringify(checked)).toContain("không có trên lịch");
  });
});

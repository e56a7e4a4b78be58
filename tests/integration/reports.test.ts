/**
 * Exports parse back to the figures the pages show; the quarterly report counts what happened in
 * the quarter; a leader writes the team's difficulties, the office reads them.
 *
 * The ward: one group, three households. In 2026 Q1: H1 visited twice (Jan 10, Mar 20), H2 visited
 * once (Feb 2); H3 was visited in 2025 Q4 only. A resident of H1 read a lesson in Q1 and got the
 * certificate of course 1 in Q1; skills: 2 recorded and 1 withdrawn in Q1, 1 recorded in Q2.
 * By hand, Q1: visits 3, households visited 2, first reached 2 (H3 was first reached in 2025),
 * learners 1, course certificates 1, skills added 2, withdrawn 1. Target e at the end of Q1: 3/3.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { buildExport, reportTables, toCsv, toXlsx } from "~/exports.server";
import { actorFor } from "~/access.server";
import {
  getTeamQuarterlyReport,
  getWardQuarterlyReport,
  requireTeamReportAccess,
  saveTeamNotes,
  type TeamInfo,
} from "~/reports.server";
import type { SessionUser } from "~/session.server";
import { parseQuarter } from "~/targets";
import { currentYear } from "~/format";
import { CORE_COURSE_IDS, PROGRAMME_KEY, PROGRAMME_TITLE } from "~/vocabulary";
import { computeGroupFigures, getWardDashboard } from "~/targets.server";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
  sessionUser,
} from "../support/factories";

const Y = currentYear();
let office: SessionUser;
let leader: SessionUser;
let member: SessionUser;
let otherLeader: SessionUser;
let team: TeamInfo;
let group: { id: number; wardId: number };
let wardId: number;

beforeAll(async () => {
  const db = await getDb();
  const ward = await createWard();
  wardId = ward.id;
  const { group: g, team: t } = await createGroup(ward.id, "Tổ dân phố Một");
  group = { id: g.id, wardId };
  const other = await createGroup(ward.id, "Tổ dân phố Hai");
  const h1 = await createHousehold(g.id, { code: "H1" });
  const h2 = await createHousehold(g.id, { code: "H2", povertyStatus: "poor" });
  const h3 = await createHousehold(g.id, { code: "H3" });
  const r1 = await createResident(h1.id, { birthYear: Y - 45, fullName: "Trần Thị Học" });
  await createResident(h2.id, { birthYear: Y - 70 });
  await createResident(h3.id, { birthYear: Y - 30 });
  const learner = await createUser({ residentId: r1.id, email: null, passwordHash: null });

  const l = await createUser({ displayName: "Tổ trưởng Một", role: "leader" });
  const m = await createUser({ displayName: "Thành viên Một" });
  const ol = await createUser({ displayName: "Tổ trưởng Hai" });
  await addMember(t.id, l.id, "leader");
  await addMember(t.id, m.id);
  await addMember(other.team.id, ol.id, "leader");
  leader = sessionUser({ ...l, role: "leader", wardId: null });
  member = sessionUser({ ...m, role: "member", wardId: null });
  otherLeader = sessionUser({ ...ol, role: "leader", wardId: null });
  const o = await createUser({ role: "office", wardId: ward.id, displayName: "Văn phòng" });
  office = sessionUser({ ...o, wardId: ward.id });

  await db.insert(s.visits).values([
    { householdId: h1.id, memberUserId: l.id, visitedOn: "2026-01-10", topics: ["vneid"] },
    { householdId: h1.id, memberUserId: l.id, visitedOn: "2026-03-20", topics: ["dsc"] },
    { householdId: h2.id, memberUserId: m.id, visitedOn: "2026-02-02", topics: ["vneid"] },
    { householdId: h3.id, memberUserId: m.id, visitedOn: "2025-12-15", topics: ["vneid"] },
  ]);
  await db.insert(s.lessonProgress).values({
    userId: learner.id,
    courseId: "nen-tang-so",
    lessonId: "bai-1",
    readAt: new Date("2026-02-03T02:00:00Z"),
  });
  await db.insert(s.certificates).values({
    code: "REPQ1A",
    userId: learner.id,
    courseKey: "nen-tang-so",
    holderName: "Trần Thị Học",
    issuedAt: new Date("2026-02-04T02:00:00Z"),
  });
  await db.insert(s.skillRecords).values([
    {
      residentId: r1.id,
      skill: "vneid_installed",
      method: "assisted",
      recordedAt: new Date("2026-01-10T03:00:00Z"),
    },
    {
      residentId: r1.id,
      skill: "dsc_installed",
      method: "assisted",
      recordedAt: new Date("2026-03-20T03:00:00Z"),
    },
    {
      residentId: r1.id,
      skill: "dsc_installed",
      value: false,
      method: "assisted",
      recordedAt: new Date("2026-03-21T03:00:00Z"),
    },
    { residentId: r1.id, skill: "dvc_account", method: "self", recordedAt: new Date("2026-04-02T03:00:00Z") },
  ]);
  team = (await requireTeamReportAccess(await actorFor(office), t.id)).team;
});

describe("the quarterly report", () => {
  it("counts what the team did in the quarter", async () => {
    const report = await getTeamQuarterlyReport(team, parseQuarter("2026-Q1")!);
    expect(report.total).toEqual({
      visits: 3,
      householdsVisited: 2,
      householdsFirstReached: 2,
      learners: 1,
      courseCertificates: 1,
      programmeCertificates: 0,
      skillsAdded: 2,
      skillsWithdrawn: 1,
    });
    expect(report.certificatesByCourse).toEqual([
      expect.objectContaining({ courseKey: "nen-tang-so", count: 1 }),
    ]);
    expect(report.figures.find((f) => f.key === "e")).toMatchObject({
      numerator: 3,
      denominator: 3,
      met: true,
    });
    const q4 = await getTeamQuarterlyReport(team, parseQuarter("2025-Q4")!);
    expect(q4.total.visits).toBe(1);
    expect(q4.figures.find((f) => f.key === "e")).toMatchObject({ numerator: 1, denominator: 3 });
  });

  it("lets the leader write the team's difficulties, which the ward-wide report shows", async () => {
    expect((await requireTeamReportAccess(await actorFor(leader), team.teamId)).canEdit).toBe(true);
    expect((await requireTeamReportAccess(await actorFor(member), team.teamId)).canEdit).toBe(false);
    await expect(requireTeamReportAccess(await actorFor(otherLeader), team.teamId)).rejects.toMatchObject({
      status: 403,
    });

    const q1 = parseQuarter("2026-Q1")!;
    await saveTeamNotes({
      teamId: team.teamId,
      quarter: q1,
      difficulties: "Nhiều cụ già chưa có điện thoại thông minh.",
      proposals: "Mượn máy của Đoàn.",
      actorUserId: leader.id,
    });
    const ward = await getWardQuarterlyReport({ id: wardId, name: "Phường" }, q1);
    expect(ward.notes.find((n) => n.teamId === team.teamId)).toMatchObject({
      difficulties: "Nhiều cụ già chưa có điện thoại thông minh.",
      proposals: "Mượn máy của Đoàn.",
    });
    expect(ward.activity).toHaveLength(2);
    expect(ward.total.visits).toBe(3);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(reportTables(ward))).buffer as ArrayBuffer);
    const notes = workbook.getWorksheet("notes")!;
    expect(notes.getRow(3).values).toEqual([
      undefined,
      team.teamName,
      "Nhiều cụ già chưa có điện thoại thông minh.",
      "Mượn máy của Đoàn.",
    ]);
    const activity = workbook.getWorksheet("activity")!;
    const totalRow = activity.getRow(5).values as unknown[];
    expect(totalRow.slice(1)).toEqual(["Toàn phường", undefined, 3, 2, 2, 1, 1, 0, 2, 1].map((v) => v));
  });
});

describe("exports", () => {
  it("a group's target table parses back, as CSV and as XLSX, to the figures on the page", async () => {
    const figures = await computeGroupFigures(group);
    const table = await buildExport(
      await actorFor(office),
      new URLSearchParams({ table: "group-targets", group: String(group.id) }),
    );

    const csv = parse(toCsv(table), { bom: true }) as string[][];
    expect(csv[0]).toEqual(table.columns);
    for (const f of figures) {
      const row = csv.find((r) => r[0] === (f.key === "dd" ? "đ" : f.key))!;
      expect([Number(row[2]), Number(row[3])]).toEqual([f.numerator, f.denominator]);
    }
    const eRow = csv.find((r) => r[0] === "e")!;
    expect(eRow.slice(2, 7)).toEqual(["3", "3", "100", "100", "Đạt"]);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx([table])).buffer as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const rows: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 2) rows.push((row.values as unknown[]).slice(1));
    });
    for (const f of figures) {
      const row = rows.find((r) => r[0] === (f.key === "dd" ? "đ" : f.key))!;
      expect([row[2], row[3]]).toEqual([f.numerator, f.denominator]);
    }
  });

  it("the ward's per-group table and the missing list export the same numbers", async () => {
    const dashboard = await getWardDashboard({ id: wardId, code: "x", name: "Phường" });
    const table = await buildExport(
      await actorFor(office),
      new URLSearchParams({ table: "ward-groups", ward: String(wardId) }),
    );
    const csv = parse(toCsv(table), { bom: true }) as string[][];
    const total = csv.find((r) => r[0] === "Toàn phường")!;
    const eAt = table.columns.indexOf("e đã đạt");
    const e = dashboard.figures.find((f) => f.key === "e")!;
    expect([Number(total[eAt]), Number(total[eAt + 1])]).toEqual([e.numerator, e.denominator]);

    const missing = await buildExport(
      await actorFor(office),
      new URLSearchParams({ table: "missing", group: String(group.id), target: "b" }),
    );
    const rows = parse(toCsv(missing), { bom: true }) as string[][];
    // Three adults, nobody has the three core certificates.
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toHaveLength(3);
    expect(rows.slice(1).find((r) => r[0] === "Trần Thị Học")).toBeTruthy();
  });

  it("each table of the quarterly report exports as CSV with the report's numbers", async () => {
    const params = (table: string) =>
      new URLSearchParams({ table, team: String(team.teamId), quarter: "2026-Q1" });
    const skills = parse(toCsv(await buildExport(await actorFor(office), params("report-skills"))), {
      bom: true,
    }) as string[][];
    expect(skills.slice(1)).toEqual([
      ["Đã cài VNeID", "1", "0"],
      ["Đã cài Danang Smart City", "1", "1"],
    ]);
    const certificates = parse(
      toCsv(await buildExport(await actorFor(office), params("report-certificates"))),
      { bom: true },
    ) as string[][];
    expect(certificates.slice(1)).toEqual([["Nền tảng số của thành phố và quốc gia", "1"]]);
    await expect(buildExport(await actorFor(office), params("report-nothing"))).rejects.toMatchObject({
      status: 400,
    });
  });

  it("refuses a table of another ward, or to a leader", async () => {
    const stranger = sessionUser({
      ...(await createUser({ role: "office" })),
      role: "office",
      wardId: wardId + 1000,
    });
    await expect(
      buildExport(
        await actorFor(stranger),
        new URLSearchParams({ table: "ward-targets", ward: String(wardId) }),
      ),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      buildExport(
        await actorFor(leader),
        new URLSearchParams({ table: "group-targets", group: String(group.id) }),
      ),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      buildExport(await actorFor(office), new URLSearchParams({ table: "city" })),
    ).rejects.toMatchObject({ status: 403 });
    // A leader exports their own team's report.
    const own = await buildExport(
      await actorFor(leader),
      new URLSearchParams({ table: "report-activity", team: String(team.teamId), quarter: "2026-Q1" }),
    );
    expect(own.rows[0]![2]).toBe(3);
  });
});

describe("course titles in the report and its export", () => {
  /** Read straight from the content tree, the way a course's author wrote it. */
  const yamlTitle = (courseId: string) =>
    (
      parseYaml(fs.readFileSync(path.resolve("content/courses", courseId, "course.yaml"), "utf8")) as {
        title: string;
      }
    ).title;

  it("are the titles each course.yaml gives, and the programme's one title", async () => {
    const ward = await createWard();
    const { group: g } = await createGroup(ward.id);
    const resident = await createResident((await createHousehold(g.id)).id, {
      birthYear: Y - 40,
      fullName: "Lê Văn Tên",
    });
    const learner = await createUser({ residentId: resident.id, email: null, passwordHash: null });
    const keys = [...CORE_COURSE_IDS, PROGRAMME_KEY];
    const db = await getDb();
    await db.insert(s.certificates).values(
      keys.map((courseKey, i) => ({
        code: `TITLE${i}`,
        userId: learner.id,
        courseKey,
        holderName: "Lê Văn Tên",
        issuedAt: new Date("2026-05-04T02:00:00Z"),
      })),
    );
    const expected = new Map<string, string>([
      ...CORE_COURSE_IDS.map((id) => [id, yamlTitle(id)] as const),
      [PROGRAMME_KEY, PROGRAMME_TITLE],
    ]);

    const report = await getWardQuarterlyReport({ id: ward.id, name: ward.name }, parseQuarter("2026-Q2")!);
    expect(new Map(report.certificatesByCourse.map((c) => [c.courseKey, c.title]))).toEqual(expected);

    const exported = reportTables(report).find((t) => t.name === "certificates")!;
    expect(new Map(exported.rows.map(([title, count]) => [title, count]))).toEqual(
      new Map([...expected.values()].map((title) => [title, 1])),
    );
    // The two the report used to print from a list of its own.
    expect(exported.rows.map((r) => r[0])).toEqual(
      expect.arrayContaining([
        "Nộp hồ sơ trực tuyến và thanh toán",
        "An toàn thông tin cơ bản trong cộng đồng",
      ]),
    );
  });
});

/**
 * Every table the office sees, as CSV (csv-stringify, UTF-8 with a BOM so Excel shows Vietnamese
 * correctly) and XLSX (exceljs). A table is built once, from the same domain calls as its page.
 */
import { stringify } from "csv-stringify/sync";
import { forbidden } from "~/permissions.server";
import { requireId } from "~/request.server";
import { canSeeCity, requireGroup, requireWard, type Actor } from "~/access.server";
import { priorityLabels, teamRoleLabels } from "~/vocabulary";
import {
  TARGETS,
  isTargetKey,
  parseQuarter,
  sourceLabel,
  targetByKey,
  unitLabels,
  type TargetFigure,
} from "~/targets";
import {
  computeGroupFigures,
  getCityView,
  getGroupWeekly,
  getWardDashboard,
  getWardWeekly,
  listMissing,
} from "~/targets.server";
import {
  getTeamQuarterlyReport,
  getWardQuarterlyReport,
  requireTeamReportAccess,
  type QuarterlyReport,
} from "~/reports.server";

export type Cell = string | number | null;

export interface ExportTable {
  /** File and sheet name (ASCII). */
  name: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

const pct = (f: TargetFigure): number | null => (f.ratio === null ? null : Math.round(f.ratio * 1000) / 10);
const result = (f: TargetFigure) => (f.ratio === null ? "Chưa có số liệu" : f.met ? "Đạt" : "Chưa đạt");

function targetRows(figures: TargetFigure[]): Cell[][] {
  return figures.map((f) => {
    const t = targetByKey[f.key];
    return [
      t.letter,
      t.title,
      f.numerator,
      f.denominator,
      pct(f),
      t.threshold,
      result(f),
      sourceLabel(f.key, f.source),
      f.rosterDenominator,
    ];
  });
}
const targetColumns = [
  "Chỉ tiêu",
  "Nội dung",
  "Đã đạt",
  "Tổng số",
  "Tỷ lệ (%)",
  "Yêu cầu (%)",
  "Kết quả",
  "Nguồn tổng số",
  "Tổng số theo danh sách",
];

function perTargetColumns(): string[] {
  return TARGETS.flatMap((t) => [`${t.letter} đã đạt`, `${t.letter} tổng số`, `${t.letter} tỷ lệ (%)`]);
}
function perTargetCells(figures: TargetFigure[]): Cell[] {
  return figures.flatMap((f) => [f.numerator, f.denominator, pct(f)]);
}

/** The table a query asks for, if the actor may see it: 400 for a bad query, 403/404 as the pages. */
export async function buildExport(actor: Actor, params: URLSearchParams): Promise<ExportTable> {
  const table = params.get("table");
  const id = (name: string) => requireId(params.get(name), "Không tìm thấy số liệu được hỏi.");
  switch (table) {
    case "city": {
      if (!canSeeCity(actor)) throw forbidden();
      const city = await getCityView();
      return {
        name: "toan-thanh-pho",
        title: "Tiến độ chỉ tiêu theo phường, xã",
        columns: ["Phường, xã", ...perTargetColumns()],
        rows: [
          ...city.wards.map((w) => [w.name, ...perTargetCells(w.figures)]),
          ["Toàn thành phố", ...perTargetCells(city.figures)],
        ],
      };
    }
    case "ward-targets": {
      const ward = await requireWard(actor, id("ward"));
      const d = await getWardDashboard(ward);
      return {
        name: `chi-tieu-phuong-${ward.id}`,
        title: `Các chỉ tiêu – ${ward.name}`,
        columns: targetColumns,
        rows: targetRows(d.figures),
      };
    }
    case "ward-groups": {
      const ward = await requireWard(actor, id("ward"));
      const d = await getWardDashboard(ward);
      return {
        name: `chi-tieu-cac-to-phuong-${ward.id}`,
        title: `Chỉ tiêu theo tổ dân phố – ${ward.name}`,
        columns: ["Tổ dân phố", "Tổ CNSCĐ", ...perTargetColumns()],
        rows: [
          ...d.groups.map((g) => [g.name, g.teamName, ...perTargetCells(g.figures)]),
          ["Toàn phường", null, ...perTargetCells(d.figures)],
        ],
      };
    }
    case "group-targets": {
      const group = await requireGroup(actor, id("group"));
      const figures = await computeGroupFigures(group);
      return {
        name: `chi-tieu-to-${group.id}`,
        title: `Các chỉ tiêu – ${group.name}, ${group.wardName}`,
        columns: targetColumns,
        rows: targetRows(figures),
      };
    }
    case "weekly": {
      const key = params.get("target");
      if (!isTargetKey(key)) throw new Response("Không có chỉ tiêu này.", { status: 400 });
      let points;
      let where;
      let file;
      if (params.get("group")) {
        const group = await requireGroup(actor, id("group"));
        points = await getGroupWeekly(group, key);
        where = group.name;
        file = `to-${group.id}`;
      } else {
        const ward = await requireWard(actor, id("ward"));
        points = await getWardWeekly(ward.id, key);
        where = ward.name;
        file = `phuong-${ward.id}`;
      }
      return {
        name: `theo-tuan-${key}-${file}`,
        title: `Chỉ tiêu ${targetByKey[key].letter} theo tuần – ${where}`,
        columns: ["Tuần bắt đầu", "Đã đạt (cuối tuần)", "Tổng số (cuối tuần)", "Tỷ lệ (%)"],
        rows: points.map((p) => [
          p.weekStart,
          p.reached,
          p.denominator,
          p.denominator > 0 ? Math.round(Math.min(p.reached / p.denominator, 1) * 1000) / 10 : null,
        ]),
      };
    }
    case "missing": {
      const key = params.get("target");
      if (!isTargetKey(key)) throw new Response("Không có chỉ tiêu này.", { status: 400 });
      const group = await requireGroup(actor, id("group"));
      // As the page lists them: the priority groups first, then everyone else, each in the page's order.
      const listed = await listMissing(group, key);
      const missing = [
        ...listed.filter((m) => m.priorities.length > 0),
        ...listed.filter((m) => m.priorities.length === 0),
      ];
      const t = targetByKey[key];
      const prio = (p: (typeof missing)[number]["priorities"]) => p.map((k) => priorityLabels[k]).join(", ");
      const base = {
        name: `con-thieu-${key}-to-${group.id}`,
        title: `Còn thiếu ở chỉ tiêu ${t.letter} – ${group.name} (${unitLabels[t.unit]})`,
      };
      if (t.unit === "household") {
        return {
          ...base,
          columns: ["Mã hộ", "Địa chỉ", "Số người", "Thành viên phụ trách", "Nhóm ưu tiên"],
          rows: missing.map((m) =>
            m.kind === "household"
              ? [m.householdCode, m.address, m.people, m.assignedTo, prio(m.priorities)]
              : [],
          ),
        };
      }
      if (t.unit === "member") {
        return {
          ...base,
          columns: ["Họ và tên", "Vai trò", "Đơn vị"],
          rows: missing.map((m) =>
            m.kind === "member" ? [m.displayName, teamRoleLabels[m.role], m.affiliation] : [],
          ),
        };
      }
      return {
        ...base,
        columns: ["Họ và tên", "Năm sinh", "Mã hộ", "Địa chỉ", "Thành viên phụ trách", "Nhóm ưu tiên"],
        rows: missing.map((m) =>
          m.kind === "person"
            ? [m.fullName, m.birthYear, m.householdCode, m.address, m.assignedTo, prio(m.priorities)]
            : [],
        ),
      };
    }
    case "report-activity":
    case "report-targets":
    case "report-targets-by-group":
    case "report-notes":
    case "report-certificates":
    case "report-skills": {
      const report = await reportFromParams(actor, params);
      const found = reportTables(report).find((t) => t.name === table.replace("report-", ""));
      if (!found) throw new Response("Báo cáo này không có bảng đó.", { status: 400 });
      // The file says whose report and which quarter: bao-cao-2026-Q4-phuong-1-activity.csv
      return { ...found, name: `${reportFileName(report)}-${found.name}` };
    }
    default:
      throw new Response("Không có bảng này.", { status: 400 });
  }
}

export async function reportFromParams(actor: Actor, params: URLSearchParams): Promise<QuarterlyReport> {
  const quarter = parseQuarter(params.get("quarter"));
  if (!quarter) throw new Response("Quý không hợp lệ.", { status: 400 });
  if (params.get("team")) {
    const { team } = await requireTeamReportAccess(
      actor,
      requireId(params.get("team"), "Không tìm thấy Tổ."),
    );
    return getTeamQuarterlyReport(team, quarter);
  }
  const ward = await requireWard(actor, requireId(params.get("ward"), "Không tìm thấy phường."));
  return getWardQuarterlyReport(ward, quarter);
}

/** bao-cao-2026-Q4-phuong-3 or bao-cao-2026-Q4-to-12: a report's files are told apart by name. */
export function reportFileName(report: QuarterlyReport): string {
  const who =
    report.kind === "team"
      ? `to-${report.notes[0]?.teamId ?? report.activity[0]?.teamId ?? ""}`
      : `phuong-${report.wardId}`;
  return `bao-cao-${report.quarter.key}-${who}`;
}

/** The quarterly report's tables: activity, targets (and per group for a ward), notes, breakdowns. */
export function reportTables(report: QuarterlyReport): ExportTable[] {
  const activityColumns = [
    "Tổ dân phố",
    "Tổ CNSCĐ",
    "Lượt đến hộ",
    "Hộ được đến",
    "Hộ lần đầu được đến",
    "Người học",
    "Chứng nhận khoá học",
    "Chứng nhận chương trình",
    "Kỹ năng được ghi nhận",
    "Kỹ năng được gỡ bỏ",
  ];
  const a = (
    r: Omit<QuarterlyReport["activity"][number], "groupId" | "groupName" | "teamId" | "teamName">,
  ) => [
    r.visits,
    r.householdsVisited,
    r.householdsFirstReached,
    r.learners,
    r.courseCertificates,
    r.programmeCertificates,
    r.skillsAdded,
    r.skillsWithdrawn,
  ];
  const targetsScope = report.running ? "chỉ tiêu đến nay (quý chưa kết thúc)" : "chỉ tiêu đến hết quý";
  const tables: ExportTable[] = [
    {
      name: "activity",
      title: `${report.title}: việc đã làm trong quý`,
      columns: activityColumns,
      rows: [
        ...report.activity.map((r) => [r.groupName, r.teamName, ...a(r)]),
        ...(report.kind === "ward" ? [["Toàn phường", null, ...a(report.total)]] : []),
      ],
    },
    {
      name: "targets",
      title: `${report.title}: ${targetsScope}`,
      columns: targetColumns,
      rows: targetRows(report.figures),
    },
  ];
  if (report.groupFigures.length > 0) {
    tables.push({
      name: "targets-by-group",
      title: `${report.title}: chỉ tiêu theo tổ dân phố`,
      columns: ["Tổ dân phố", ...perTargetColumns()],
      rows: report.groupFigures.map((g) => [g.groupName, ...perTargetCells(g.figures)]),
    });
  }
  tables.push(
    {
      name: "notes",
      title: `${report.title}: khó khăn, vướng mắc và đề xuất`,
      columns: ["Tổ CNSCĐ", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"],
      rows: report.notes.map((n) => [n.teamName, n.difficulties, n.proposals]),
    },
    {
      name: "certificates",
      title: `${report.title}: chứng nhận cấp trong quý`,
      columns: ["Khoá học", "Số chứng nhận"],
      rows: report.certificatesByCourse.map((c) => [c.title, c.count]),
    },
    {
      name: "skills",
      title: `${report.title}: thay đổi bảng kỹ năng trong quý`,
      columns: ["Kỹ năng", "Ghi nhận", "Gỡ bỏ"],
      rows: report.skillsBySkill.map((s) => [s.label, s.added, s.withdrawn]),
    },
  );
  return tables;
}

/**
 * A text cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, or a
 * leading tab or carriage return) gets a leading apostrophe, OWASP's advice for CSV injection:
 * the resident named `=HYPERLINK("http://evil.example")` is shown as that text, never run.
 * Numbers stay numbers.
 */
export function csvSafe(cell: Cell): string | number {
  if (cell === null) return "";
  if (typeof cell === "string" && /^[=+\-@\t\r]/.test(cell)) return `'${cell}`;
  return cell;
}

export function toCsv(table: ExportTable): string {
  return (
    "\uFEFF" +
    stringify(
      [table.columns, ...table.rows].map((r) => r.map(csvSafe)),
      { record_delimiter: "\r\n" },
    )
  );
}

export async function toXlsx(tables: ExportTable[]): Promise<Uint8Array<ArrayBuffer>> {
  // Loaded on first use: exceljs takes 0.4 s to load, which every start of the server would pay.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "HọcSố";
  workbook.created = new Date();
  const used = new Set<string>();
  for (const table of tables) {
    let sheetName = table.name.slice(0, 31);
    for (let i = 2; used.has(sheetName); i++) sheetName = `${table.name.slice(0, 28)}-${i}`;
    used.add(sheetName);
    const sheet = workbook.addWorksheet(sheetName);
    sheet.addRow([table.title]).font = { bold: true, size: 13 };
    const header = sheet.addRow(table.columns);
    header.font = { bold: true };
    for (const row of table.rows) {
      const added = sheet.addRow(row.map((c) => (c === null ? null : c)));
      // Text is written as a text cell in text format ("@"): never a formula, whatever it starts with.
      added.eachCell((cell) => {
        if (typeof cell.value === "string") cell.numFmt = "@";
      });
    }
    sheet.columns.forEach((col, i) => {
      const widest = Math.max(
        table.columns[i]?.length ?? 8,
        ...table.rows.map((r) => String(r[i] ?? "").length),
      );
      col.width = Math.min(60, Math.max(8, widest + 2));
    });
    sheet.views = [{ state: "frozen", ySplit: 2 }];
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

export function attachmentHeaders(filename: string, type: string): HeadersInit {
  return {
    "Content-Type": type,
    "Content-Disposition": `attachment; filename="${filename}"`,
    "Cache-Control": "private, no-store",
  };
}

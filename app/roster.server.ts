/**
 * The roster import: the office's spreadsheet (CSV or XLSX, one row per resident, columns in
 * app/roster-columns.ts) becomes residential-group households and residents.
 *
 * 1. `previewRosterImport` reads the stored file, checks every row and says, per row, what is
 *    wrong (in Vietnamese) and what committing would change. Nothing is written.
 * 2. `commitRosterImport` reads the same stored file again and, only when no row is wrong,
 *    applies it in one transaction: all or nothing.
 *
 * Households are matched by their code, residents by name (and birth year) within their
 * household, so importing the same file twice changes nothing and an updated file updates
 * rows in place. An import never deletes: residents a member added in the field stay.
 */
import { randomInt } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { and, eq, inArray, lt, notExists, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@db/client.server";
import {
  auditLog,
  households,
  householdAssignments,
  residentialGroups,
  residents,
  uploads,
} from "@db/schema";
import { recordAudit } from "~/audit.server";
import { currentYear } from "~/format";
import { inWard, requireWardToChange, type Actor } from "~/access.server";
import { columnForHeader, foldHeader, rosterColumns, type RosterField } from "~/roster-columns";
import { normalizeVietnamesePhone } from "~/phone";
import { discardStoredFile, readRosterUpload, XLSX_MIME } from "~/uploads.server";
import { residentDetailColumns } from "~/resident-columns.server";
import { logger } from "~/server/logging.mjs";

export type Poverty = "none" | "poor" | "near_poor";
type Cell = string | number | boolean | Date | null;

export interface RosterRow {
  line: number;
  householdCode: string;
  groupId: number;
  address: string;
  poverty: Poverty;
  fullName: string;
  birthYear: number;
  phone: string | null;
  isHighSchoolStudent: boolean;
  isEnterpriseWorker: boolean;
  isFreelanceWorker: boolean;
  isSmallTrader: boolean;
  consent: boolean;
}

export interface RowIssue {
  line: number;
  /** What the office can recognise the row by. */
  label: string;
  messages: string[];
}

export interface RosterChanges {
  householdsNew: number;
  householdsUpdated: number;
  householdsUnchanged: number;
  residentsNew: number;
  residentsUpdated: number;
  residentsUnchanged: number;
}

export interface RosterPreview {
  uploadId: number;
  fileName: string;
  /** Problems with the file as a whole (unreadable, a required column missing, no rows). */
  fileErrors: string[];
  /** Columns the file has that the import does not use. */
  ignoredColumns: string[];
  rowCount: number;
  householdCount: number;
  issues: RowIssue[];
  changes: RosterChanges;
}

// ─── Reading the file ───────────────────────────────────────────────────────

/** NFC, trimmed, inner whitespace collapsed: the one form every text is kept in. */
export function cleanText(value: string): string {
  return value
    .normalize("NFC")
    .replace(/[\s\u00a0]+/g, " ")
    .trim();
}

function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ",";
}

function readCsv(bytes: Uint8Array): Cell[][] {
  // TextDecoder drops a UTF-8 BOM by itself; the importer only accepts UTF-8 (checked on upload).
  const text = new TextDecoder("utf-8").decode(bytes);
  const records = parseCsv(text, {
    delimiter: detectDelimiter(text),
    relax_column_count: true,
    skip_empty_lines: false,
    bom: true,
  }) as string[][];
  return records;
}

async function readXlsx(bytes: Uint8Array): Promise<Cell[][]> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  const sheet =
    workbook.worksheets.find((ws) => ws.state === "visible" && ws.actualRowCount > 0) ??
    workbook.worksheets[0];
  if (!sheet) return [];
  const rows: Cell[][] = [];
  const lastRow = sheet.rowCount;
  for (let r = 1; r <= lastRow; r++) {
    const row = sheet.getRow(r);
    const cells: Cell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellValue(row.getCell(c).value));
    rows.push(cells);
  }
  return rows;
}

/** exceljs gives rich text, formulas and hyperlinks as objects; the importer wants their plain value. */
function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean" ||
    value instanceof Date
  )
    return value;
  if (typeof value === "object") {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join("");
    if ("result" in v) return cellValue(v.result);
    if (typeof v.text === "string") return v.text;
    if (v.error) return null;
  }
  return String(value);
}

export async function readRosterTable(bytes: Uint8Array, mimeType: string): Promise<Cell[][]> {
  return mimeType === XLSX_MIME ? readXlsx(bytes) : readCsv(bytes);
}

// ─── Checking rows ──────────────────────────────────────────────────────────

const TRUE_WORDS = new Set(["x", "co", "1", "true", "yes", "dung", "v", "✓", "✔"]);
const FALSE_WORDS = new Set(["", "khong", "0", "false", "no", "-"]);

function asText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return cleanText(String(cell));
}

function parseFlag(cell: Cell | undefined): boolean | null {
  if (typeof cell === "boolean") return cell;
  const folded = foldHeader(asText(cell));
  if (TRUE_WORDS.has(folded) || TRUE_WORDS.has(asText(cell))) return true;
  if (FALSE_WORDS.has(folded)) return false;
  return null;
}

function parsePoverty(cell: Cell | undefined): Poverty | null {
  const folded = foldHeader(asText(cell));
  if (["", "khong", "binh_thuong", "0", "none"].includes(folded)) return "none";
  if (["ngheo", "ho_ngheo", "poor", "x"].includes(folded)) return "poor";
  if (["can_ngheo", "ho_can_ngheo", "near_poor"].includes(folded)) return "near_poor";
  return null;
}

/** Days from Excel's day zero (30 Dec 1899, after its 1900 leap-year bug) to a year. */
function excelSerialYear(serial: number): number {
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000).getUTCFullYear();
}

/** True when day/month/year is a day of the calendar (31/02 is not, 29/02 only in a leap year). */
function realDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function parseBirthYear(cell: Cell | undefined): number | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.getUTCFullYear();
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return null;
    if (Number.isInteger(cell) && cell >= 1000 && cell <= 2999) return cell;
    // A date cell that reached us as its serial number (e.g. 21987 = 12/03/1960).
    if (cell > 2999 && cell < 100_000) return excelSerialYear(cell);
    return cell >= 0 && cell < 1000 ? cell : null;
  }
  const text = asText(cell);
  if (/^\d{4}$/.test(text)) return Number(text);
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m) return realDate(Number(m[3]), Number(m[2]), Number(m[1])) ? Number(m[3]) : null;
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]*)?$/.exec(text);
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3])) ? Number(m[1]) : null;
  if (/^\d{5}$/.test(text)) return excelSerialYear(Number(text));
  return null;
}

function parsePhone(cell: Cell | undefined): { ok: true; value: string | null } | { ok: false } {
  let text = typeof cell === "number" ? String(Math.round(cell)) : asText(cell);
  if (text === "") return { ok: true, value: null };
  // Excel drops the leading zero of numbers typed as numbers: 905123456.
  if (/^[35789]\d{8}$/.test(text.replace(/[\s.-]/g, ""))) text = `0${text.replace(/[\s.-]/g, "")}`;
  const phone = normalizeVietnamesePhone(text);
  return phone ? { ok: true, value: phone } : { ok: false };
}

function nameKey(name: string): string {
  return cleanText(name).toLocaleLowerCase("vi");
}

interface GroupRef {
  id: number;
  code: string;
  name: string;
}

function groupMatcher(groups: GroupRef[]) {
  const byKey = new Map<string, GroupRef>();
  for (const g of groups) {
    byKey.set(foldHeader(g.code), g);
    byKey.set(foldHeader(g.name), g);
  }
  return (value: string): GroupRef | undefined => {
    const folded = foldHeader(value);
    if (/^\d+$/.test(folded)) return byKey.get(`to_dan_pho_${Number(folded)}`);
    return byKey.get(folded);
  };
}

interface CheckedFile {
  fileErrors: string[];
  ignoredColumns: string[];
  rows: RosterRow[];
  issues: RowIssue[];
  rowCount: number;
}

export function checkRosterTable(table: Cell[][], groups: GroupRef[], thisYear = currentYear()): CheckedFile {
  const headerIndex = table.findIndex((row) => row.some((cell) => asText(cell) !== ""));
  if (headerIndex < 0)
    return { fileErrors: ["Tệp không có dòng nào."], ignoredColumns: [], rows: [], issues: [], rowCount: 0 };
  const header = table[headerIndex]!;
  const columnAt = new Map<RosterField, number>();
  const ignoredColumns: string[] = [];
  header.forEach((cell, i) => {
    const text = asText(cell);
    if (!text) return;
    const column = columnForHeader(text);
    if (column && !columnAt.has(column.field)) columnAt.set(column.field, i);
    else ignoredColumns.push(text);
  });
  const missing = rosterColumns
    .filter((c) => c.required && !columnAt.has(c.field))
    .map((c) => `“${c.header}”`);
  if (missing.length > 0) {
    return {
      fileErrors: [
        `Tệp thiếu cột ${missing.join(", ")}. Dòng đầu tiên của tệp phải là tên các cột, như trong tệp mẫu.`,
      ],
      ignoredColumns,
      rows: [],
      issues: [],
      rowCount: 0,
    };
  }
  const get = (row: Cell[], field: RosterField): Cell | undefined => {
    const i = columnAt.get(field);
    return i === undefined ? undefined : row[i];
  };
  const findGroup = groupMatcher(groups);
  const rows: RosterRow[] = [];
  const issues: RowIssue[] = [];
  const householdFirst = new Map<
    string,
    { line: number; groupId: number; address: string; poverty: Poverty }
  >();
  const personFirst = new Map<string, number>();
  let rowCount = 0;

  for (let i = headerIndex + 1; i < table.length; i++) {
    const row = table[i]!;
    if (!row.some((cell) => asText(cell) !== "")) continue;
    rowCount++;
    const line = i + 1;
    const messages: string[] = [];
    const householdCode = asText(get(row, "householdCode")).toUpperCase();
    const groupText = asText(get(row, "group"));
    const address = asText(get(row, "address"));
    const fullName = asText(get(row, "fullName"));
    const label = [householdCode || "(không có mã hộ)", fullName || "(không có tên)"].join(" – ");

    if (!householdCode) messages.push("Thiếu mã hộ.");
    else if (householdCode.length > 40) messages.push("Mã hộ dài quá 40 ký tự.");
    let groupId = 0;
    if (!groupText) messages.push("Thiếu tổ dân phố.");
    else {
      const group = findGroup(groupText);
      if (group) groupId = group.id;
      else
        messages.push(
          `Không có tổ dân phố “${groupText}” trong phường. ` +
            `Hãy ghi mã (ví dụ TDP01) hoặc tên đúng như trong hệ thống.`,
        );
    }
    if (!address) messages.push("Thiếu địa chỉ của hộ.");
    if (!fullName) messages.push("Thiếu họ và tên.");
    else if (fullName.length > 120) messages.push("Họ và tên dài quá 120 ký tự.");
    else if (/\d/.test(fullName))
      messages.push(`Họ và tên “${fullName}” có chữ số; có thể đã nhập nhầm cột.`);

    const birthCell = get(row, "birthYear");
    const birthYear = parseBirthYear(birthCell);
    if (asText(birthCell) === "") messages.push("Thiếu năm sinh.");
    else if (birthYear === null && /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}/.test(asText(birthCell)))
      messages.push(
        `Ngày sinh “${asText(birthCell)}” không có trên lịch. ` +
          `Hãy kiểm tra lại ngày, tháng (ví dụ 12/03/1958).`,
      );
    else if (birthYear === null)
      messages.push(
        `Năm sinh “${asText(birthCell)}” không đọc được. Hãy ghi năm (1958) hoặc ngày (12/03/1958).`,
      );
    else if (birthYear > thisYear || birthYear < thisYear - 120) {
      messages.push(`Năm sinh ${birthYear} không hợp lý (phải từ ${thisYear - 120} đến ${thisYear}).`);
    }

    const poverty = parsePoverty(get(row, "poverty"));
    if (poverty === null)
      messages.push(
        `Cột “Hộ nghèo” ghi “${asText(get(row, "poverty"))}”: ` +
          `chỉ được để trống, ghi “nghèo” hoặc “cận nghèo”.`,
      );

    const phone = parsePhone(get(row, "phone"));
    if (!phone.ok)
      messages.push(
        `Số điện thoại “${asText(get(row, "phone"))}” không đúng. ` +
          `Số di động có 10 chữ số, ví dụ 0905 123 456.`,
      );

    const flags = {} as Record<
      "highSchool" | "enterpriseWorker" | "freelanceWorker" | "smallTrader" | "consent",
      boolean
    >;
    for (const field of [
      "highSchool",
      "enterpriseWorker",
      "freelanceWorker",
      "smallTrader",
      "consent",
    ] as const) {
      const value = parseFlag(get(row, field));
      if (value === null) {
        const header = rosterColumns.find((c) => c.field === field)!.header;
        messages.push(`Cột “${header}” ghi “${asText(get(row, field))}”: hãy ghi “x” hoặc để trống.`);
      }
      flags[field] = value ?? false;
    }

    // The same household code must mean the same household on every row.
    if (householdCode && groupId && address && poverty !== null) {
      const first = householdFirst.get(householdCode);
      if (!first) householdFirst.set(householdCode, { line, groupId, address, poverty });
      else if (
        first.groupId !== groupId ||
        nameKey(first.address) !== nameKey(address) ||
        first.poverty !== poverty
      ) {
        const what =
          first.groupId !== groupId
            ? "tổ dân phố"
            : nameKey(first.address) !== nameKey(address)
              ? "địa chỉ"
              : "hộ nghèo";
        messages.push(
          `Trùng mã hộ ${householdCode}: dòng ${first.line} đã dùng mã này cho một hộ có ${what} khác.`,
        );
      }
    }
    if (householdCode && fullName && birthYear !== null) {
      const key = `${householdCode}\u0000${nameKey(fullName)}\u0000${birthYear}`;
      const first = personFirst.get(key);
      if (first) messages.push(`Người này đã có ở dòng ${first} (cùng hộ, cùng tên, cùng năm sinh).`);
      else personFirst.set(key, line);
    }

    if (messages.length > 0) {
      issues.push({ line, label, messages });
      continue;
    }
    rows.push({
      line,
      householdCode,
      groupId,
      address,
      poverty: poverty!,
      fullName,
      birthYear: birthYear!,
      phone: phone.ok ? phone.value : null,
      isHighSchoolStudent: flags.highSchool,
      isEnterpriseWorker: flags.enterpriseWorker,
      isFreelanceWorker: flags.freelanceWorker,
      isSmallTrader: flags.smallTrader,
      consent: flags.consent,
    });
  }
  const fileErrors = rowCount === 0 ? ["Tệp có dòng tên cột nhưng không có dòng nào về người dân."] : [];
  return { fileErrors, ignoredColumns, rows, issues, rowCount };
}

// ─── Planning against the database ──────────────────────────────────────────

interface ExistingHousehold {
  id: number;
  code: string;
  groupId: number;
  address: string;
  povertyStatus: Poverty;
}
interface ExistingResident {
  id: number;
  householdId: number;
  fullName: string;
  birthYear: number;
  phone: string | null;
  isHighSchoolStudent: boolean;
  isEnterpriseWorker: boolean;
  isFreelanceWorker: boolean;
  isSmallTrader: boolean;
  consentAt: Date | null;
}

interface Plan {
  issues: RowIssue[];
  changes: RosterChanges;
  newHouseholds: { code: string; groupId: number; address: string; povertyStatus: Poverty }[];
  updatedHouseholds: {
    id: number;
    code: string;
    groupId: number;
    address: string;
    povertyStatus: Poverty;
    movedGroup: boolean;
  }[];
  newResidents: { householdCode: string; row: RosterRow }[];
  updatedResidents: { id: number; row: RosterRow; setConsent: boolean }[];
}

/**
 * The residential groups the actor imports into: a ward office's ward, every group for an admin.
 * A city office reads the city's figures but imports no ward's roster (403, from the access module).
 */
async function groupsToImportInto(db: DbOrTx, actor: Actor): Promise<GroupRef[]> {
  return db
    .select({ id: residentialGroups.id, code: residentialGroups.code, name: residentialGroups.name })
    .from(residentialGroups)
    .where(inWard(residentialGroups.wardId, requireWardToChange(actor)));
}

const CHUNK = 1000;
async function inChunks<T, R>(items: T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await run(items.slice(i, i + CHUNK))));
  return out;
}

async function planImport(db: DbOrTx, rows: RosterRow[], groups: GroupRef[]): Promise<Plan> {
  const codes = [...new Set(rows.map((r) => r.householdCode))];
  const existing = await inChunks(codes, (chunk) =>
    db
      .select({
        id: households.id,
        code: households.code,
        groupId: households.groupId,
        address: households.address,
        povertyStatus: households.povertyStatus,
      })
      .from(households)
      .where(inArray(households.code, chunk)),
  );
  const byCode = new Map<string, ExistingHousehold>(existing.map((h) => [h.code, h]));
  const householdIds = existing.map((h) => h.id);
  const existingResidents = await inChunks(householdIds, (chunk) =>
    db
      .select({
        id: residents.id,
        householdId: residents.householdId,
        ...residentDetailColumns,
        consentAt: residents.consentAt,
      })
      .from(residents)
      .where(inArray(residents.householdId, chunk)),
  );
  const residentsByHousehold = new Map<number, ExistingResident[]>();
  for (const r of existingResidents) {
    const list = residentsByHousehold.get(r.householdId) ?? [];
    list.push(r);
    residentsByHousehold.set(r.householdId, list);
  }
  const groupIds = new Set(groups.map((g) => g.id));

  const plan: Plan = {
    issues: [],
    changes: {
      householdsNew: 0,
      householdsUpdated: 0,
      householdsUnchanged: 0,
      residentsNew: 0,
      residentsUpdated: 0,
      residentsUnchanged: 0,
    },
    newHouseholds: [],
    updatedHouseholds: [],
    newResidents: [],
    updatedResidents: [],
  };
  // Residents are matched in two passes: first exactly (same name and birth year), then, for a
  // row left over, the one remaining person of that name in the household (a corrected birth
  // year), so a namesake in the file never takes over someone else's record.
  const claimed = new Set<number>();
  const exact = new Map<RosterRow, ExistingResident>();
  for (const row of rows) {
    const household = byCode.get(row.householdCode);
    if (!household) continue;
    const match = (residentsByHousehold.get(household.id) ?? []).find(
      (r) =>
        !claimed.has(r.id) && r.birthYear === row.birthYear && nameKey(r.fullName) === nameKey(row.fullName),
    );
    if (match) {
      claimed.add(match.id);
      exact.set(row, match);
    }
  }
  const sameNameRows = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.householdCode}\u0000${nameKey(row.fullName)}`;
    sameNameRows.set(key, (sameNameRows.get(key) ?? 0) + 1);
  }
  const seenHouseholds = new Set<string>();
  for (const row of rows) {
    const household = byCode.get(row.householdCode);
    if (household && !groupIds.has(household.groupId)) {
      plan.issues.push({
        line: row.line,
        label: `${row.householdCode} – ${row.fullName}`,
        messages: [`Mã hộ ${row.householdCode} đã thuộc một phường khác; hãy kiểm tra lại mã.`],
      });
      continue;
    }
    if (!seenHouseholds.has(row.householdCode)) {
      seenHouseholds.add(row.householdCode);
      if (!household) {
        plan.newHouseholds.push({
          code: row.householdCode,
          groupId: row.groupId,
          address: row.address,
          povertyStatus: row.poverty,
        });
        plan.changes.householdsNew++;
      } else if (
        household.groupId !== row.groupId ||
        household.address !== row.address ||
        household.povertyStatus !== row.poverty
      ) {
        plan.updatedHouseholds.push({
          id: household.id,
          code: household.code,
          groupId: row.groupId,
          address: row.address,
          povertyStatus: row.poverty,
          movedGroup: household.groupId !== row.groupId,
        });
        plan.changes.householdsUpdated++;
      } else plan.changes.householdsUnchanged++;
    }
    let match = exact.get(row);
    if (!match && household && sameNameRows.get(`${row.householdCode}\u0000${nameKey(row.fullName)}`) === 1) {
      const sameName = (residentsByHousehold.get(household.id) ?? []).filter(
        (r) => !claimed.has(r.id) && nameKey(r.fullName) === nameKey(row.fullName),
      );
      if (sameName.length === 1) match = sameName[0];
    }
    if (!match) {
      plan.newResidents.push({ householdCode: row.householdCode, row });
      plan.changes.residentsNew++;
      continue;
    }
    claimed.add(match.id);
    const setConsent = row.consent && match.consentAt === null;
    const changed =
      setConsent ||
      match.fullName !== row.fullName ||
      match.birthYear !== row.birthYear ||
      // An empty phone cell never erases a number a member collected in the field.
      (row.phone !== null && match.phone !== row.phone) ||
      match.isHighSchoolStudent !== row.isHighSchoolStudent ||
      match.isEnterpriseWorker !== row.isEnterpriseWorker ||
      match.isFreelanceWorker !== row.isFreelanceWorker ||
      match.isSmallTrader !== row.isSmallTrader;
    if (changed) {
      plan.updatedResidents.push({ id: match.id, row, setConsent });
      plan.changes.residentsUpdated++;
    } else plan.changes.residentsUnchanged++;
  }
  return plan;
}

// ─── Preview and commit ─────────────────────────────────────────────────────

type RosterUpload = NonNullable<Awaited<ReturnType<typeof readRosterUpload>>>;

async function loadAndCheck(db: DbOrTx, upload: RosterUpload, actor: Actor) {
  const groups = await groupsToImportInto(db, actor);
  let checked: CheckedFile;
  try {
    const table = await readRosterTable(upload.bytes, upload.meta.mimeType);
    checked = checkRosterTable(table, groups);
  } catch (error) {
    logger().warn({ err: error }, "unreadable roster file");
    checked = {
      fileErrors: ["Không đọc được tệp. Hãy mở lại bằng Excel và lưu dạng .xlsx, hoặc dạng CSV UTF-8."],
      ignoredColumns: [],
      rows: [],
      issues: [],
      rowCount: 0,
    };
  }
  return { groups, checked };
}

/**
 * What importing the stored file would do, with every bad row and why. Writes nothing.
 * Only files the actor may see are read.
 */
export async function previewRosterImport({
  uploadId,
  actor,
}: {
  uploadId: number;
  actor: Actor;
}): Promise<RosterPreview | null> {
  const upload = await readRosterUpload(uploadId, actor);
  if (!upload) return null;
  const db = await getDb();
  const { groups, checked } = await loadAndCheck(db, upload, actor);
  const plan = await planImport(db, checked.rows, groups);
  const issues = [...checked.issues, ...plan.issues].sort((a, b) => a.line - b.line);
  return {
    uploadId,
    fileName: upload.meta.originalName,
    fileErrors: checked.fileErrors,
    ignoredColumns: checked.ignoredColumns,
    rowCount: checked.rowCount,
    householdCount: new Set(checked.rows.map((r) => r.householdCode)).size,
    issues,
    changes: plan.changes,
  };
}

export type CommitResult = { ok: true; changes: RosterChanges } | { ok: false; preview: RosterPreview };

const LINK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** The code a family types to link a resident account to its household: 8 characters, no look-alikes. */
export function newLinkCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += LINK_ALPHABET[randomInt(LINK_ALPHABET.length)];
  return code;
}

/**
 * Applies the stored file in one transaction, only if every row is good; otherwise returns the
 * preview with the problems and writes nothing.
 */
export async function commitRosterImport({
  uploadId,
  actor,
}: {
  uploadId: number;
  actor: Actor;
}): Promise<CommitResult | null> {
  const actorUserId = actor.id;
  // Read before the transaction: the embedded database runs one query at a time.
  const upload = await readRosterUpload(uploadId, actor);
  if (!upload) return null;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { groups, checked } = await loadAndCheck(tx, upload, actor);
    const plan = await planImport(tx, checked.rows, groups);
    const issues = [...checked.issues, ...plan.issues].sort((a, b) => a.line - b.line);
    if (checked.fileErrors.length > 0 || issues.length > 0) {
      return {
        ok: false,
        preview: {
          uploadId,
          fileName: upload.meta.originalName,
          fileErrors: checked.fileErrors,
          ignoredColumns: checked.ignoredColumns,
          rowCount: checked.rowCount,
          householdCount: new Set(checked.rows.map((r) => r.householdCode)).size,
          issues,
          changes: plan.changes,
        },
      };
    }
    const now = new Date();
    const idByCode = new Map<string, number>();
    for (let i = 0; i < plan.newHouseholds.length; i += 500) {
      const inserted = await tx
        .insert(households)
        .values(plan.newHouseholds.slice(i, i + 500).map((h) => ({ ...h, linkCode: newLinkCode() })))
        .returning({ id: households.id, code: households.code });
      for (const h of inserted) idByCode.set(h.code, h.id);
    }
    for (const h of plan.updatedHouseholds) {
      await tx
        .update(households)
        .set({ groupId: h.groupId, address: h.address, povertyStatus: h.povertyStatus, updatedAt: now })
        .where(eq(households.id, h.id));
      idByCode.set(h.code, h.id);
      // A household moved to another residential group leaves the old team's member.
      if (h.movedGroup)
        await tx.delete(householdAssignments).where(eq(householdAssignments.householdId, h.id));
    }
    const missingIds = [...new Set(plan.newResidents.map((r) => r.householdCode))].filter(
      (c) => !idByCode.has(c),
    );
    if (missingIds.length > 0) {
      const found = await inChunks(missingIds, (chunk) =>
        tx
          .select({ id: households.id, code: households.code })
          .from(households)
          .where(inArray(households.code, chunk)),
      );
      for (const h of found) idByCode.set(h.code, h.id);
    }
    const residentValues = plan.newResidents.map(({ householdCode, row }) => ({
      householdId: idByCode.get(householdCode)!,
      fullName: row.fullName,
      birthYear: row.birthYear,
      phone: row.phone,
      isHighSchoolStudent: row.isHighSchoolStudent,
      isEnterpriseWorker: row.isEnterpriseWorker,
      isFreelanceWorker: row.isFreelanceWorker,
      isSmallTrader: row.isSmallTrader,
      consentAt: row.consent ? now : null,
      consentRecordedBy: row.consent ? actorUserId : null,
    }));
    for (let i = 0; i < residentValues.length; i += 500)
      await tx.insert(residents).values(residentValues.slice(i, i + 500));
    for (const { id, row, setConsent } of plan.updatedResidents) {
      await tx
        .update(residents)
        .set({
          fullName: row.fullName,
          birthYear: row.birthYear,
          ...(row.phone !== null ? { phone: row.phone } : {}),
          isHighSchoolStudent: row.isHighSchoolStudent,
          isEnterpriseWorker: row.isEnterpriseWorker,
          isFreelanceWorker: row.isFreelanceWorker,
          isSmallTrader: row.isSmallTrader,
          ...(setConsent ? { consentAt: now, consentRecordedBy: actorUserId } : {}),
          updatedAt: now,
        })
        .where(eq(residents.id, id));
    }
    await recordAudit(tx, {
      actorUserId,
      action: "roster.imported",
      entity: "upload",
      entityId: uploadId,
      details: {
        file: upload.meta.originalName,
        ...plan.changes,
        householdsCreated: plan.newHouseholds.map((h) => h.code),
        householdsUpdated: plan.updatedHouseholds.map((h) => h.code),
        residentsUpdated: plan.updatedResidents.map((r) => r.id),
      },
    });
    return { ok: true, changes: plan.changes };
  });
}

/** The residential groups the actor imports into, for the office page's hint of valid group codes. */
export async function listGroupsForImport(actor: Actor): Promise<GroupRef[]> {
  const db = await getDb();
  const groups = await groupsToImportInto(db, actor);
  return groups.sort((a, b) => a.code.localeCompare(b.code));
}

/** How many households and residents the roster the actor imports into holds now. */
export async function rosterTotals(actor: Actor): Promise<{ households: number; residents: number }> {
  const db = await getDb();
  const [row] = await db
    .select({
      households: sql<number>`count(distinct ${households.id})::int`,
      residents: sql<number>`count(${residents.id})::int`,
    })
    .from(households)
    .innerJoin(residentialGroups, eq(residentialGroups.id, households.groupId))
    .leftJoin(residents, eq(residents.householdId, households.id))
    .where(inWard(residentialGroups.wardId, requireWardToChange(actor)));
  return { households: row?.households ?? 0, residents: row?.residents ?? 0 };
}

/** How long a previewed roster file that was never imported is kept. */
export const ROSTER_PREVIEW_KEEP_HOURS = 24;

/**
 * Roster files previewed but never imported hold residents' names, birth years and phones for no
 * purpose: they are deleted (row and stored file) once older than ROSTER_PREVIEW_KEEP_HOURS.
 * Imported files stay, as the record behind the audit log's "roster.imported". Returns how many.
 */
export async function pruneUnimportedRosterFiles(
  olderThan = new Date(Date.now() - ROSTER_PREVIEW_KEEP_HOURS * 3_600_000),
): Promise<number> {
  const db = await getDb();
  const imported = db
    .select({ one: sql`1` })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, "roster.imported"),
        eq(auditLog.entity, "upload"),
        eq(auditLog.entityId, sql`${uploads.id}::text`),
      ),
    );
  const deleted = await db
    .delete(uploads)
    .where(and(eq(uploads.kind, "roster_file"), lt(uploads.createdAt, olderThan), notExists(imported)))
    .returning({ store: uploads.store, storageKey: uploads.storageKey });
  // The rows are gone in one statement; the files follow (a file left behind is only logged).
  for (const file of deleted) await discardStoredFile(file);
  return deleted.length;
}

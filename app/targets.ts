/**
 * The plan's targets (design.md, "Mục tiêu cụ thể", section I.2): what each one counts, its
 * threshold, and how its figures read. Browser-safe: the pages and the exports share it.
 */
import { vnDay } from "~/format";

export const TARGET_KEYS = ["a", "b", "c", "d", "dd", "e", "g", "i", "m"] as const;
export type TargetKeyName = (typeof TARGET_KEYS)[number];

/** Target a counts courses 1 and 3 unless the ward office chose another set. */
export const DEFAULT_TARGET_A_COURSES = ["nen-tang-so", "an-toan-thong-tin"];

export type TargetUnit = "person" | "household" | "member";

export interface TargetDefinition {
  key: TargetKeyName;
  /** "đ" for dd: the plan's own letter. */
  letter: string;
  title: string;
  numerator: string;
  denominator: string;
  /** Percent the plan asks for. */
  threshold: number;
  unit: TargetUnit;
}

export const TARGETS: TargetDefinition[] = [
  {
    key: "a",
    letter: "a",
    title: "Học sinh THPT được bồi dưỡng kỹ năng số",
    numerator: "học sinh đã hoàn thành các khoá phường chọn",
    denominator: "học sinh THPT",
    threshold: 100,
    unit: "person",
  },
  {
    key: "b",
    letter: "b",
    title: "Người trưởng thành có kiến thức, kỹ năng số cơ bản",
    numerator: "người từ 18 tuổi đã hoàn thành cả 3 khoá cốt lõi",
    denominator: "người từ 18 tuổi",
    threshold: 80,
    unit: "person",
  },
  {
    key: "c",
    letter: "c",
    title: "Người trưởng thành được chứng nhận “Bình dân học vụ số” trên VNeID",
    numerator: "người từ 18 tuổi đã được xác nhận trên VNeID",
    denominator: "người từ 18 tuổi",
    threshold: 80,
    unit: "person",
  },
  {
    key: "d",
    letter: "d",
    title: "Người lao động doanh nghiệp, hợp tác xã có kỹ năng số cơ bản",
    numerator: "người lao động đã hoàn thành cả 3 khoá cốt lõi",
    denominator: "người lao động doanh nghiệp, hợp tác xã",
    threshold: 80,
    unit: "person",
  },
  {
    key: "dd",
    letter: "đ",
    title: "Hộ gia đình được hướng dẫn cài Danang Smart City",
    numerator: "hộ có người đã cài hoặc đã được hướng dẫn khi Tổ đến nhà",
    denominator: "hộ gia đình",
    threshold: 100,
    unit: "household",
  },
  {
    key: "e",
    letter: "e",
    title: "Hộ gia đình được tuyên truyền, phổ biến",
    numerator: "hộ đã được Tổ đến ít nhất một lần",
    denominator: "hộ gia đình",
    threshold: 100,
    unit: "household",
  },
  {
    key: "g",
    letter: "g",
    title: "Công dân từ 16 tuổi có danh tính số (VNeID)",
    numerator: "người từ 16 tuổi đã cài VNeID",
    denominator: "người từ 16 tuổi",
    threshold: 100,
    unit: "person",
  },
  {
    key: "i",
    letter: "i",
    title: "Hộ có ít nhất một người có kỹ năng số cơ bản, VNeID và tài khoản dịch vụ công",
    numerator: "hộ có một người có đủ cả ba",
    denominator: "hộ gia đình",
    threshold: 100,
    unit: "household",
  },
  {
    key: "m",
    letter: "m",
    title: "Thành viên Tổ CNSCĐ hoàn thành đợt bồi dưỡng đầu tiên",
    numerator: "thành viên có chứng nhận hoàn thành chương trình",
    denominator: "thành viên đang hoạt động",
    threshold: 100,
    unit: "member",
  },
];

export const targetByKey = Object.fromEntries(TARGETS.map((t) => [t.key, t])) as Record<
  TargetKeyName,
  TargetDefinition
>;

export function isTargetKey(value: string | undefined | null): value is TargetKeyName {
  return !!value && (TARGET_KEYS as readonly string[]).includes(value);
}

export const unitLabels: Record<TargetUnit, string> = {
  person: "người",
  household: "hộ",
  member: "thành viên",
};

export type DenominatorSource = "roster" | "official" | "mixed";

export interface TargetFigure {
  key: TargetKeyName;
  numerator: number;
  denominator: number;
  /**
   * Where the denominator came from: the roster, the office's official figure, or some of each (ward totals).
   */
  source: DenominatorSource;
  /** The roster's own count, shown beside an official figure. */
  rosterDenominator: number;
  /** numerator / denominator, or null when there is nobody to count. */
  ratio: number | null;
  met: boolean;
  /** Totals: how many groups reached more than their official denominator (counted only up to it). */
  cappedGroups?: number;
}

export function makeFigure(
  key: TargetKeyName,
  numerator: number,
  rosterDenominator: number,
  official: number | null,
  source?: DenominatorSource,
): TargetFigure {
  const denominator = official ?? rosterDenominator;
  const ratio = denominator > 0 ? Math.min(numerator / denominator, 1) : null;
  return {
    key,
    numerator,
    denominator,
    rosterDenominator,
    source: source ?? (official === null ? "roster" : "official"),
    ratio,
    met: ratio !== null && ratio * 100 >= targetByKey[key].threshold - 1e-9,
  };
}

export const sourceLabels: Record<DenominatorSource, string> = {
  roster: "theo danh sách nhân khẩu",
  official: "số chính thức phường nhập",
  mixed: "một phần số chính thức",
};

/**
 * Where a target's denominator came from, in words: target m counts the Tổ's members,
 * not the resident roster.
 */
export function sourceLabel(key: TargetKeyName, source: DenominatorSource): string {
  if (key === "m" && source === "roster") return "theo danh sách thành viên Tổ";
  return sourceLabels[source];
}

// ─── Quarters ────────────────────────────────────────────────────────────────

export interface Quarter {
  key: string;
  year: number;
  q: number;
  /** Inclusive first day and exclusive end, YYYY-MM-DD (Vietnam dates). */
  start: string;
  end: string;
  label: string;
}

export function parseQuarter(value: string | undefined | null): Quarter | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(value ?? "");
  if (!m) return null;
  const year = Number(m[1]);
  const q = Number(m[2]);
  if (year < 2020 || year > 2100) return null;
  const month = (q - 1) * 3 + 1;
  const start = `${year}-${String(month).padStart(2, "0")}-01`;
  const end = q === 4 ? `${year + 1}-01-01` : `${year}-${String(month + 3).padStart(2, "0")}-01`;
  return {
    key: `${year}-Q${q}`,
    year,
    q,
    start,
    end,
    label: `Quý ${["I", "II", "III", "IV"][q - 1]} năm ${year}`,
  };
}

/** The quarter a date falls in, in Vietnam time. */
export function quarterOf(date: Date): Quarter {
  const [year, month] = vnDay(date).split("-").map(Number) as [number, number];
  return parseQuarter(`${year}-Q${Math.floor((month - 1) / 3) + 1}`)!;
}

/** The last `count` quarters, newest first, for the quarter picker. */
export function recentQuarters(now: Date, count = 8): Quarter[] {
  const current = quarterOf(now);
  const list: Quarter[] = [];
  let year = current.year;
  let q = current.q;
  for (let i = 0; i < count; i++) {
    list.push(parseQuarter(`${year}-Q${q}`)!);
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return list;
}

/**
 * The columns of the roster file the office imports (CSV or XLSX, one row per resident).
 * Browser-safe: the office page shows this table, and the importer reads headers through it.
 * Headers are matched without regard to case, accents or spacing: "Mã hộ", "MA HO" and "ma_ho"
 * are the same column.
 */
export type RosterField =
  | "householdCode"
  | "group"
  | "address"
  | "poverty"
  | "fullName"
  | "birthYear"
  | "phone"
  | "highSchool"
  | "enterpriseWorker"
  | "freelanceWorker"
  | "smallTrader"
  | "consent";

export interface RosterColumn {
  field: RosterField;
  header: string;
  required: boolean;
  /** Other headers accepted for the same column (already folded: lower case, no accents, "_"). */
  aliases: string[];
  description: string;
  example: string;
}

export const rosterColumns: RosterColumn[] = [
  {
    field: "householdCode",
    header: "Mã hộ",
    required: true,
    aliases: ["ma_ho_gia_dinh", "ma_so_ho"],
    description:
      "Mã của hộ trong sổ của phường. Các dòng cùng mã hộ là người trong cùng một hộ. " +
      "Nhập lại tệp sẽ cập nhật theo mã này.",
    example: "AH-TDP01-001",
  },
  {
    field: "group",
    header: "Tổ dân phố",
    required: true,
    aliases: ["ma_to_dan_pho", "to"],
    description: "Mã hoặc tên tổ dân phố đã có trong phường.",
    example: "TDP01 hoặc Tổ dân phố 1",
  },
  {
    field: "address",
    header: "Địa chỉ",
    required: true,
    aliases: ["dia_chi_ho"],
    description: "Số nhà, đường của hộ.",
    example: "12 Ngô Quyền, An Hải Bắc",
  },
  {
    field: "poverty",
    header: "Hộ nghèo",
    required: false,
    aliases: ["ho_ngheo_can_ngheo", "phan_loai_ho", "hoan_canh"],
    description: "Để trống nếu không; ghi “nghèo” hoặc “cận nghèo”.",
    example: "cận nghèo",
  },
  {
    field: "fullName",
    header: "Họ và tên",
    required: true,
    aliases: ["ho_ten", "ten"],
    description: "Họ tên đầy đủ, có dấu.",
    example: "Nguyễn Thị Lan",
  },
  {
    field: "birthYear",
    header: "Năm sinh",
    required: true,
    aliases: ["ngay_sinh", "ngay_thang_nam_sinh"],
    description: "Năm sinh (1958) hoặc ngày sinh (12/03/1958, hay ô ngày của Excel).",
    example: "1958",
  },
  {
    field: "phone",
    header: "Điện thoại",
    required: false,
    aliases: ["so_dien_thoai", "sdt", "dien_thoai_di_dong"],
    description: "Số di động, có thể để trống.",
    example: "0905 123 456",
  },
  {
    field: "highSchool",
    header: "Học sinh THPT",
    required: false,
    aliases: ["hoc_sinh"],
    description: "Ghi “x” nếu đang là học sinh trung học phổ thông.",
    example: "x",
  },
  {
    field: "enterpriseWorker",
    header: "Lao động doanh nghiệp/HTX",
    required: false,
    aliases: ["lao_dong_doanh_nghiep", "lao_dong_dn_htx", "lao_dong_htx"],
    description: "Ghi “x” nếu làm việc ở doanh nghiệp hoặc hợp tác xã.",
    example: "",
  },
  {
    field: "freelanceWorker",
    header: "Lao động tự do",
    required: false,
    aliases: ["tu_do"],
    description: "Ghi “x” nếu là lao động tự do.",
    example: "",
  },
  {
    field: "smallTrader",
    header: "Tiểu thương",
    required: false,
    aliases: ["tieu_thuong_buon_ban_nho", "buon_ban_nho"],
    description: "Ghi “x” nếu buôn bán nhỏ, tiểu thương.",
    example: "x",
  },
  {
    field: "consent",
    header: "Đồng ý xử lý dữ liệu",
    required: false,
    aliases: ["dong_y"],
    description: "Ghi “x” khi người này đã đồng ý cho xử lý dữ liệu cá nhân (Luật 91/2025/QH15).",
    example: "x",
  },
];

/** "Mã hộ" → "ma_ho": lower case, no accents (đ → d), runs of anything else → "_". */
export function foldHeader(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export function columnForHeader(header: string): RosterColumn | undefined {
  const folded = foldHeader(header);
  if (!folded) return undefined;
  return rosterColumns.find((c) => foldHeader(c.header) === folded || c.aliases.includes(folded));
}

/** The first line of a roster CSV: the headers the sample file uses. */
export const rosterHeaderLine = rosterColumns.map((c) => c.header).join(",");

/**
 * Writes the sample roster files the office starts from (public/mau-danh-sach-ho-dan.csv and
 * .xlsx): the columns of app/roster-columns.ts and a few rows that import cleanly into the
 * demo ward. Run with `npx tsx scripts/make-roster-sample.ts` after changing the columns.
 */
import fs from "node:fs";
import ExcelJS from "exceljs";
import { rosterColumns } from "../app/roster-columns";

const rows: (string | number | Date)[][] = [
  [
    "AH-TDP01-081",
    "TDP01",
    "15 Ngô Quyền, An Hải Bắc",
    "",
    "Nguyễn Văn Hùng",
    1956,
    "0905 210 001",
    "",
    "",
    "",
    "x",
    "x",
  ],
  ["AH-TDP01-081", "TDP01", "15 Ngô Quyền, An Hải Bắc", "", "Lê Thị Hoa", 1959, "", "", "", "", "", "x"],
  [
    "AH-TDP01-081",
    "TDP01",
    "15 Ngô Quyền, An Hải Bắc",
    "",
    "Nguyễn Minh Khoa",
    2009,
    "",
    "x",
    "",
    "",
    "",
    "x",
  ],
  [
    "AH-TDP01-082",
    "TDP01",
    "7 Hà Bổng, An Hải Bắc",
    "cận nghèo",
    "Trần Văn Lợi",
    1948,
    "",
    "",
    "",
    "x",
    "",
    "x",
  ],
  [
    "AH-TDP02-081",
    "Tổ dân phố 2",
    "40 Phạm Văn Đồng, An Hải Bắc",
    "",
    "Phạm Thị Thu Hà",
    1987,
    "0935 210 002",
    "",
    "x",
    "",
    "",
    "x",
  ],
];

const header = rosterColumns.map((c) => c.header);
const csvCell = (v: string | number | Date) => {
  const text = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
// A BOM, so Excel opens the CSV as UTF-8 and shows the diacritics.
const csv = "\ufeff" + [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
fs.writeFileSync("public/mau-danh-sach-ho-dan.csv", csv);

const workbook = new ExcelJS.Workbook();
workbook.creator = "HọcSố";
workbook.created = new Date(Date.UTC(2026, 0, 1));
workbook.modified = workbook.created;
const sheet = workbook.addWorksheet("Danh sách hộ dân");
sheet.addRow(header).font = { bold: true };
for (const r of rows) sheet.addRow(r);
sheet.columns.forEach((column, i) => {
  column.width = Math.max(12, header[i]!.length + 4);
});
sheet.getColumn(5).width = 24;
sheet.getColumn(3).width = 30;
sheet.views = [{ state: "frozen", ySplit: 1 }];
await workbook.xlsx.writeFile("public/mau-danh-sach-ho-dan.xlsx");
console.info("Wrote public/mau-danh-sach-ho-dan.csv and .xlsx");

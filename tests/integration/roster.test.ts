import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { commitRosterImport, previewRosterImport, pruneUnimportedRosterFiles } from "~/roster.server";
import { rosterHeaderLine } from "~/roster-columns";
import { LocalDiskStore, saveUpload, setStoreForTests } from "~/uploads.server";
import type { Actor } from "~/access.server";
import { actorOf, createGroup, createUser, createWard } from "../support/factories";

let folder: string;
let officeId: number;
let office: Actor;
let groupA: { id: number; code: string; name: string };
let groupB: { id: number; code: string; name: string };

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-roster-"));
  setStoreForTests(new LocalDiskStore(folder));
  const ward = await createWard();
  groupA = (await createGroup(ward.id, "Tổ dân phố 1")).group;
  groupB = (await createGroup(ward.id, "Tổ dân phố 2")).group;
  officeId = (await createUser({ role: "office", wardId: ward.id })).id;
  office = await actorOf(officeId);
});

afterAll(() => {
  setStoreForTests(undefined);
  fs.rmSync(folder, { recursive: true, force: true });
});

function csv(lines: string[], header = rosterHeaderLine): Uint8Array {
  return new TextEncoder().encode([header, ...lines].join("\r\n") + "\r\n");
}

async function upload(bytes: Uint8Array, name = "danh-sach.csv") {
  return saveUpload("roster_file", bytes, name, officeId);
}

async function householdByCode(code: string) {
  const db = await getDb();
  const [h] = await db.select().from(s.households).where(eq(s.households.code, code));
  return h;
}

async function residentsOf(code: string) {
  const db = await getDb();
  const h = await householdByCode(code);
  if (!h) return [];
  return db.select().from(s.residents).where(eq(s.residents.householdId, h.id)).orderBy(s.residents.id);
}

describe("the office imports the roster", () => {
  it("a good file creates households and residents, and importing it again changes nothing", async () => {
    const file = csv([
      `R-001,${groupA.code},12 Ngô Quyền,,Nguyễn Văn An,1950,0905 111 222,,,,x,x`,
      `R-001,${groupA.code},12 Ngô Quyền,,Trần Thị Bình,1955,,,,,,x`,
      `R-002,Tổ dân phố 2,5 Hà Bổng,cận nghèo,Lê Văn Cường,2009,,x,,,,`,
      `R-002,${groupB.code},5 Hà Bổng,cận nghèo,"Lê Thị Dung",1982,+84 935 000 111,,x,,,x`,
    ]);
    const id = await upload(file);
    const preview = await previewRosterImport({ uploadId: id, actor: office });
    expect(preview?.issues).toEqual([]);
    expect(preview?.fileErrors).toEqual([]);
    expect(preview?.changes).toMatchObject({ householdsNew: 2, residentsNew: 4 });
    // A preview writes nothing.
    expect(await householdByCode("R-001")).toBeUndefined();

    const result = await commitRosterImport({ uploadId: id, actor: office });
    expect(result).toMatchObject({ ok: true, changes: { householdsNew: 2, residentsNew: 4 } });
    const r1 = await residentsOf("R-001");
    expect(r1.map((r) => r.fullName)).toEqual(["Nguyễn Văn An", "Trần Thị Bình"]);
    expect(r1[0]).toMatchObject({ birthYear: 1950, phone: "+84905111222", isSmallTrader: true });
    expect(r1[0]!.consentAt).not.toBeNull();
    expect(r1[0]!.consentRecordedBy).toBe(officeId);
    const h2 = await householdByCode("R-002");
    expect(h2).toMatchObject({ groupId: groupB.id, povertyStatus: "near_poor", address: "5 Hà Bổng" });
    expect(h2!.linkCode).toMatch(/^[A-Z2-9]{8}$/);
    const r2 = await residentsOf("R-002");
    expect(r2[0]).toMatchObject({ fullName: "Lê Văn Cường", isHighSchoolStudent: true, consentAt: null });

    // The same file again, uploaded anew: nothing changes.
    const before = {
      r1: await residentsOf("R-001"),
      r2: await residentsOf("R-002"),
      h2: await householdByCode("R-002"),
    };
    const again = await upload(file);
    const secondPreview = await previewRosterImport({ uploadId: again, actor: office });
    expect(secondPreview?.changes).toEqual({
      householdsNew: 0,
      householdsUpdated: 0,
      householdsUnchanged: 2,
      residentsNew: 0,
      residentsUpdated: 0,
      residentsUnchanged: 4,
    });
    await commitRosterImport({ uploadId: again, actor: office });
    expect(await residentsOf("R-001")).toEqual(before.r1);
    expect(await residentsOf("R-002")).toEqual(before.r2);
    expect(await householdByCode("R-002")).toEqual(before.h2);

    const db = await getDb();
    const audit = await db.select().from(s.auditLog).where(eq(s.auditLog.action, "roster.imported"));
    expect(audit.length).toBe(2);
    expect(audit[0]!.actorUserId).toBe(officeId);
  });

  it("an updated file updates households and residents by household code, without duplicates", async () => {
    const first = await upload(
      csv([
        `U-001,${groupA.code},1 Phan Tứ,,Phạm Văn Em,1970,,,,,,`,
        `U-001,${groupA.code},1 Phan Tứ,,Phạm Thị Gấm,1972,,,,,,`,
      ]),
    );
    await commitRosterImport({ uploadId: first, actor: office });
    const [em] = await residentsOf("U-001");

    const updated = await upload(
      csv([
        // New address, now a poor household; Em's birth year corrected and a phone added; a new child.
        `U-001,${groupA.code},3 Phan Tứ,nghèo,Phạm Văn Em,1971,0905 333 444,,,x,,`,
        `U-001,${groupA.code},3 Phan Tứ,nghèo,Phạm Thị Gấm,1972,,,,,,`,
        `U-001,${groupA.code},3 Phan Tứ,nghèo,Phạm Minh Hải,2010,,x,,,,`,
      ]),
    );
    const preview = await previewRosterImport({ uploadId: updated, actor: office });
    expect(preview?.changes).toMatchObject({
      householdsUpdated: 1,
      residentsUpdated: 1,
      residentsUnchanged: 1,
      residentsNew: 1,
    });
    const result = await commitRosterImport({ uploadId: updated, actor: office });
    expect(result?.ok).toBe(true);
    const people = await residentsOf("U-001");
    expect(people.map((p) => p.fullName)).toEqual(["Phạm Văn Em", "Phạm Thị Gấm", "Phạm Minh Hải"]);
    expect(people[0]).toMatchObject({
      id: em!.id,
      birthYear: 1971,
      phone: "+84905333444",
      isFreelanceWorker: true,
    });
    expect(await householdByCode("U-001")).toMatchObject({ address: "3 Phan Tứ", povertyStatus: "poor" });
  });

  it("lists every bad row with its reason and imports nothing while any row is wrong", async () => {
    const id = await upload(
      csv([
        `B-001,${groupA.code},7 Lê Hữu Trác,,Võ Văn Ích,1960,,,,,,`,
        `B-002,${groupA.code},8 Lê Hữu Trác,,,1961,,,,,,`,
        `B-003,${groupA.code},9 Lê Hữu Trác,,Hồ Thị Kim,2150,,,,,,`,
        `B-004,TDP99,10 Lê Hữu Trác,,Đỗ Văn Long,1970,,,,,,`,
        `B-001,${groupB.code},99 Khác,,Võ Thị Mai,1962,,,,,,`,
        `B-005,${groupA.code},11 Lê Hữu Trác,,Ngô Văn Nam,1975,12345,,,,,`,
        `B-006,${groupA.code},12 Lê Hữu Trác,giàu,Dương Thị Oanh,1980,,,,,có lẽ,`,
        `B-007,${groupA.code},13 Lê Hữu Trác,,Lý Văn Phúc,năm ngoái,,,,,,`,
      ]),
    );
    const preview = await previewRosterImport({ uploadId: id, actor: office });
    const byLine = Object.fromEntries(preview!.issues.map((i) => [i.line, i.messages.join(" ")]));
    expect(Object.keys(byLine).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(byLine[3]).toContain("Thiếu họ và tên");
    expect(byLine[4]).toContain("Năm sinh 2150 không hợp lý");
    expect(byLine[5]).toContain("Không có tổ dân phố “TDP99”");
    expect(byLine[6]).toContain("Trùng mã hộ B-001");
    expect(byLine[7]).toContain("Số điện thoại “12345” không đúng");
    expect(byLine[8]).toContain("Hộ nghèo");
    expect(byLine[8]).toContain("Tiểu thương");
    expect(byLine[9]).toContain("Năm sinh “năm ngoái” không đọc được");

    const result = await commitRosterImport({ uploadId: id, actor: office });
    expect(result?.ok).toBe(false);
    // All or nothing: not even the good first row went in.
    expect(await householdByCode("B-001")).toBeUndefined();
  });

  it("says which required column is missing", async () => {
    const id = await upload(
      csv([`X-1,${groupA.code},Nguyễn Văn Quý,1960`], "Mã hộ,Tổ dân phố,Họ và tên,Năm sinh"),
    );
    const preview = await previewRosterImport({ uploadId: id, actor: office });
    expect(preview?.fileErrors.join(" ")).toContain("“Địa chỉ”");
  });

  it("reads UTF-8 with a BOM, semicolons, and Vietnamese typed in decomposed (NFD) form", async () => {
    const nfdName = "Nguyễn Thị Thuỷ".normalize("NFD");
    const nfdAddress = "20 Hồ Nghinh".normalize("NFD");
    const header = rosterHeaderLine.normalize("NFD").replaceAll(",", ";");
    const body = [`N-001;${groupA.name.normalize("NFD")};${nfdAddress};;${nfdName};1948;;;;;;x`].join("\r\n");
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`${header}\r\n${body}\r\n`)]);
    const id = await upload(bytes, "nfd.csv");
    const preview = await previewRosterImport({ uploadId: id, actor: office });
    expect(preview?.fileErrors).toEqual([]);
    expect(preview?.issues).toEqual([]);
    await commitRosterImport({ uploadId: id, actor: office });
    const [person] = await residentsOf("N-001");
    expect(person!.fullName).toBe("Nguyễn Thị Thuỷ".normalize("NFC"));
    expect((await householdByCode("N-001"))!.address).toBe("20 Hồ Nghinh");

    // The same people typed in NFC later are the same people.
    const nfc = await upload(csv([`N-001,${groupA.code},20 Hồ Nghinh,,Nguyễn Thị Thuỷ,1948,,,,,,x`]));
    const again = await previewRosterImport({ uploadId: nfc, actor: office });
    expect(again?.changes).toMatchObject({ residentsNew: 0, residentsUnchanged: 1, householdsUnchanged: 1 });
  });

  it("reads an XLSX workbook with Excel date cells and numbers typed without the leading zero", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Danh sách");
    sheet.addRow(rosterHeaderLine.split(","));
    sheet.addRow([
      "X-001",
      groupA.code,
      "30 Phước Mỹ",
      "nghèo",
      "Bùi Văn Quang",
      new Date(Date.UTC(1957, 2, 12)),
      905777888,
      "",
      "",
      "",
      "",
      "x",
    ]);
    sheet.addRow([
      "X-001",
      groupA.code,
      "30 Phước Mỹ",
      "nghèo",
      { richText: [{ text: "Bùi Thị " }, { text: "Rạng" }] },
      1960,
      "",
      "",
      "",
      "",
      "",
      "",
    ]);
    // A date that reached the sheet as its serial number: 21987 is 12 March 1960.
    sheet.addRow(["X-002", groupA.code, "31 Phước Mỹ", "", "Đặng Văn Sang", 21987, "", "", "", "", "", ""]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const id = await upload(bytes, "danh-sach.xlsx");
    const preview = await previewRosterImport({ uploadId: id, actor: office });
    expect(preview?.issues).toEqual([]);
    await commitRosterImport({ uploadId: id, actor: office });
    const people = await residentsOf("X-001");
    expect(people.map((p) => [p.fullName, p.birthYear, p.phone])).toEqual([
      ["Bùi Văn Quang", 1957, "+84905777888"],
      ["Bùi Thị Rạng", 1960, null],
    ]);
    expect((await residentsOf("X-002"))[0]!.birthYear).toBe(1960);
  });

  it("never lets a namesake in the file take over another person's record", async () => {
    const first = await upload(csv([`S-001,${groupA.code},2 Lý Thường Kiệt,,Nguyễn Văn Anh,1950,,,,,,`]));
    await commitRosterImport({ uploadId: first, actor: office });
    const [father] = await residentsOf("S-001");
    // The son has the same name; he is listed first.
    const second = await upload(
      csv([
        `S-001,${groupA.code},2 Lý Thường Kiệt,,Nguyễn Văn Anh,1980,,,,,,`,
        `S-001,${groupA.code},2 Lý Thường Kiệt,,Nguyễn Văn Anh,1950,,,,,,`,
      ]),
    );
    const preview = await previewRosterImport({ uploadId: second, actor: office });
    expect(preview?.changes).toMatchObject({ residentsNew: 1, residentsUnchanged: 1, residentsUpdated: 0 });
    await commitRosterImport({ uploadId: second, actor: office });
    const people = await residentsOf("S-001");
    expect(people.map((p) => [p.id === father!.id, p.birthYear])).toEqual([
      [true, 1950],
      [false, 1980],
    ]);
  });

  it("moves a household to another residential group, taking it from the old team's member, and never touches another ward", async () => {
    const id = await upload(csv([`M-001,${groupA.code},8 Trần Quang Khải,,Lương Văn Vũ,1966,,,,,,`]));
    await commitRosterImport({ uploadId: id, actor: office });
    const h = await householdByCode("M-001");
    const db = await getDb();
    const helper = await createUser();
    await db.insert(s.householdAssignments).values({ householdId: h!.id, memberUserId: helper.id });
    const moved = await upload(csv([`M-001,${groupB.code},8 Trần Quang Khải,,Lương Văn Vũ,1966,,,,,,`]));
    await commitRosterImport({ uploadId: moved, actor: office });
    expect((await householdByCode("M-001"))!.groupId).toBe(groupB.id);
    expect(
      await db.select().from(s.householdAssignments).where(eq(s.householdAssignments.householdId, h!.id)),
    ).toEqual([]);

    const otherWard = await createWard();
    const { group: faraway } = await createGroup(otherWard.id);
    await db
      .insert(s.households)
      .values({ groupId: faraway.id, code: "XA-001", linkCode: "FARAWAY1", address: "Phường khác" });
    const clash = await upload(csv([`XA-001,${groupA.code},1 Ngô Quyền,,Lương Thị Xuân,1970,,,,,,`]));
    const preview = await previewRosterImport({ uploadId: clash, actor: office });
    expect(preview?.issues[0]?.messages.join(" ")).toContain("đã thuộc một phường khác");
    expect((await commitRosterImport({ uploadId: clash, actor: office }))?.ok).toBe(false);
  });

  it("keeps residents a member added in the field when the office imports again", async () => {
    const id = await upload(csv([`F-001,${groupA.code},40 Dương Vân Nga,,Hoàng Văn Tài,1965,,,,,,`]));
    await commitRosterImport({ uploadId: id, actor: office });
    const h = await householdByCode("F-001");
    const db = await getDb();
    await db
      .insert(s.residents)
      .values({ householdId: h!.id, fullName: "Hoàng Thị Uyên", birthYear: 1990, consentAt: new Date() });
    const again = await upload(csv([`F-001,${groupA.code},40 Dương Vân Nga,,Hoàng Văn Tài,1965,,,,,,`]));
    await commitRosterImport({ uploadId: again, actor: office });
    const people = await db
      .select({ id: s.residents.id })
      .from(s.residents)
      .where(inArray(s.residents.householdId, [h!.id]));
    expect(people).toHaveLength(2);
  });

  it("deletes files previewed but never imported after a day, and keeps the imported ones", async () => {
    const db = await getDb();
    const imported = await upload(csv([`P-001,${groupA.code},2 Lê Bình,,Đỗ Văn Phúc,1958,,,,,,`]));
    await commitRosterImport({ uploadId: imported, actor: office });
    const abandoned = await upload(
      csv([`P-002,${groupA.code},4 Lê Bình,,Đỗ Thị Quế,1961,0905 444 555,,,,,`]),
    );
    const fresh = await upload(csv([`P-003,${groupA.code},6 Lê Bình,,Đỗ Văn Sơn,1963,,,,,,`]));
    const dayAgo = new Date(Date.now() - 25 * 3_600_000);
    await db
      .update(s.uploads)
      .set({ createdAt: dayAgo })
      .where(inArray(s.uploads.id, [imported, abandoned]));
    const [abandonedRow] = await db.select().from(s.uploads).where(eq(s.uploads.id, abandoned));
    expect(fs.existsSync(path.join(folder, abandonedRow!.storageKey))).toBe(true);

    expect(await pruneUnimportedRosterFiles()).toBeGreaterThanOrEqual(1);
    const left = (
      await db
        .select({ id: s.uploads.id })
        .from(s.uploads)
        .where(inArray(s.uploads.id, [imported, abandoned, fresh]))
    ).map((u) => u.id);
    expect(left.sort()).toEqual([imported, fresh].sort());
    expect(fs.existsSync(path.join(folder, abandonedRow!.storageKey))).toBe(false);
    // Its page now says the file is gone; committing it writes nothing.
    expect(await previewRosterImport({ uploadId: abandoned, actor: office })).toBeNull();
    expect(await commitRosterImport({ uploadId: abandoned, actor: office })).toBeNull();
    expect(await householdByCode("P-002")).toBeUndefined();
  });
});

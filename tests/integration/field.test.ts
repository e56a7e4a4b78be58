import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { checkBadge, getCurrentBadge } from "~/badges.server";
import {
  addHousehold,
  addResident,
  assignHouseholds,
  FieldError,
  getHouseholdForFieldWorker,
  getResidentForFieldWorker,
  getTeamCoverage,
  listHouseholdsForMember,
  recordConsent,
  recordSkills,
  recordVisit,
  updateResident,
} from "~/field.server";
import { listFilterSchema } from "~/forms/field";
import { currentYear } from "~/format";
import type { FieldActor } from "~/access.server";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/session.server";
import { LocalDiskStore, setStoreForTests } from "~/uploads.server";
import { loader as householdLoader } from "~/routes/field.households.$id";
import { loader as fileLoader } from "~/routes/files.$id";
import {
  action as correctAction,
  loader as correctLoader,
} from "~/routes/field.households.$id_.residents.$residentId";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
  fieldActorOf,
} from "../support/factories";
import { actionArgs, cookieFor, getRequest, loaderArgs, outcome, postRequest } from "../support/http";

const jpeg = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9,
]);
const exe = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);

let folder: string;
let teamA: { id: number };
let groupA: { id: number };
let groupB: { id: number };
let leader: { id: number };
let member: { id: number };
let otherMember: { id: number };
let outsider: { id: number };
let leaderActor: FieldActor;
let memberActor: FieldActor;
let otherActor: FieldActor;
let outsiderActor: FieldActor;
const year = currentYear();

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-field-"));
  setStoreForTests(new LocalDiskStore(folder));
  const ward = await createWard();
  const a = await createGroup(ward.id);
  const b = await createGroup(ward.id);
  teamA = a.team;
  groupA = a.group;
  groupB = b.group;
  leader = await createUser({ displayName: "Tổ trưởng Lê Văn Tâm" });
  member = await createUser({ displayName: "Thành viên Trần Thị Mai" });
  otherMember = await createUser({ displayName: "Thành viên Ngô Văn Bình" });
  outsider = await createUser({ displayName: "Thành viên tổ khác" });
  await addMember(a.team.id, leader.id, "leader");
  await addMember(a.team.id, member.id);
  await addMember(a.team.id, otherMember.id);
  await addMember(b.team.id, outsider.id);
  leaderActor = await fieldActorOf(leader.id);
  memberActor = await fieldActorOf(member.id);
  otherActor = await fieldActorOf(otherMember.id);
  outsiderActor = await fieldActorOf(outsider.id);
});

afterAll(() => {
  setStoreForTests(undefined);
  fs.rmSync(folder, { recursive: true, force: true });
});

const filters = (over: Record<string, unknown> = {}) => listFilterSchema.parse(over);

async function auditActions(entity: "household" | "resident", entityId: number) {
  const db = await getDb();
  return (
    await db
      .select({ action: s.auditLog.action })
      .from(s.auditLog)
      .where(and(eq(s.auditLog.entity, entity), eq(s.auditLog.entityId, String(entityId))))
      .orderBy(s.auditLog.id)
  ).map((r) => r.action);
}

describe("assignments", () => {
  it("a leader gives households to a member, who then sees them as “my households”", async () => {
    const h1 = await createHousehold(groupA.id, { address: "1 Ngô Quyền" });
    const h2 = await createHousehold(groupA.id, { address: "2 Ngô Quyền" });
    expect(
      await assignHouseholds({ actor: leaderActor, householdIds: [h1.id, h2.id], memberUserId: member.id }),
    ).toBe(2);
    const mine = await listHouseholdsForMember({ actor: memberActor, filters: filters() });
    expect(mine.items.map((h) => h.address)).toEqual(expect.arrayContaining(["1 Ngô Quyền", "2 Ngô Quyền"]));
    const others = await listHouseholdsForMember({ actor: otherActor, filters: filters() });
    expect(others.items.map((h) => h.id)).not.toContain(h1.id);

    // Reassigning moves the household; the history is in the audit log.
    await assignHouseholds({ actor: leaderActor, householdIds: [h1.id], memberUserId: otherMember.id });
    const after = await listHouseholdsForMember({ actor: memberActor, filters: filters() });
    expect(after.items.map((h) => h.id)).not.toContain(h1.id);
    expect(await auditActions("household", h1.id)).toEqual(["household.assigned", "household.assigned"]);

    const coverage = await getTeamCoverage({ actor: leaderActor });
    expect(coverage.members.find((m) => m.userId === otherMember.id)?.assigned).toBeGreaterThanOrEqual(1);
  });

  it("refuses a member who is not the leader, a person of another team, and a household of another group", async () => {
    const h = await createHousehold(groupA.id);
    const elsewhere = await createHousehold(groupB.id);
    await expect(
      assignHouseholds({ actor: memberActor, householdIds: [h.id], memberUserId: member.id }),
    ).rejects.toThrow(FieldError);
    await expect(
      assignHouseholds({ actor: leaderActor, householdIds: [h.id], memberUserId: outsider.id }),
    ).rejects.toThrow("không phải thành viên");
    await expect(
      assignHouseholds({ actor: leaderActor, householdIds: [elsewhere.id], memberUserId: member.id }),
    ).rejects.toThrow("không thuộc tổ dân phố");
  });
});

describe("my households list", () => {
  it("filters by not yet visited, missing skills and priority group", async () => {
    const elderly = await createHousehold(groupA.id, { address: "10 Hà Bổng" });
    await createResident(elderly.id, { birthYear: year - 70 });
    const poor = await createHousehold(groupA.id, { address: "11 Hà Bổng", povertyStatus: "poor" });
    const trader = await createResident(poor.id, { birthYear: year - 40, isSmallTrader: true });
    const done = await createHousehold(groupA.id, { address: "12 Hà Bổng" });
    const young = await createResident(done.id, { birthYear: year - 30 });
    await assignHouseholds({
      actor: leaderActor,
      householdIds: [elderly.id, poor.id, done.id],
      memberUserId: member.id,
    });
    await recordSkills({
      actor: memberActor,
      residentId: young.id,
      method: "assisted",
      skills: ["vneid_level2", "dsc_installed"],
    });
    await recordVisit({
      actor: memberActor,
      householdId: done.id,
      visitedOn: "2026-11-02",
      topics: ["vneid"],
      notes: "",
      photos: [],
    });
    void trader;

    const ids = async (over: Record<string, unknown>) =>
      (await listHouseholdsForMember({ actor: memberActor, filters: filters(over) })).items.map((h) => h.id);
    expect(await ids({ notVisited: "on" })).toEqual(expect.arrayContaining([elderly.id, poor.id]));
    expect(await ids({ notVisited: "on" })).not.toContain(done.id);
    expect(await ids({ missingSkills: "on" })).not.toContain(done.id);
    expect(await ids({ missingSkills: "on" })).toEqual(expect.arrayContaining([elderly.id, poor.id]));
    expect(await ids({ priority: "elderly" })).toEqual([elderly.id]);
    expect(await ids({ priority: "poor" })).toEqual([poor.id]);
    expect(await ids({ priority: "trader" })).toEqual([poor.id]);
    expect(await ids({ priority: "near_poor" })).toEqual([]);
  });
});

describe("the skills checklist", () => {
  it("keeps every record with who, when and how, and the current state beside it", async () => {
    const h = await createHousehold(groupA.id);
    const person = await createResident(h.id, { birthYear: 1950 });
    expect(
      await recordSkills({
        actor: memberActor,
        residentId: person.id,
        method: "self",
        skills: ["vneid_installed"],
      }),
    ).toEqual({
      added: ["vneid_installed"],
      withdrawn: [],
    });
    // The member sees it on the phone: confirmed. Ticking level 2 with help on the same visit.
    await recordSkills({
      actor: otherActor,
      residentId: person.id,
      method: "confirmed",
      skills: ["vneid_installed", "vneid_level2"],
    });
    // Saving the same state again records nothing new.
    expect(
      await recordSkills({
        actor: memberActor,
        residentId: person.id,
        method: "confirmed",
        skills: ["vneid_installed", "vneid_level2"],
      }),
    ).toEqual({ added: [], withdrawn: [] });
    // Level 2 was ticked by mistake: unticking withdraws it.
    await recordSkills({
      actor: memberActor,
      residentId: person.id,
      method: "assisted",
      skills: ["vneid_installed"],
    });

    const detail = await getHouseholdForFieldWorker({ actor: memberActor, householdId: h.id });
    const resident = detail!.residents[0]!;
    expect(Object.keys(resident.skills)).toEqual(["vneid_installed"]);
    expect(resident.skills.vneid_installed?.method).toBe("confirmed");
    expect(resident.history.map((r) => [r.skill, r.value, r.method, r.recordedByName])).toEqual(
      expect.arrayContaining([
        ["vneid_installed", true, "self", "Thành viên Trần Thị Mai"],
        ["vneid_installed", true, "confirmed", "Thành viên Ngô Văn Bình"],
        ["vneid_level2", true, "confirmed", "Thành viên Ngô Văn Bình"],
        ["vneid_level2", false, "assisted", "Thành viên Trần Thị Mai"],
      ]),
    );
    expect(resident.history).toHaveLength(4);
    const db = await getDb();
    const current = await db
      .select()
      .from(s.residentSkills)
      .where(eq(s.residentSkills.residentId, person.id));
    expect(current.map((c) => c.skill)).toEqual(["vneid_installed"]);
    expect(await auditActions("resident", person.id)).toEqual([
      "skill.recorded",
      "skill.recorded",
      "skill.recorded",
    ]);
  });
});

describe("visits, and adding households and residents met in the field", () => {
  it("a member records a visit with a photo", async () => {
    const h = await createHousehold(groupA.id);
    const visitId = await recordVisit({
      actor: memberActor,
      householdId: h.id,
      visitedOn: "2026-11-03",
      topics: ["dsc", "an_toan"],
      notes: "Bà đã cài Danang Smart City.",
      photos: [{ name: "nha-ba.jpg", bytes: jpeg }],
    });
    const detail = await getHouseholdForFieldWorker({ actor: memberActor, householdId: h.id });
    expect(detail!.visits).toHaveLength(1);
    expect(detail!.visits[0]).toMatchObject({
      id: visitId,
      topics: ["dsc", "an_toan"],
      memberName: "Thành viên Trần Thị Mai",
    });
    expect(detail!.visits[0]!.photos).toHaveLength(1);
    expect(await auditActions("household", h.id)).toContain("visit.recorded");
  });

  it("a disguised program as a photo refuses the visit and stores nothing", async () => {
    const h = await createHousehold(groupA.id);
    const binFiles = () =>
      fs.readdirSync(folder, { recursive: true }).filter((f) => String(f).endsWith(".bin")).length;
    const before = binFiles();
    await expect(
      recordVisit({
        actor: memberActor,
        householdId: h.id,
        visitedOn: "2026-11-03",
        topics: ["vneid"],
        notes: "",
        photos: [
          { name: "anh.jpg", bytes: jpeg },
          { name: "virus.jpg", bytes: exe },
        ],
      }),
    ).rejects.toThrow("không phải ảnh");
    const detail = await getHouseholdForFieldWorker({ actor: memberActor, householdId: h.id });
    expect(detail!.visits).toHaveLength(0);
    // The good photo stored before the bad one was found is removed again.
    expect(binFiles()).toBe(before);
  });

  it("a member adds a household and a resident, with the resident's consent recorded", async () => {
    const id = await addHousehold({
      actor: memberActor,
      address: "99 Trần Hưng Đạo",
      code: "",
      povertyStatus: "near_poor",
    });
    const mine = await listHouseholdsForMember({ actor: memberActor, filters: filters() });
    expect(mine.items.find((h) => h.id === id)).toMatchObject({
      address: "99 Trần Hưng Đạo",
      povertyStatus: "near_poor",
    });
    const residentId = await addResident({
      actor: memberActor,
      householdId: id,
      resident: {
        fullName: "Võ Thị Xuân".normalize("NFD"),
        birthYear: 1944,
        phone: "0905 444 555",
        isHighSchoolStudent: false,
        isEnterpriseWorker: false,
        isFreelanceWorker: false,
        isSmallTrader: true,
      },
    });
    const db = await getDb();
    const [row] = await db.select().from(s.residents).where(eq(s.residents.id, residentId!));
    expect(row).toMatchObject({
      fullName: "Võ Thị Xuân",
      phone: "+84905444555",
      consentRecordedBy: member.id,
    });
    expect(row!.consentAt).not.toBeNull();
    expect(await auditActions("household", id)).toContain("household.created");
    expect(await auditActions("resident", residentId!)).toContain("resident.created");
    await expect(
      addHousehold({
        actor: memberActor,
        address: "1 Lý Thường Kiệt",
        code: mine.items[0]!.code,
        povertyStatus: "none",
      }),
    ).rejects.toThrow("đã có");
  });
});

describe("correcting a resident's details", () => {
  const details = (over: Partial<Parameters<typeof updateResident>[0]["resident"]> = {}) => ({
    fullName: "Phan Thị Lài",
    birthYear: 1950,
    phone: "",
    isHighSchoolStudent: false,
    isEnterpriseWorker: false,
    isFreelanceWorker: false,
    isSmallTrader: false,
    ...over,
  });

  async function auditDetails(residentId: number) {
    const db = await getDb();
    return db
      .select({ action: s.auditLog.action, actorUserId: s.auditLog.actorUserId, details: s.auditLog.details })
      .from(s.auditLog)
      .where(and(eq(s.auditLog.entity, "resident"), eq(s.auditLog.entityId, String(residentId))))
      .orderBy(s.auditLog.id);
  }

  it("a member corrects a birth year and a phone: stored, and audited with what changed but not the phone number", async () => {
    const h = await createHousehold(groupA.id);
    const person = await createResident(h.id, { fullName: "Phan Thị Lài", birthYear: 1950 });
    const shown = await getResidentForFieldWorker({
      actor: memberActor,
      householdId: h.id,
      residentId: person.id,
    });
    expect(shown).toMatchObject({ fullName: "Phan Thị Lài", birthYear: 1950, phone: "" });

    const result = await updateResident({
      actor: memberActor,
      householdId: h.id,
      residentId: person.id,
      resident: details({ birthYear: 1952, phone: "0905 777 888" }),
      version: shown!.version,
    });
    expect(result).toEqual({ status: "updated", fields: ["birthYear", "phone"] });
    const db = await getDb();
    const [row] = await db.select().from(s.residents).where(eq(s.residents.id, person.id));
    expect(row).toMatchObject({ fullName: "Phan Thị Lài", birthYear: 1952, phone: "+84905777888" });

    const log = await auditDetails(person.id);
    expect(log).toEqual([
      {
        action: "resident.updated",
        actorUserId: member.id,
        details: {
          householdId: h.id,
          fields: ["birthYear", "phone"],
          from: { birthYear: 1950 },
          to: { birthYear: 1952 },
        },
      },
    ]);
    expect(JSON.stringify(log)).not.toContain("905777888");

    // Saving the same values again (the phone typed another way) changes and logs nothing.
    expect(
      await updateResident({
        actor: memberActor,
        householdId: h.id,
        residentId: person.id,
        resident: details({ birthYear: 1952, phone: "+84 905.777.888" }),
      }),
    ).toEqual({ status: "unchanged" });
    expect(await auditDetails(person.id)).toHaveLength(1);
  });

  it("through the form: the member is sent back to the household with a message; bad input is refused with what was typed kept and nothing stored", async () => {
    const h = await createHousehold(groupA.id);
    const person = await createResident(h.id, {
      fullName: "Đặng Văn Hùng",
      birthYear: 1961,
      isSmallTrader: true,
    });
    const cookie = await cookieFor({ id: member.id, role: "member" });
    const address = `/field/households/${h.id}/residents/${person.id}`;
    const params = { id: String(h.id), residentId: String(person.id) };
    const page = await correctLoader(loaderArgs(getRequest(address, cookie), params));
    const version = page.resident.version;
    const form = { fullName: "Đặng Văn Hùng", birthYear: "1961", phone: "", isSmallTrader: "on", version };

    const refused = await outcome(() =>
      correctAction(
        actionArgs(
          postRequest(address, { ...form, fullName: " ", birthYear: "61", phone: "0905 12" }, { cookie }),
          params,
        ),
      ),
    );
    expect(refused.kind).toBe("page");
    const data = (refused as { data: { errors: Record<string, string>; values: Record<string, string> } })
      .data;
    expect(data.errors).toEqual({
      fullName: "Hãy nhập họ và tên.",
      birthYear: "Năm sinh có 4 chữ số, ví dụ 1958.",
      phone: "Số di động có 10 chữ số, ví dụ 0905 123 456.",
    });
    expect(data.values).toMatchObject({ birthYear: "61", phone: "0905 12" });
    const tooOld = await outcome(() =>
      correctAction(actionArgs(postRequest(address, { ...form, birthYear: "1850" }, { cookie }), params)),
    );
    expect((tooOld as { data: { errors: Record<string, string> } }).data.errors).toEqual({
      birthYear: "Năm sinh không hợp lý.",
    });
    const db = await getDb();
    const [unchanged] = await db.select().from(s.residents).where(eq(s.residents.id, person.id));
    expect(unchanged).toMatchObject({
      fullName: "Đặng Văn Hùng",
      birthYear: 1961,
      phone: null,
      isSmallTrader: true,
    });
    expect(await auditDetails(person.id)).toEqual([]);

    // The same values: nothing to save, and the page says so.
    const same = await outcome(() =>
      correctAction(actionArgs(postRequest(address, form, { cookie }), params)),
    );
    expect(same).toMatchObject({
      kind: "redirect",
      location: `/field/households/${h.id}?saved=unchanged#nguoi-${person.id}`,
    });
    expect(await auditDetails(person.id)).toEqual([]);

    // No longer a small trader, and a corrected birth year.
    const { isSmallTrader: _trader, ...rest } = form;
    const saved = await outcome(() =>
      correctAction(actionArgs(postRequest(address, { ...rest, birthYear: "1962" }, { cookie }), params)),
    );
    expect(saved).toMatchObject({
      kind: "redirect",
      location: `/field/households/${h.id}?saved=corrected#nguoi-${person.id}`,
    });
    const [row] = await db.select().from(s.residents).where(eq(s.residents.id, person.id));
    expect(row).toMatchObject({ birthYear: 1962, isSmallTrader: false });
    expect((await auditDetails(person.id)).map((e) => e.details)).toEqual([
      {
        householdId: h.id,
        fields: ["birthYear", "isSmallTrader"],
        from: { birthYear: 1961, isSmallTrader: true },
        to: { birthYear: 1962, isSmallTrader: false },
      },
    ]);

    // A form shown before that change no longer overwrites it.
    const stale = await outcome(() =>
      correctAction(actionArgs(postRequest(address, { ...form, birthYear: "1960" }, { cookie }), params)),
    );
    expect((stale as { data: { errors: Record<string, string> } }).data.errors.form).toContain(
      "người khác đã thay đổi",
    );
    const [after] = await db.select().from(s.residents).where(eq(s.residents.id, person.id));
    expect(after!.birthYear).toBe(1962);
  });

  it("a member of another team can neither open nor correct the resident", async () => {
    const h = await createHousehold(groupA.id);
    const person = await createResident(h.id, { fullName: "Lý Thị Bông", birthYear: 1970 });
    const other = await createHousehold(groupA.id);
    expect(
      await getResidentForFieldWorker({ actor: outsiderActor, householdId: h.id, residentId: person.id }),
    ).toBeNull();
    expect(
      await updateResident({
        actor: outsiderActor,
        householdId: h.id,
        residentId: person.id,
        resident: details({ birthYear: 1971 }),
      }),
    ).toBeNull();
    // Nor through another household's address, even in the member's own group.
    expect(
      await updateResident({
        actor: memberActor,
        householdId: other.id,
        residentId: person.id,
        resident: details(),
      }),
    ).toBeNull();

    const cookie = await cookieFor({ id: outsider.id, role: "member" });
    const address = `/field/households/${h.id}/residents/${person.id}`;
    const params = { id: String(h.id), residentId: String(person.id) };
    expect(await outcome(() => correctLoader(loaderArgs(getRequest(address, cookie), params)))).toMatchObject(
      { kind: "status", status: 404 },
    );
    const posted = await outcome(() =>
      correctAction(
        actionArgs(
          postRequest(address, { fullName: "Lý Thị Bông", birthYear: "1971", phone: "" }, { cookie }),
          params,
        ),
      ),
    );
    expect(posted).toMatchObject({ kind: "status", status: 404 });
    const db = await getDb();
    const [row] = await db.select().from(s.residents).where(eq(s.residents.id, person.id));
    expect(row).toMatchObject({ fullName: "Lý Thị Bông", birthYear: 1970 });
    expect(await auditDetails(person.id)).toEqual([]);
  });
});

describe("consent", () => {
  it("a member records the consent of a roster resident met at the door, once, with who took it", async () => {
    const h = await createHousehold(groupA.id);
    const person = await createResident(h.id, { consentAt: null });
    expect(await recordConsent({ actor: outsiderActor, residentId: person.id })).toBe(false);
    expect(await recordConsent({ actor: memberActor, residentId: person.id })).toBe(true);
    expect(await recordConsent({ actor: otherActor, residentId: person.id })).toBe(true);
    const db = await getDb();
    const [row] = await db.select().from(s.residents).where(eq(s.residents.id, person.id));
    expect(row!.consentRecordedBy).toBe(member.id);
    expect(await auditActions("resident", person.id)).toEqual(["resident.consent_recorded"]);
  });
});

describe("members reach only their own team's residential group", () => {
  it("another team's household is not found, and nothing can be recorded there", async () => {
    const h = await createHousehold(groupA.id);
    const person = await createResident(h.id);
    expect(await getHouseholdForFieldWorker({ actor: outsiderActor, householdId: h.id })).toBeNull();
    expect(
      await recordSkills({
        actor: outsiderActor,
        residentId: person.id,
        method: "assisted",
        skills: ["dsc_installed"],
      }),
    ).toBeNull();
    expect(
      await recordVisit({
        actor: outsiderActor,
        householdId: h.id,
        visitedOn: "2026-11-01",
        topics: ["vneid"],
        notes: "",
        photos: [],
      }),
    ).toBeNull();
    const added = await addResident({
      actor: outsiderActor,
      householdId: h.id,
      resident: {
        fullName: "Kẻ Lạ",
        birthYear: 1980,
        phone: "",
        isHighSchoolStudent: false,
        isEnterpriseWorker: false,
        isFreelanceWorker: false,
        isSmallTrader: false,
      },
    });
    expect(added).toBeNull();
    const db = await getDb();
    expect(await db.select().from(s.skillRecords).where(eq(s.skillRecords.residentId, person.id))).toEqual(
      [],
    );
  });

  it("the household page answers 404 and a photo of another team answers 403", async () => {
    const h = await createHousehold(groupA.id);
    await recordVisit({
      actor: memberActor,
      householdId: h.id,
      visitedOn: "2026-11-04",
      topics: ["vneid"],
      notes: "",
      photos: [{ name: "a.jpg", bytes: jpeg }],
    });
    const db = await getDb();
    const [photo] = await db
      .select({ id: s.uploads.id })
      .from(s.uploads)
      .innerJoin(s.visits, eq(s.visits.id, s.uploads.visitId))
      .where(and(eq(s.visits.householdId, h.id)));

    const asUser = async (userId: number, role: s.Role) => {
      const token = generateSessionToken();
      await createSession(token, { id: userId, role }, null);
      return { Cookie: `${SESSION_COOKIE}=${token}` };
    };
    const outsiderHeaders = await asUser(outsider.id, "member");
    const memberHeaders = await asUser(member.id, "member");
    const call = async <T>(fn: () => Promise<T>) => {
      try {
        return await fn();
      } catch (thrown) {
        return thrown;
      }
    };
    const page = await call(() =>
      householdLoader({
        request: new Request(`http://localhost/field/households/${h.id}`, { headers: outsiderHeaders }),
        params: { id: String(h.id) },
        context: {},
      }),
    );
    expect((page as Response).status).toBe(404);
    const own = await householdLoader({
      request: new Request(`http://localhost/field/households/${h.id}`, { headers: memberHeaders }),
      params: { id: String(h.id) },
      context: {},
    });
    expect(own.household.id).toBe(h.id);

    const refused = await call(() =>
      fileLoader({
        request: new Request(`http://localhost/files/${photo!.id}`, { headers: outsiderHeaders }),
        params: { id: String(photo!.id) },
        context: {},
      }),
    );
    expect((refused as Response).status).toBe(403);
    const served = (await fileLoader({
      request: new Request(`http://localhost/files/${photo!.id}`, { headers: memberHeaders }),
      params: { id: String(photo!.id) },
      context: {},
    })) as Response;
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/jpeg");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(jpeg);
  });
});

describe("badges", () => {
  it("a current member's badge says so; ending the membership ends the badge", async () => {
    const person = await createUser({ displayName: "Đoàn viên Hồ Minh Khang" });
    const membership = await addMember(teamA.id, person.id);
    const badge = await getCurrentBadge(person.id);
    expect(badge).toMatchObject({ holderName: "Đoàn viên Hồ Minh Khang", code: membership.badgeCode });
    expect((await checkBadge(membership.badgeCode.toLowerCase())).status).toBe("current");

    const db = await getDb();
    await db.update(s.teamMembers).set({ endedAt: new Date() }).where(eq(s.teamMembers.id, membership.id));
    expect(await getCurrentBadge(person.id)).toBeNull();
    const check = await checkBadge(membership.badgeCode);
    expect(check.status).toBe("ended");
    expect((await checkBadge("KHONGCOMANAY")).status).toBe("unknown");
    expect((await checkBadge("../../x")).status).toBe("unknown");
  });
});

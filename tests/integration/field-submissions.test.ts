import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { addHousehold, addResident } from "~/field.server";
import type { FieldActor } from "~/access.server";
import { action as householdAction } from "~/routes/field.households.$id";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
  fieldActorOf,
} from "../support/factories";
import { actionArgs, cookieFor, ORIGIN, outcome } from "../support/http";

let member: { id: number; role: "member" };
let cookie: string;
let actor: FieldActor;
let groupId: number;

beforeAll(async () => {
  const ward = await createWard();
  const { group, team } = await createGroup(ward.id);
  groupId = group.id;
  const user = await createUser({ displayName: "Thành viên Phạm Thu Hà", role: "member" });
  member = { id: user.id, role: "member" };
  await addMember(team.id, user.id);
  actor = await fieldActorOf(user.id);
  cookie = await cookieFor(member);
});

/** A form post as the browser sends it, repeated fields included. */
function post(householdId: number, fields: [string, string][]) {
  const request = new Request(`${ORIGIN}/field/households/${householdId}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: cookie,
      Origin: ORIGIN,
      "X-Real-IP": "198.51.100.9",
    },
    body: new URLSearchParams(fields).toString(),
  });
  return outcome(() => householdAction(actionArgs(request, { id: String(householdId) })));
}

const visitFields = (submissionId: string): [string, string][] => [
  ["intent", "visit"],
  ["submissionId", submissionId],
  ["visitedOn", "2026-11-20"],
  ["topics", "vneid"],
  ["topics", "dsc"],
  ["notes", "Hướng dẫn ông cài VNeID."],
];

async function countRows() {
  const db = await getDb();
  return {
    visits: (await db.select({ id: s.visits.id }).from(s.visits)).length,
    skillRecords: (await db.select({ id: s.skillRecords.id }).from(s.skillRecords)).length,
  };
}

describe("the household checklist", () => {
  it("ticking two people and pressing save under the second saves both", async () => {
    const h = await createHousehold(groupId);
    const grandma = await createResident(h.id, { fullName: "Nguyễn Thị Lan", birthYear: 1950 });
    const grandson = await createResident(h.id, { fullName: "Nguyễn Văn Minh", birthYear: 2005 });
    const result = await post(h.id, [
      ["intent", "checklist"],
      ["submissionId", crypto.randomUUID()],
      ["residentIds", String(grandma.id)],
      ["residentIds", String(grandson.id)],
      ["shown-" + grandma.id, ""],
      ["shown-" + grandson.id, ""],
      ["skills-" + grandma.id, "vneid_installed"],
      ["method-" + grandma.id, "assisted"],
      ["skills-" + grandson.id, "vneid_installed"],
      ["skills-" + grandson.id, "dsc_installed"],
      ["method-" + grandson.id, "confirmed"],
    ]);
    expect(result.kind).toBe("redirect");
    if (result.kind === "redirect") expect(result.location).toContain("saved=skills&changes=3");
    const db = await getDb();
    const current = await db
      .select({
        residentId: s.residentSkills.residentId,
        skill: s.residentSkills.skill,
        method: s.residentSkills.method,
      })
      .from(s.residentSkills)
      .where(inArray(s.residentSkills.residentId, [grandma.id, grandson.id]));
    expect(current).toHaveLength(3);
    expect(current).toEqual(
      expect.arrayContaining([
        { residentId: grandma.id, skill: "vneid_installed", method: "assisted" },
        { residentId: grandson.id, skill: "vneid_installed", method: "confirmed" },
        { residentId: grandson.id, skill: "dsc_installed", method: "confirmed" },
      ]),
    );
  });

  it("leaves alone a person whose ticks did not change", async () => {
    const h = await createHousehold(groupId);
    const a = await createResident(h.id, { birthYear: 1960 });
    const b = await createResident(h.id, { birthYear: 1962 });
    const db = await getDb();
    await db
      .insert(s.residentSkills)
      .values({ residentId: a.id, skill: "vneid_installed", method: "self", recordedAt: new Date() });
    await post(h.id, [
      ["intent", "checklist"],
      ["submissionId", crypto.randomUUID()],
      ["residentIds", String(a.id)],
      ["residentIds", String(b.id)],
      ["shown-" + a.id, "vneid_installed"],
      ["skills-" + a.id, "vneid_installed"],
      ["method-" + a.id, "assisted"],
      ["shown-" + b.id, ""],
      ["skills-" + b.id, "cashless_payment"],
      ["method-" + b.id, "assisted"],
    ]);
    const [stillSelf] = await db
      .select({ method: s.residentSkills.method })
      .from(s.residentSkills)
      .where(eq(s.residentSkills.residentId, a.id));
    expect(stillSelf!.method).toBe("self");
    expect(await db.select().from(s.skillRecords).where(eq(s.skillRecords.residentId, b.id))).toHaveLength(1);
  });
});

describe("submission ids", () => {
  it("the same visit sent twice is stored once", async () => {
    const h = await createHousehold(groupId);
    const before = await countRows();
    const id = crypto.randomUUID();
    const first = await post(h.id, visitFields(id));
    const second = await post(h.id, visitFields(id));
    expect(first.kind).toBe("redirect");
    expect(second).toMatchObject({
      kind: "redirect",
      location: first.kind === "redirect" ? first.location : "",
    });
    expect((await countRows()).visits).toBe(before.visits + 1);
  });

  it("20 identical parallel posts store one visit and one skill record", async () => {
    const h = await createHousehold(groupId);
    const person = await createResident(h.id, { birthYear: 1970 });
    const before = await countRows();
    const visitId = crypto.randomUUID();
    const checklistId = crypto.randomUUID();
    const tick: [string, string][] = [
      ["intent", "checklist"],
      ["submissionId", checklistId],
      ["residentIds", String(person.id)],
      ["shown-" + person.id, ""],
      ["skills-" + person.id, "vneid_level2"],
      ["method-" + person.id, "assisted"],
    ];
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => post(h.id, visitFields(visitId))),
      ...Array.from({ length: 20 }, () => post(h.id, tick)),
    ]);
    expect(results.every((r) => r.kind === "redirect")).toBe(true);
    const after = await countRows();
    expect(after.visits).toBe(before.visits + 1);
    expect(after.skillRecords).toBe(before.skillRecords + 1);
    const db = await getDb();
    expect(
      await db
        .select()
        .from(s.fieldSubmissions)
        .where(inArray(s.fieldSubmissions.id, [visitId, checklistId])),
    ).toHaveLength(2);
  });

  it("a resident and a household registered twice with one id are stored once", async () => {
    const h = await createHousehold(groupId);
    const resident = {
      fullName: "Lê Thị Hoa",
      birthYear: 1980,
      phone: "",
      isHighSchoolStudent: false,
      isEnterpriseWorker: false,
      isFreelanceWorker: false,
      isSmallTrader: true,
    };
    const residentId = crypto.randomUUID();
    const [r1, r2] = await Promise.all([
      addResident({ actor, householdId: h.id, resident, submissionId: residentId }),
      addResident({ actor, householdId: h.id, resident, submissionId: residentId }),
    ]);
    expect(r1).toBe(r2);
    const db = await getDb();
    expect(await db.select().from(s.residents).where(eq(s.residents.householdId, h.id))).toHaveLength(1);

    const householdId = crypto.randomUUID();
    const input = {
      actor,
      address: "12 Kiệt 45 Ngô Quyền",
      code: "",
      povertyStatus: "none" as const,
      submissionId: householdId,
    };
    const [h1, h2] = await Promise.all([addHousehold(input), addHousehold(input)]);
    expect(h1).toBe(h2);
    expect(
      await db.select().from(s.households).where(eq(s.households.address, "12 Kiệt 45 Ngô Quyền")),
    ).toHaveLength(1);
  });

  it("another person cannot reuse someone's submission id", async () => {
    const h = await createHousehold(groupId);
    const id = crypto.randomUUID();
    await post(h.id, visitFields(id));
    const other = await createUser({ role: "member" });
    const { team } = await createGroup((await createWard()).id);
    await addMember(team.id, other.id);
    const otherCookie = await cookieFor({ id: other.id, role: "member" });
    const h2 = await createHousehold((await fieldActorOf(other.id)).groupId);
    const request = new Request(`${ORIGIN}/field/households/${h2.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: otherCookie, Origin: ORIGIN },
      body: new URLSearchParams(visitFields(id)).toString(),
    });
    const result = await outcome(() => householdAction(actionArgs(request, { id: String(h2.id) })));
    expect(result.kind).toBe("page");
    expect(JSON.stringify(result)).toContain("Mã gửi của biểu mẫu không hợp lệ");
  });
});

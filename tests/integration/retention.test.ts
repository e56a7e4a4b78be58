import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import type { FieldActor } from "~/access.server";
import {
  dueStage,
  householdFollowups,
  listFollowupHouseholds,
  recordFollowups,
  wardRetention,
} from "~/retention.server";
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

const DAY = 24 * 3600 * 1000;
const now = new Date();
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);

let wardId: number;
let groupId: number;
let member: { id: number };
let actor: FieldActor;

async function giveSkill(residentId: number, skill: s.SkillKey, at: Date) {
  const db = await getDb();
  await db.insert(s.residentSkills).values({ residentId, skill, method: "assisted", recordedAt: at });
}

async function assign(householdId: number) {
  const db = await getDb();
  await db
    .insert(s.householdAssignments)
    .values({ householdId, memberUserId: member.id, assignedBy: member.id });
}

beforeAll(async () => {
  const ward = await createWard();
  wardId = ward.id;
  const { group, team } = await createGroup(ward.id, "Tổ dân phố Hỏi Lại");
  groupId = group.id;
  member = await createUser({ displayName: "Thành viên Võ Thị Sen", role: "member" });
  await addMember(team.id, member.id);
  actor = await fieldActorOf(member.id);
});

describe("which question is due", () => {
  it("asks at 30 days, then at 90, once each", () => {
    expect(dueStage(daysAgo(29), now, new Set())).toBeNull();
    expect(dueStage(daysAgo(30), now, new Set())).toBe(30);
    expect(dueStage(daysAgo(45), now, new Set([30]))).toBeNull();
    expect(dueStage(daysAgo(90), now, new Set([30]))).toBe(90);
    expect(dueStage(daysAgo(200), now, new Set())).toBe(90);
    expect(dueStage(daysAgo(200), now, new Set([90]))).toBeNull();
  });
});

describe("the member's Cần hỏi lại list and the retention figures", () => {
  it("brings a household back at 30 and 90 days, and counts the answers by residential group", async () => {
    const h = await createHousehold(groupId, { address: "7 Kiệt 12 Trần Hưng Đạo" });
    await assign(h.id);
    const grandpa = await createResident(h.id, { fullName: "Võ Văn Tư", birthYear: 1950 });
    const daughter = await createResident(h.id, { fullName: "Võ Thị Năm", birthYear: 1985 });
    await giveSkill(grandpa.id, "vneid_installed", daysAgo(31));
    await giveSkill(grandpa.id, "dsc_installed", daysAgo(95));
    await giveSkill(daughter.id, "cashless_payment", daysAgo(10));
    const elsewhere = await createHousehold(groupId);
    await giveSkill((await createResident(elsewhere.id)).id, "vneid_installed", daysAgo(40));

    // Only the member's own households are on their list.
    expect(await listFollowupHouseholds({ actor, now })).toEqual([
      { id: h.id, code: h.code, address: "7 Kiệt 12 Trần Hưng Đạo", due: 2 },
    ]);
    const questions = await householdFollowups({ actor, householdId: h.id, now });
    expect(questions.map((q) => [q.fullName, q.skill, q.stage])).toEqual([
      ["Võ Văn Tư", "vneid_installed", 30],
      ["Võ Văn Tư", "dsc_installed", 90],
    ]);

    // Answered on the household page.
    const cookie = await cookieFor({ id: member.id, role: "member" });
    const fields: [string, string][] = [["intent", "followup"]];
    for (const q of questions)
      fields.push(["question", `${q.residentId}|${q.skill}|${q.stage}|${q.recordedAt}`]);
    fields.push(
      [`answer-${grandpa.id}-vneid_installed-30`, "still_uses"],
      [`answer-${grandpa.id}-dsc_installed-90`, "needs_help"],
    );
    const post = () =>
      outcome(() =>
        householdAction(
          actionArgs(
            new Request(`${ORIGIN}/field/households/${h.id}`, {
              method: "POST",
              headers: {
                "Content-Type": "application/x-www-form-urlencoded",
                Cookie: cookie,
                Origin: ORIGIN,
              },
              body: new URLSearchParams(fields).toString(),
            }),
            { id: String(h.id) },
          ),
        ),
      );
    expect(await post()).toMatchObject({
      kind: "redirect",
      location: expect.stringContaining("saved=followup&answers=2"),
    });
    // A double tap stores nothing new.
    expect(await post()).toMatchObject({ kind: "redirect", location: expect.stringContaining("answers=0") });
    expect(await listFollowupHouseholds({ actor, now })).toEqual([]);

    // Sixty days on, the skill asked at 30 days comes back for its 90-day question.
    const later = new Date(now.getTime() + 60 * DAY);
    expect(
      (await householdFollowups({ actor, householdId: h.id, now: later })).map((q) => [q.skill, q.stage]),
    ).toEqual([
      ["vneid_installed", 90],
      ["cashless_payment", 30],
    ]);
    await recordFollowups({
      actor,
      householdId: h.id,
      answers: [
        {
          residentId: daughter.id,
          skill: "cashless_payment",
          stage: 30,
          recordedAt: daysAgo(10).toISOString(),
          answer: "not_met",
        },
      ],
    });

    const rows = await wardRetention({ wardId });
    const group = rows.find((r) => r.groupId === groupId)!;
    expect(group.day30).toEqual({ stillUses: 1, needsHelp: 0, notMet: 1, share: 1 });
    expect(group.day90).toEqual({ stillUses: 0, needsHelp: 1, notMet: 0, share: 0 });
    expect(rows.at(-1)).toMatchObject({
      groupId: null,
      groupName: "Cả phường",
      day30: { share: 1 },
      day90: { share: 0 },
    });
    // A quarter that ended before the answers keeps its past: nothing counted.
    const before = await wardRetention({ wardId, answeredBefore: daysAgo(1) });
    expect(before.at(-1)!.day30.share).toBeNull();
  });

  it("does not take answers for another group's household", async () => {
    const other = await createGroup(wardId);
    const h = await createHousehold(other.group.id);
    const r = await createResident(h.id);
    expect(
      await recordFollowups({
        actor,
        householdId: h.id,
        answers: [
          {
            residentId: r.id,
            skill: "vneid_installed",
            stage: 30,
            recordedAt: daysAgo(31).toISOString(),
            answer: "still_uses",
          },
        ],
      }),
    ).toBeNull();
  });
});

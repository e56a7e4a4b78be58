/**
 * Practice on simulated screens, through the route's loader and action as a browser without
 * JavaScript uses them: each tap a form post, each answer a redirect to the next screen.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { exportUserData, eraseForRequest, requestDeletion } from "~/privacy.server";
import {
  getMyPractice,
  getPracticeCountsForWard,
  listLessonPractice,
  recordPracticeCompletion,
} from "~/practice.server";
import { action, loader } from "~/routes/courses.$course.$lesson.practice.$task";
import {
  actorOf,
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
  fieldActorOf,
} from "../support/factories";
import { actionArgs, cookieFor, getRequest, loaderArgs, outcome, postRequest } from "../support/http";

const COURSE = "nen-tang-so";
const LESSON = "cai-dat-va-kich-hoat-vneid";
const TASK = "tim-vneid-that";
const params = { course: COURSE, lesson: LESSON, task: TASK };
const base = `/courses/${COURSE}/${LESSON}/practice/${TASK}`;
/** The right choice on each of the task's three screens. */
const RIGHT = ["tim-kiem", "vneid", "cai-dat"];

interface StepPage {
  step: {
    number: number;
    count: number;
    feedback: string | null;
    praise: string | null;
    choices: { id: string }[];
  } | null;
  finished: { wrongTaps: number; recorded: boolean } | null;
  signedIn: boolean;
  hidden: Record<string, string> | null;
}

async function open(path: string, cookie?: string): Promise<StepPage> {
  const result = await outcome(() => loader(loaderArgs(getRequest(path, cookie), params)));
  if (result.kind !== "page") throw new Error(`expected a page at ${path}, got ${JSON.stringify(result)}`);
  return result.data as StepPage;
}

/** Taps a choice on the page shown; returns where the browser is sent next. */
async function tap(page: StepPage, choice: string, cookie?: string): Promise<string> {
  const result = await outcome(() =>
    action(actionArgs(postRequest(base, { ...page.hidden!, chon: choice }, { cookie }), params)),
  );
  if (result.kind !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
  return result.location;
}

/** Runs through the task with one wrong tap on the second screen; returns the final page. */
async function practise(cookie?: string): Promise<StepPage> {
  let page = await open(base, cookie);
  page = await open(await tap(page, RIGHT[0]!, cookie), cookie);
  page = await open(await tap(page, "gia-cap-nhat", cookie), cookie);
  expect(page.step?.feedback).toMatch(/^Chưa đúng: .*nhà phát hành/);
  page = await open(await tap(page, RIGHT[1]!, cookie), cookie);
  const done = await tap(page, RIGHT[2]!, cookie);
  return open(done, cookie);
}

describe("practice on simulated screens", () => {
  // Opening the database and reading the content the first time is slow on a busy machine.
  beforeAll(async () => {
    await getDb();
    await open(base);
  }, 120_000);

  it("a visitor taps through the task, gets gentle feedback on a wrong tap, and nothing is recorded", async () => {
    const first = await open(base);
    expect(first.step).toMatchObject({ number: 1, count: 3, feedback: null });
    // The right answer is not in what the page receives.
    expect(JSON.stringify(first)).not.toContain("correct");
    const finished = await practise();
    expect(finished.finished).toEqual(expect.objectContaining({ wrongTaps: 1, recorded: false }));
    expect(finished.signedIn).toBe(false);
    const db = await getDb();
    expect(await db.select().from(s.practiceCompletions)).toHaveLength(0);
  });

  it("a signed-in resident's finished practice is recorded once, with the wrong taps, and shows on the lesson and in their learning", async () => {
    const resident = await createUser({ role: "resident" });
    const cookie = await cookieFor(resident);
    const finished = await practise(cookie);
    expect(finished.finished).toEqual(expect.objectContaining({ wrongTaps: 1, recorded: true }));

    const db = await getDb();
    const rows = await db
      .select()
      .from(s.practiceCompletions)
      .where(eq(s.practiceCompletions.userId, resident.id));
    expect(rows).toEqual([
      expect.objectContaining({
        courseId: COURSE,
        lessonId: LESSON,
        taskId: TASK,
        wrongTaps: 1,
        assistedBy: null,
      }),
    ]);

    const lesson = await listLessonPractice({ userId: resident.id, courseId: COURSE, lessonId: LESSON });
    expect(lesson).toEqual([expect.objectContaining({ id: TASK, timesDone: 1, href: base })]);
    const mine = await getMyPractice(resident.id);
    expect(mine).toEqual([
      expect.objectContaining({
        title: "Tìm đúng ứng dụng VNeID thật trong CH Play",
        times: 1,
        lastWrongTaps: 1,
        assistedBy: [],
      }),
    ]);
  });

  it("tapping the last button twice (a double tap or a resent form) records one completion", async () => {
    const resident = await createUser({ role: "resident" });
    const cookie = await cookieFor(resident);
    let page = await open(base, cookie);
    page = await open(await tap(page, RIGHT[0]!, cookie), cookie);
    page = await open(await tap(page, RIGHT[1]!, cookie), cookie);
    await tap(page, RIGHT[2]!, cookie);
    await tap(page, RIGHT[2]!, cookie);
    const db = await getDb();
    expect(
      await db.select().from(s.practiceCompletions).where(eq(s.practiceCompletions.userId, resident.id)),
    ).toHaveLength(1);
  });

  it("a member practising beside a resident records it on the resident's account, as assisted", async () => {
    const { startAssisting } = await import("~/learner.server");
    const ward = await createWard();
    const { group, team } = await createGroup(ward.id);
    const member = await createUser({ role: "member", displayName: "Đoàn viên Hoà" });
    await addMember(team.id, member.id);
    const person = await createResident((await createHousehold(group.id)).id, { fullName: "Phan Thị Tám" });
    const cookie = await cookieFor({ id: member.id, role: "member" });
    const assisting = await startAssisting({
      request: getRequest("/assist", cookie),
      actor: await fieldActorOf(member.id),
      residentId: person.id,
    });
    expect(assisting).toEqual({ ok: true, name: "Phan Thị Tám" });

    await practise(cookie);
    const db = await getDb();
    const [account] = await db
      .select({ id: s.users.id })
      .from(s.users)
      .where(eq(s.users.residentId, person.id));
    const rows = await db
      .select()
      .from(s.practiceCompletions)
      .where(eq(s.practiceCompletions.userId, account!.id));
    expect(rows).toEqual([expect.objectContaining({ taskId: TASK, assistedBy: member.id })]);
    expect(
      await db.select().from(s.practiceCompletions).where(eq(s.practiceCompletions.userId, member.id)),
    ).toHaveLength(0);
    expect((await getMyPractice(account!.id))[0]?.assistedBy).toEqual(["Đoàn viên Hoà"]);

    // The office of that ward counts her; another ward's office does not.
    const counts = await getPracticeCountsForWard(
      await actorOf((await createUser({ role: "office", wardId: ward.id })).id),
    );
    expect(counts.find((c) => c.title === "Tìm đúng ứng dụng VNeID thật trong CH Play")).toEqual(
      expect.objectContaining({ residents: 1, assistedResidents: 1, completions: 1 }),
    );
    expect(counts).toHaveLength(8);
    const elsewhere = await getPracticeCountsForWard(
      await actorOf((await createUser({ role: "office", wardId: (await createWard()).id })).id),
    );
    expect(elsewhere.every((c) => c.residents === 0 && c.completions === 0)).toBe(true);
  });

  it("a tap that names no choice of the step is refused with a Vietnamese message, not a 500", async () => {
    const page = await open(base);
    const result = await outcome(() =>
      action(actionArgs(postRequest(base, { ...page.hidden!, chon: "khong-co" }), params)),
    );
    expect(result).toMatchObject({ kind: "status", status: 400 });
    const tampered = await outcome(() =>
      action(actionArgs(postRequest(base, { buoc: "1", sai: "0", ma: "ngan", chon: "tim-kiem" }), params)),
    );
    expect(tampered).toMatchObject({ kind: "status", status: 400 });
  });

  it("a person's data download lists their practice, and a deletion request erases it", async () => {
    const resident = await createUser({ role: "resident" });
    await recordPracticeCompletion({
      userId: resident.id,
      assistedBy: null,
      courseId: COURSE,
      lessonId: LESSON,
      taskId: TASK,
      wrongTaps: 2,
      submissionKey: "khoa-chay-thu-0000001",
    });
    const data = await exportUserData(resident.id);
    expect(data?.practice).toEqual([
      expect.objectContaining({ taskId: TASK, wrongTaps: 2, assisted: false }),
    ]);

    await requestDeletion(resident.id, null);
    const admin = await createUser({ role: "admin" });
    const db = await getDb();
    const [request] = await db
      .select({ id: s.dataRequests.id })
      .from(s.dataRequests)
      .where(eq(s.dataRequests.userId, resident.id));
    expect(await eraseForRequest(await actorOf(admin.id), request!.id)).toBe(true);
    expect(
      await db.select().from(s.practiceCompletions).where(eq(s.practiceCompletions.userId, resident.id)),
    ).toHaveLength(0);
  });

  it("a resident cannot open the members-only home-visit practice; a member can", async () => {
    const homeVisit = {
      course: "an-toan-thong-tin",
      lesson: "ghi-nhan-chuyen-tham-ho",
      task: "ghi-nhan-lan-den-nha",
    };
    const path = `/courses/${homeVisit.course}/${homeVisit.lesson}/practice/${homeVisit.task}`;
    const resident = await cookieFor(await createUser({ role: "resident" }));
    expect(await outcome(() => loader(loaderArgs(getRequest(path, resident), homeVisit)))).toMatchObject({
      kind: "status",
      status: 404,
    });
    const member = await cookieFor(await createUser({ role: "member" }));
    expect(await outcome(() => loader(loaderArgs(getRequest(path, member), homeVisit)))).toMatchObject({
      kind: "page",
    });
  });
});

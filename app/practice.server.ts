/**
 * Practice on simulated screens ("Thực hành"): short tasks beside a lesson where the learner taps
 * what they would tap on their own phone. Each tap is a form post judged here; the right answers
 * never reach the page. A finished practice by a signed-in learner is recorded (who, when, how
 * many wrong taps, the member beside them); it never changes completion or certificates.
 */
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { getDb, preparedQuery, type DbOrTx, type Tx } from "@db/client.server";
import { households, practiceCompletions, residents, users, type Role } from "@db/schema";
import { groupInWard, officeWard, type Actor } from "~/access.server";
import {
  canSeeAudience,
  ContentError,
  findLesson,
  getCatalog,
  type Catalog,
  type Lesson,
} from "~/courses/content.server";
import {
  readLessonPractice,
  type PracticeChoice,
  type PracticeScreen,
  type PracticeTask,
} from "~/courses/practice-schema.server";
import { env } from "~/env.server";

// ─── Reading the tasks ──────────────────────────────────────────────────────

let productionTasks = new Map<string, Promise<PracticeTask[]>>();

async function loadTasks(lesson: Lesson): Promise<PracticeTask[]> {
  const { tasks, issues } = await readLessonPractice(lesson);
  if (issues.length > 0) throw new ContentError(issues);
  return tasks;
}

/**
 * A lesson's tasks: read once per process in production (content:check ran at build),
 * on every call otherwise.
 */
export function lessonTasks(lesson: Lesson): Promise<PracticeTask[]> {
  if (env.NODE_ENV !== "production") return loadTasks(lesson);
  const key = lesson.absolutePath;
  let tasks = productionTasks.get(key);
  if (!tasks) {
    tasks = loadTasks(lesson).catch((error: unknown) => {
      productionTasks.delete(key);
      throw error;
    });
    productionTasks.set(key, tasks);
  }
  return tasks;
}

/** For tests that edit practice files. */
export function forgetPracticeCache(): void {
  productionTasks = new Map();
}

interface TaskRef {
  courseId: string;
  courseTitle: string;
  lessonId: string;
  lessonTitle: string;
  audience: Lesson["audience"];
  task: PracticeTask;
}

async function allTasks(catalog: Catalog): Promise<TaskRef[]> {
  const refs: TaskRef[] = [];
  for (const course of catalog.courses) {
    for (const lesson of course.lessons) {
      for (const task of await lessonTasks(lesson)) {
        refs.push({
          courseId: course.id,
          courseTitle: course.title,
          lessonId: lesson.id,
          lessonTitle: lesson.title,
          audience: lesson.audience,
          task,
        });
      }
    }
  }
  return refs;
}

export function practicePath(courseId: string, lessonId: string, taskId: string): string {
  return `/courses/${courseId}/${lessonId}/practice/${taskId}`;
}

// ─── Opening a task ─────────────────────────────────────────────────────────

export interface OpenTask {
  course: { id: string; title: string };
  lesson: { id: string; title: string };
  task: PracticeTask;
}

export type TaskAccess = { status: "ok"; value: OpenTask } | { status: "not-found" } | { status: "sign-in" };

/** A task the viewer may open: the same rule as its lesson (members-only lessons ask visitors to sign in). */
export async function openPracticeTask(
  role: Role | null,
  courseId: string,
  lessonId: string,
  taskId: string,
): Promise<TaskAccess> {
  const catalog = await getCatalog();
  const found = findLesson(catalog, courseId, lessonId);
  if (!found) return { status: "not-found" };
  if (!canSeeAudience(role, found.course.audience) || !canSeeAudience(role, found.lesson.audience)) {
    return role ? { status: "not-found" } : { status: "sign-in" };
  }
  const task = (await lessonTasks(found.lesson)).find((t) => t.id === taskId);
  if (!task) return { status: "not-found" };
  return {
    status: "ok",
    value: {
      course: { id: found.course.id, title: found.course.title },
      lesson: { id: found.lesson.id, title: found.lesson.title },
      task,
    },
  };
}

// ─── One step, as the page shows it ─────────────────────────────────────────

export interface PublicChoice {
  id: string;
  label: string;
  detail: string | null;
  icon: string | null;
  kind: PracticeChoice["kind"];
}

export interface PublicStep {
  /** 1-based. */
  number: number;
  count: number;
  prompt: string;
  screen: PracticeScreen;
  choices: PublicChoice[];
  /** After a wrong tap: what that button does and what to look for. */
  feedback: string | null;
  /** After a right tap on the previous step: why it was right. */
  praise: string | null;
}

/** The step the page draws: choices without the right answer, and the feedback of the last tap. */
export function publicStep(
  task: PracticeTask,
  number: number,
  last: { wrongChoiceId?: string | null; previousRight?: boolean },
): PublicStep | null {
  const step = task.steps[number - 1];
  if (!step) return null;
  const wrong = last.wrongChoiceId
    ? step.choices.find((c) => c.id === last.wrongChoiceId && !c.correct)
    : undefined;
  const previous = last.previousRight ? task.steps[number - 2]?.choices.find((c) => c.correct) : undefined;
  return {
    number,
    count: task.steps.length,
    prompt: step.prompt,
    screen: step.screen,
    choices: step.choices.map((c) => ({
      id: c.id,
      label: c.label,
      detail: c.detail ?? null,
      icon: c.icon ?? null,
      kind: c.kind,
    })),
    feedback: wrong?.feedback ? `Chưa đúng: ${wrong.feedback}` : null,
    praise: previous?.praise ?? null,
  };
}

/** The praise of the last step's right choice, for the page that ends the task. */
export function finalPraise(task: PracticeTask): string | null {
  return task.steps.at(-1)?.choices.find((c) => c.correct)?.praise ?? null;
}

export type TapResult =
  | { kind: "wrong" }
  | { kind: "next"; step: number }
  | { kind: "done" }
  | { kind: "invalid" };

/** Judges one tap on step `number` (1-based). */
export function judgeTap(task: PracticeTask, number: number, choiceId: string): TapResult {
  const step = task.steps[number - 1];
  const choice = step?.choices.find((c) => c.id === choiceId);
  if (!step || !choice) return { kind: "invalid" };
  if (!choice.correct) return { kind: "wrong" };
  return number === task.steps.length ? { kind: "done" } : { kind: "next", step: number + 1 };
}

/** One key per run through a task: tapping the last button twice records one completion. */
export function newPracticeKey(): string {
  return randomBytes(18).toString("base64url");
}

// ─── Recording ──────────────────────────────────────────────────────────────

export interface PracticeCompletionInput {
  userId: number;
  assistedBy: number | null;
  courseId: string;
  lessonId: string;
  taskId: string;
  wrongTaps: number;
  submissionKey: string;
}

/** Records a finished practice once per run (the submission key); true when this call stored it. */
export async function recordPracticeCompletion(input: PracticeCompletionInput): Promise<boolean> {
  const db = await getDb();
  const stored = await db
    .insert(practiceCompletions)
    .values({ ...input, wrongTaps: Math.min(Math.max(0, input.wrongTaps), 999) })
    .onConflictDoNothing({ target: [practiceCompletions.userId, practiceCompletions.submissionKey] })
    .returning({ id: practiceCompletions.id });
  return stored.length > 0;
}

/** Whether this run of a task was recorded for the learner (the page after the last tap says so). */
export async function isPracticeRecorded({
  userId,
  submissionKey,
}: {
  userId: number;
  submissionKey: string;
}): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: practiceCompletions.id })
    .from(practiceCompletions)
    .where(and(eq(practiceCompletions.userId, userId), eq(practiceCompletions.submissionKey, submissionKey)));
  return Boolean(row);
}

// ─── What the learner and the office see ────────────────────────────────────

export interface LessonPracticeItem {
  id: string;
  title: string;
  href: string;
  steps: number;
  /** How many times this learner finished it (0 for a visitor). */
  timesDone: number;
}

/** How many times a learner did each practice task of a lesson: asked on every lesson page. */
const practiceCounts = preparedQuery((db) =>
  db
    .select({ taskId: practiceCompletions.taskId, times: sql<number>`count(*)::int` })
    .from(practiceCompletions)
    .where(
      and(
        eq(practiceCompletions.userId, sql.placeholder("userId")),
        eq(practiceCompletions.courseId, sql.placeholder("courseId")),
        eq(practiceCompletions.lessonId, sql.placeholder("lessonId")),
      ),
    )
    .groupBy(practiceCompletions.taskId)
    .prepare("practice_counts"),
);

/** The "Thực hành" block of a lesson page: its tasks and whether the learner has done each. */
export async function listLessonPractice({
  userId,
  courseId,
  lessonId,
}: {
  userId: number | null;
  courseId: string;
  lessonId: string;
}): Promise<LessonPracticeItem[]> {
  const found = findLesson(await getCatalog(), courseId, lessonId);
  if (!found) return [];
  const tasks = await lessonTasks(found.lesson);
  if (tasks.length === 0) return [];
  const done = new Map<string, number>();
  if (userId !== null) {
    const rows = await practiceCounts(await getDb()).execute({ userId, courseId, lessonId });
    for (const r of rows) done.set(r.taskId, Number(r.times));
  }
  return tasks.map((t) => ({
    id: t.id,
    title: t.title,
    href: practicePath(courseId, lessonId, t.id),
    steps: t.steps.length,
    timesDone: done.get(t.id) ?? 0,
  }));
}

export interface MyPracticeItem {
  title: string;
  href: string;
  lessonTitle: string;
  courseTitle: string;
  times: number;
  lastAt: Date;
  /** Wrong taps in the most recent run. */
  lastWrongTaps: number;
  /** Members who sat beside the learner in any run, by name. */
  assistedBy: string[];
}

/** "Việc học của tôi": every task the learner has finished, most recent first. */
export async function getMyPractice(userId: number): Promise<MyPracticeItem[]> {
  const db = await getDb();
  const [catalog, rows] = await Promise.all([
    getCatalog(),
    db
      .select({
        courseId: practiceCompletions.courseId,
        lessonId: practiceCompletions.lessonId,
        taskId: practiceCompletions.taskId,
        wrongTaps: practiceCompletions.wrongTaps,
        completedAt: practiceCompletions.completedAt,
        memberName: users.displayName,
      })
      .from(practiceCompletions)
      .leftJoin(users, eq(users.id, practiceCompletions.assistedBy))
      .where(eq(practiceCompletions.userId, userId))
      .orderBy(desc(practiceCompletions.completedAt), desc(practiceCompletions.id)),
  ]);
  const titles = new Map(
    (await allTasks(catalog)).map((r) => [`${r.courseId}/${r.lessonId}/${r.task.id}`, r]),
  );
  const items = new Map<string, MyPracticeItem>();
  for (const row of rows) {
    const key = `${row.courseId}/${row.lessonId}/${row.taskId}`;
    const ref = titles.get(key);
    // A task removed from the content since: its runs are kept but no longer listed.
    if (!ref) continue;
    let item = items.get(key);
    if (!item) {
      item = {
        title: ref.task.title,
        href: practicePath(ref.courseId, ref.lessonId, ref.task.id),
        lessonTitle: ref.lessonTitle,
        courseTitle: ref.courseTitle,
        times: 0,
        lastAt: row.completedAt,
        lastWrongTaps: row.wrongTaps,
        assistedBy: [],
      };
      items.set(key, item);
    }
    item.times++;
    if (row.memberName && !item.assistedBy.includes(row.memberName)) item.assistedBy.push(row.memberName);
  }
  return [...items.values()];
}

export interface PracticeCount {
  title: string;
  lessonTitle: string;
  membersOnly: boolean;
  /** Residents (role resident) of the ward who finished the task at least once. */
  residents: number;
  /** Of those, residents who finished it with a member beside them at least once. */
  assistedResidents: number;
  /** Every finished run by a learner of the ward. */
  completions: number;
}

/**
 * The office's training page: for each task, how many residents of the office's ward practised
 * it. A learner belongs to the ward through their roster record's residential group (the access
 * module's `groupInWard`); an admin or a city office counts everyone.
 */
export async function getPracticeCountsForWard(actor: Actor): Promise<PracticeCount[]> {
  const wardId = officeWard(actor);
  const db = await getDb();
  const [catalog, rows] = await Promise.all([
    getCatalog(),
    db
      .select({
        courseId: practiceCompletions.courseId,
        lessonId: practiceCompletions.lessonId,
        taskId: practiceCompletions.taskId,
        residents: sql<number>`(count(distinct ${practiceCompletions.userId})
          filter (where ${users.role} = 'resident'))::int`,
        assistedResidents: sql<number>`(count(distinct ${practiceCompletions.userId})
          filter (where ${users.role} = 'resident' and ${practiceCompletions.assistedBy} is not null))::int`,
        completions: sql<number>`count(*)::int`,
      })
      .from(practiceCompletions)
      .innerJoin(users, eq(users.id, practiceCompletions.userId))
      .leftJoin(residents, eq(residents.id, users.residentId))
      .leftJoin(households, eq(households.id, residents.householdId))
      .where(groupInWard(households.groupId, wardId))
      .groupBy(practiceCompletions.courseId, practiceCompletions.lessonId, practiceCompletions.taskId)
      .orderBy(asc(practiceCompletions.courseId)),
  ]);
  const byTask = new Map(rows.map((r) => [`${r.courseId}/${r.lessonId}/${r.taskId}`, r]));
  return (await allTasks(catalog)).map((ref) => {
    const row = byTask.get(`${ref.courseId}/${ref.lessonId}/${ref.task.id}`);
    return {
      title: ref.task.title,
      lessonTitle: ref.lessonTitle,
      membersOnly: ref.audience === "members",
      residents: Number(row?.residents ?? 0),
      assistedResidents: Number(row?.assistedResidents ?? 0),
      completions: Number(row?.completions ?? 0),
    };
  });
}

// ─── An account's practice, for merging, download and erasure ───────────────

/**
 * A managed account's practice moves to the account that takes it over
 * (same transaction as the rest of its learning).
 */
export async function movePractice(tx: Tx, fromUserId: number, toUserId: number): Promise<void> {
  await tx.execute(sql`
    update ${practiceCompletions} set user_id = ${toUserId}
    where user_id = ${fromUserId}
      and submission_key not in (
        select submission_key from ${practiceCompletions} where user_id = ${toUserId})`);
  await tx.delete(practiceCompletions).where(eq(practiceCompletions.userId, fromUserId));
}

/** What the person's data download lists about their practice. */
export async function practiceForExport(db: DbOrTx, userId: number) {
  return db
    .select({
      courseId: practiceCompletions.courseId,
      lessonId: practiceCompletions.lessonId,
      taskId: practiceCompletions.taskId,
      wrongTaps: practiceCompletions.wrongTaps,
      assisted: sql<boolean>`${practiceCompletions.assistedBy} is not null`,
      completedAt: practiceCompletions.completedAt,
    })
    .from(practiceCompletions)
    .where(eq(practiceCompletions.userId, userId))
    .orderBy(asc(practiceCompletions.completedAt));
}

/** A deletion request erases the person's practice with the rest of their learning. */
export async function erasePractice(tx: Tx, userId: number): Promise<void> {
  await tx.delete(practiceCompletions).where(eq(practiceCompletions.userId, userId));
}

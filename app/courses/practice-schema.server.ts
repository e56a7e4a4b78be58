/**
 * Practice on simulated screens ("Thực hành"): the shape of a lesson's `<nn>-<lesson>.practice.yaml`
 * and its checks, for `content:check` and for the app that serves the tasks.
 *
 *   tasks:
 *     - id: tim-vneid-that                 # the task's address: …/<lesson>/practice/<id>
 *       title: "Tìm đúng ứng dụng VNeID"
 *       intro: "Bạn đã gõ VNeID vào ô tìm kiếm của CH Play."
 *       done: "Bạn đã chọn đúng VNeID thật."
 *       steps:
 *         - prompt: "Chạm vào ứng dụng VNeID thật."
 *           screen: { kind: app, title: "CH Play", heading: "Kết quả tìm kiếm", lines: ["…"] }
 *           choices:
 *             - { id: that, label: "VNeID", detail: "…", correct: true, praise: "…" }
 *             - { id: gia, label: "VNeID Plus", feedback: "ứng dụng này …, hãy tìm …" }
 *
 * Every step has exactly one right choice; every other choice says, gently, why it is not the one
 * ("Chưa đúng: " is put in front by the page). The answers stay on the server until tapped.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  checkNfc,
  lineOf,
  parseYaml,
  PRACTICE_FILE,
  zodIssues,
  type Catalog,
  type ContentIssue,
  type Lesson,
} from "~/courses/content.server";
import { ID_PATTERN } from "~/courses/schema.server";

const text = (what: string, max = 400) =>
  z
    .string({ error: `${what}: cần một đoạn chữ` })
    .trim()
    .min(1, `${what} không được để trống`)
    .max(max, `${what}: dài quá ${max} ký tự`);

const choiceSchema = z.strictObject({
  id: z
    .string({ error: "id của lựa chọn: cần một chữ" })
    .regex(/^[a-z0-9-]{1,32}$/, "id của lựa chọn chỉ gồm chữ thường không dấu, số và -"),
  /** What the button, row or field shows. */
  label: text("label", 160),
  /** A smaller second line: a publisher, a download count, an account name. */
  detail: text("detail", 200).optional(),
  /** Up to four letters drawn in a square, in place of an app's icon (never a copied logo). */
  icon: z.string().trim().min(1).max(4, "icon: tối đa 4 ký tự").optional(),
  /** How it is drawn: a button, a row of a list, a field, or a chat bubble. */
  kind: z
    .enum(["button", "row", "field", "bubble"], { error: "kind: chỉ được là button, row, field hoặc bubble" })
    .default("button"),
  correct: z.literal(true, { error: "correct: chỉ ghi correct: true cho lựa chọn đúng" }).optional(),
  /** For a wrong choice: what it does and what to look for instead. */
  feedback: text("feedback").optional(),
  /** For the right choice: a word of why it is right, shown on the next screen. */
  praise: text("praise").optional(),
});
export type PracticeChoice = z.infer<typeof choiceSchema>;

const screenSchema = z.strictObject({
  /** app: an app's screen with a title bar; call: an incoming call; sms: a message thread; web: a browser. */
  kind: z.enum(["app", "call", "sms", "web"], { error: "screen.kind: chỉ được là app, call, sms hoặc web" }),
  /** The title bar: the app's name, the caller, the sender or the web address. */
  title: text("screen.title", 80),
  heading: text("screen.heading", 120).optional(),
  /** Text on the screen that is not tapped: what the caller says, the message, a notice. */
  lines: z.array(text("screen.lines")).max(8, "screen.lines: tối đa 8 dòng").default([]),
});
export type PracticeScreen = z.infer<typeof screenSchema>;

const stepSchema = z.strictObject({
  /** What the learner is asked to do on this screen. */
  prompt: text("prompt", 200),
  screen: screenSchema,
  choices: z
    .array(choiceSchema, { error: "choices: cần danh sách lựa chọn" })
    .min(2, "choices: cần ít nhất 2 lựa chọn")
    .max(8, "choices: tối đa 8 lựa chọn"),
});
export type PracticeStep = z.infer<typeof stepSchema>;

const taskSchema = z.strictObject({
  id: z
    .string({ error: "id: cần một chữ" })
    .regex(ID_PATTERN, "id của bài thực hành chỉ gồm chữ thường không dấu, số và dấu -"),
  title: text("title", 120),
  intro: text("intro"),
  done: text("done"),
  steps: z
    .array(stepSchema, { error: "steps: cần danh sách bước" })
    .min(1, "steps: cần ít nhất một bước")
    .max(15, "steps: tối đa 15 bước"),
});
export type PracticeTask = z.infer<typeof taskSchema>;

export const practiceFileSchema = z.strictObject({
  tasks: z
    .array(taskSchema, { error: "tasks: cần danh sách bài thực hành" })
    .min(1, "tasks: cần ít nhất một bài thực hành"),
});

/** The practice file beside a lesson file. */
export function practicePathFor(lessonPath: string): string {
  return lessonPath.replace(/\.mdx$/, ".practice.yaml");
}

/**
 * Parses and checks one practice file: ids unique, one right choice per step, every wrong choice explained.
 */
export function readPractice(source: string, file: string, issues: ContentIssue[]): PracticeTask[] | null {
  checkNfc(source, file, issues);
  const parsed = parseYaml(source, file, 0, issues);
  if (!parsed) return null;
  const result = practiceFileSchema.safeParse(parsed.doc.toJS() ?? {});
  if (!result.success) {
    zodIssues(result.error, parsed, file, 0, issues);
    return null;
  }
  const before = issues.length;
  const at = (p: (string | number)[]) => lineOf(parsed, p, 0);
  const taskIds = new Set<string>();
  result.data.tasks.forEach((task, ti) => {
    if (taskIds.has(task.id))
      issues.push({ file, line: at(["tasks", ti, "id"]), message: `Trùng id bài thực hành “${task.id}”` });
    taskIds.add(task.id);
    task.steps.forEach((step, si) => {
      const where = `Bài ${task.id}, bước ${si + 1}`;
      const right = step.choices.filter((c) => c.correct);
      if (right.length !== 1) {
        issues.push({
          file,
          line: at(["tasks", ti, "steps", si, "choices"]),
          message: `${where}: cần đúng một lựa chọn có correct: true (đang có ${right.length})`,
        });
      }
      const choiceIds = new Set<string>();
      step.choices.forEach((c, ci) => {
        const line = at(["tasks", ti, "steps", si, "choices", ci]);
        if (choiceIds.has(c.id))
          issues.push({ file, line, message: `${where}: trùng id lựa chọn “${c.id}”` });
        choiceIds.add(c.id);
        if (!c.correct && !c.feedback) {
          issues.push({
            file,
            line,
            message: `${where}: lựa chọn “${c.id}” sai nên cần feedback (nút này để làm gì, nên tìm nút nào)`,
          });
        }
        if (c.correct && c.feedback)
          issues.push({
            file,
            line,
            message: `${where}: lựa chọn đúng “${c.id}” dùng praise, không dùng feedback`,
          });
        if (!c.correct && c.praise)
          issues.push({ file, line, message: `${where}: lựa chọn sai “${c.id}” không có praise` });
      });
    });
  });
  return issues.length > before ? null : result.data.tasks;
}

async function readIfExists(file: string): Promise<string | null> {
  return fs.readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
}

/** The tasks of one lesson ([] when it has no practice file), with the problems found. */
export async function readLessonPractice(
  lesson: Pick<Lesson, "absolutePath" | "file">,
): Promise<{ tasks: PracticeTask[]; issues: ContentIssue[] }> {
  const absolute = practicePathFor(lesson.absolutePath);
  const source = await readIfExists(absolute);
  if (source === null) return { tasks: [], issues: [] };
  const issues: ContentIssue[] = [];
  const tasks = readPractice(source, practicePathFor(lesson.file), issues);
  return { tasks: tasks ?? [], issues };
}

/**
 * `content:check`'s part for practice: every practice file of the catalogue's lessons, and any
 * practice file whose lesson does not exist. Returns the problems and how many tasks were read.
 */
export async function checkPractices(
  catalog: Catalog,
  root: string,
): Promise<{ issues: ContentIssue[]; tasks: number }> {
  const issues: ContentIssue[] = [];
  let tasks = 0;
  const known = new Set<string>();
  for (const course of catalog.courses) {
    for (const lesson of course.lessons) {
      known.add(practicePathFor(lesson.absolutePath));
      const read = await readLessonPractice(lesson);
      issues.push(...read.issues);
      tasks += read.tasks.length;
    }
  }
  const courses = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const course of courses.filter((c) => c.isDirectory())) {
    const dir = path.join(root, course.name, "lessons");
    const files = await fs.readdir(dir).catch(() => [] as string[]);
    for (const f of files) {
      const absolute = path.join(dir, f);
      if (!PRACTICE_FILE.test(f) || known.has(absolute)) continue;
      const lessonExists = files.includes(f.replace(/\.practice\.yaml$/, ".mdx"));
      // A lesson that exists but failed its own checks is reported there; only an orphan is ours.
      if (!lessonExists)
        issues.push({
          file: path.relative(process.cwd(), absolute),
          message: "Bài thực hành này không có bài học cùng tên (.mdx)",
        });
    }
  }
  return { issues, tasks };
}

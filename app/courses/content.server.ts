/**
 * Lesson content: courses, lessons and quizzes read from content/courses/, validated with zod.
 *
 *   content/courses/<course>/course.yaml
 *   content/courses/<course>/lessons/<nn>-<lesson>.mdx        frontmatter + MDX body
 *   content/courses/<course>/lessons/<nn>-<lesson>.quiz.yaml  the lesson's quiz (server only)
 *
 * MDX is compiled ahead of time (`npm run build`, `npm run content:check`) into
 * .cache/content/<hash>.json, keyed by the hash of the lesson's source. In production a request
 * only reads that cache: a lesson missing from it is an error, never a compile. In development
 * and tests the catalogue is re-read on every call and a changed lesson is compiled on first
 * view, so an edited lesson shows on reload.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import type { Role } from "@db/schema";
import { env } from "~/env.server";
import { can } from "~/permissions.server";
import {
  courseMetaSchema,
  ID_PATTERN,
  lessonFrontmatterSchema,
  quizFileSchema,
  type Audience,
  type Question,
} from "~/courses/schema.server";

export const CONTENT_ROOT = path.resolve(process.cwd(), "content/courses");
export const CACHE_DIR = path.resolve(process.cwd(), ".cache/content");
/** Part of every cache key: bump it when the compile options or the components' contract change. */
export const COMPILER_VERSION = "hocso-mdx-3 mdx-bundler@10";

export interface ContentIssue {
  /** Relative to the working directory. */
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export function formatIssue(issue: ContentIssue): string {
  const where = [issue.file, issue.line, issue.line !== undefined ? issue.column : undefined]
    .filter((x) => x !== undefined)
    .join(":");
  return `${where}: ${issue.message}`;
}

export class ContentError extends Error {
  constructor(readonly issues: ContentIssue[]) {
    super(`Nội dung bài học có lỗi:\n${issues.map(formatIssue).join("\n")}`);
    this.name = "ContentError";
  }
}

export interface Quiz {
  /** SHA-256 of the quiz file: attempts record which version they answered. */
  hash: string;
  file: string;
  passMark: number;
  questions: Question[];
}

export interface Lesson {
  courseId: string;
  id: string;
  /** The nn- prefix: the lesson's place in the course. */
  number: number;
  title: string;
  objectives: string[];
  audience: Audience;
  minutes: number;
  /** Set on a lesson added to a course that already existed (YYYY-MM-DD): pages may mark it new. */
  added?: string;
  file: string;
  absolutePath: string;
  /** The key of the compiled lesson in the cache. */
  compileKey: string;
  quiz: Quiz;
}

export interface Course {
  id: string;
  title: string;
  summary: string;
  audience: Audience;
  order: number;
  minutes: number;
  lessons: Lesson[];
}

export interface Catalog {
  courses: Course[];
}

const relative = (abs: string) => path.relative(process.cwd(), abs) || abs;
export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
export const compileKeyFor = (source: string) => sha256(`${COMPILER_VERSION}\n${source}`);

// ─── YAML with line numbers ─────────────────────────────────────────────────

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseYaml(
  source: string,
  file: string,
  lineOffset: number,
  issues: ContentIssue[],
): ParsedYaml | null {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = lines.linePos(error.pos[0]);
      issues.push({
        file,
        line: pos.line + lineOffset,
        column: pos.col,
        message: `YAML không đọc được: ${error.message.split("\n")[0]}`,
      });
    }
    return null;
  }
  return { doc, lines };
}

/** The line of the YAML node at `issuePath`, or of its nearest parent that exists. */
export function lineOf(
  parsed: ParsedYaml,
  issuePath: readonly PropertyKey[],
  lineOffset: number,
): number | undefined {
  for (let n = issuePath.length; n >= 0; n--) {
    const node = parsed.doc.getIn(issuePath.slice(0, n) as unknown[], true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node && typeof node === "object" && node.range)
      return parsed.lines.linePos(node.range[0]).line + lineOffset;
  }
  return undefined;
}

export function zodIssues(
  error: z.ZodError,
  parsed: ParsedYaml,
  file: string,
  lineOffset: number,
  issues: ContentIssue[],
) {
  for (const issue of error.issues) {
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    const message = issue.message.includes(":") ? issue.message : `${where}${issue.message}`;
    issues.push({ file, line: lineOf(parsed, issue.path, lineOffset), message });
  }
}

export function checkNfc(source: string, file: string, issues: ContentIssue[]) {
  if (source === source.normalize("NFC")) return;
  const lines = source.split("\n");
  const index = lines.findIndex((l) => l !== l.normalize("NFC"));
  issues.push({
    file,
    line: index + 1,
    message: "Chữ tiếng Việt chưa ở dạng chuẩn NFC (dấu bị tách rời). Hãy lưu tệp ở dạng UTF-8 NFC.",
  });
}

// ─── Reading one lesson ─────────────────────────────────────────────────────

export function splitFrontmatter(source: string): { yaml: string; bodyLine: number } | null {
  const lines = source.split(/\r?\n/);
  if (lines[0]?.trim() !== "---") return null;
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) return null;
  return { yaml: lines.slice(1, end).join("\n"), bodyLine: end + 2 };
}

function readFrontmatter(source: string, file: string, issues: ContentIssue[]) {
  const split = splitFrontmatter(source);
  if (!split) {
    issues.push({
      file,
      line: 1,
      message: "Bài học phải bắt đầu bằng phần đầu (frontmatter) giữa hai dòng ---",
    });
    return null;
  }
  const parsed = parseYaml(split.yaml, file, 1, issues);
  if (!parsed) return null;
  const result = lessonFrontmatterSchema.safeParse(parsed.doc.toJS());
  if (!result.success) {
    zodIssues(result.error, parsed, file, 1, issues);
    return null;
  }
  return result.data;
}

/** Parses and checks a quiz: ids unique, every answer names an option, orders use every option once. */
export function readQuiz(source: string, file: string, issues: ContentIssue[]): Quiz | null {
  checkNfc(source, file, issues);
  const parsed = parseYaml(source, file, 0, issues);
  if (!parsed) return null;
  const result = quizFileSchema.safeParse(parsed.doc.toJS() ?? {});
  if (!result.success) {
    zodIssues(result.error, parsed, file, 0, issues);
    return null;
  }
  const quiz = result.data;
  const before = issues.length;
  const at = (p: (string | number)[]) => lineOf(parsed, p, 0);
  const seenQuestions = new Set<string>();
  quiz.questions.forEach((q, qi) => {
    if (seenQuestions.has(q.id))
      issues.push({ file, line: at(["questions", qi, "id"]), message: `Trùng id câu hỏi “${q.id}”` });
    seenQuestions.add(q.id);
    if (q.type === "truefalse") return;
    const optionIds = new Set<string>();
    q.options.forEach((o, oi) => {
      if (optionIds.has(o.id))
        issues.push({
          file,
          line: at(["questions", qi, "options", oi]),
          message: `Câu ${q.id}: trùng id lựa chọn “${o.id}”`,
        });
      optionIds.add(o.id);
    });
    const answers = typeof q.answer === "string" ? [q.answer] : q.answer;
    const answerLine = at(["questions", qi, "answer"]);
    for (const a of answers) {
      if (!optionIds.has(a))
        issues.push({
          file,
          line: answerLine,
          message: `Câu ${q.id}: đáp án “${a}” không phải id của lựa chọn nào`,
        });
    }
    if (new Set(answers).size !== answers.length)
      issues.push({ file, line: answerLine, message: `Câu ${q.id}: đáp án có id lặp lại` });
    if (q.type === "order" && answers.length !== optionIds.size) {
      issues.push({
        file,
        line: answerLine,
        message: `Câu ${q.id}: đáp án phải xếp đủ tất cả ${optionIds.size} bước, mỗi bước một lần`,
      });
    }
  });
  if (issues.length > before) return null;
  return { hash: sha256(source), file, passMark: quiz.passMark, questions: quiz.questions };
}

// ─── Reading the whole tree ─────────────────────────────────────────────────

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;
const QUIZ_FILE = /^(\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)\.quiz\.yaml$/;
/** A lesson's practice tasks (checked by ~/courses/practice-schema.server). */
export const PRACTICE_FILE = /^(\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)\.practice\.yaml$/;

/** Reads and validates every course, lesson frontmatter and quiz under `root` (no MDX compile). */
export async function readContentTree(
  root: string = CONTENT_ROOT,
): Promise<{ catalog: Catalog; issues: ContentIssue[] }> {
  const issues: ContentIssue[] = [];
  const courses: Course[] = [];
  if (!(await exists(root)))
    return { catalog: { courses }, issues: [{ file: relative(root), message: "Không có thư mục nội dung" }] };
  const entries = (await fs.readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name));
  const orders = new Map<number, string>();
  for (const entry of entries) {
    const courseDir = path.join(root, entry.name);
    if (!ID_PATTERN.test(entry.name)) {
      issues.push({
        file: relative(courseDir),
        message: "Tên thư mục khoá học chỉ gồm chữ thường không dấu, số và dấu -",
      });
      continue;
    }
    const metaPath = path.join(courseDir, "course.yaml");
    const metaFile = relative(metaPath);
    if (!(await exists(metaPath))) {
      issues.push({ file: metaFile, message: "Thiếu tệp course.yaml của khoá học" });
      continue;
    }
    const metaSource = await fs.readFile(metaPath, "utf8");
    checkNfc(metaSource, metaFile, issues);
    const parsed = parseYaml(metaSource, metaFile, 0, issues);
    if (!parsed) continue;
    const meta = courseMetaSchema.safeParse(parsed.doc.toJS() ?? {});
    if (!meta.success) {
      zodIssues(meta.error, parsed, metaFile, 0, issues);
      continue;
    }
    const clash = orders.get(meta.data.order);
    if (clash)
      issues.push({
        file: metaFile,
        line: lineOf(parsed, ["order"], 0),
        message: `order ${meta.data.order} trùng với khoá học ${clash}`,
      });
    orders.set(meta.data.order, entry.name);

    const lessonsDir = path.join(courseDir, "lessons");
    const files = (await exists(lessonsDir)) ? (await fs.readdir(lessonsDir)).sort() : [];
    if (files.length === 0) issues.push({ file: relative(lessonsDir), message: "Khoá học chưa có bài nào" });
    const stems = new Set(files.filter((f) => f.endsWith(".mdx")).map((f) => f.slice(0, -4)));
    for (const f of files) {
      const quizMatch = QUIZ_FILE.exec(f);
      if (quizMatch) {
        if (!stems.has(quizMatch[1]!))
          issues.push({
            file: relative(path.join(lessonsDir, f)),
            message: "Bài kiểm tra này không có bài học cùng tên (.mdx)",
          });
      } else if (!LESSON_FILE.test(f) && !PRACTICE_FILE.test(f)) {
        issues.push({
          file: relative(path.join(lessonsDir, f)),
          message:
            "Tên tệp không đúng mẫu: <nn>-<ma-bai>.mdx hoặc <nn>-<ma-bai>.quiz.yaml (chữ thường không dấu)",
        });
      }
    }

    const lessons: Lesson[] = [];
    const ids = new Map<string, string>();
    const numbers = new Map<number, string>();
    for (const f of files) {
      const match = LESSON_FILE.exec(f);
      if (!match) continue;
      const absolutePath = path.join(lessonsDir, f);
      const file = relative(absolutePath);
      const number = Number(match[1]);
      const id = match[2]!;
      if (ids.has(id)) issues.push({ file, message: `Trùng mã bài “${id}” với ${ids.get(id)}` });
      ids.set(id, file);
      if (numbers.has(number))
        issues.push({ file, message: `Trùng số thứ tự ${match[1]} với ${numbers.get(number)}` });
      numbers.set(number, file);

      const source = await fs.readFile(absolutePath, "utf8");
      checkNfc(source, file, issues);
      const frontmatter = readFrontmatter(source, file, issues);
      const quizPath = absolutePath.replace(/\.mdx$/, ".quiz.yaml");
      let quiz: Quiz | null = null;
      if (!(await exists(quizPath))) {
        issues.push({ file, message: `Thiếu bài kiểm tra ${relative(quizPath)}` });
      } else {
        quiz = readQuiz(await fs.readFile(quizPath, "utf8"), relative(quizPath), issues);
      }
      if (!frontmatter || !quiz) continue;
      lessons.push({
        courseId: entry.name,
        id,
        number,
        ...frontmatter,
        file,
        absolutePath,
        compileKey: compileKeyFor(source),
        quiz,
      });
    }
    courses.push({ id: entry.name, ...meta.data, lessons });
  }
  courses.sort((a, b) => a.order - b.order);
  return { catalog: { courses }, issues };
}

/** Every path a lesson may link to: /courses/<course> and /courses/<course>/<lesson>. */
export function linkablePaths(catalog: Catalog): Set<string> {
  const paths = new Set<string>(["/courses"]);
  for (const c of catalog.courses) {
    paths.add(`/courses/${c.id}`);
    for (const l of c.lessons) {
      paths.add(`/courses/${c.id}/${l.id}`);
      paths.add(`/courses/${c.id}/${l.id}/quiz`);
    }
  }
  return paths;
}

// ─── The catalogue the app serves ───────────────────────────────────────────

const isProduction = () => env.NODE_ENV === "production";
/** Only `remix dev` re-reads the lessons on every request, so that an author sees an edit at once. */
const rereadsContent = () => env.NODE_ENV === "development";
let keptCatalog: Promise<Catalog> | undefined;

async function loadCatalog(): Promise<Catalog> {
  const { catalog, issues } = await readContentTree();
  if (issues.length > 0) throw new ContentError(issues);
  return catalog;
}

/**
 * The validated catalogue: read once per process (in production and in tests, where the lessons do
 * not change while it runs), on every call in development.
 */
export function getCatalog(): Promise<Catalog> {
  if (rereadsContent()) return loadCatalog();
  keptCatalog ??= loadCatalog().catch((error: unknown) => {
    keptCatalog = undefined;
    throw error;
  });
  return keptCatalog;
}

/** Members-only lessons are for the teams and the people who run them. */
export function canSeeAudience(role: Role | null, audience: Audience): boolean {
  if (audience === "all") return true;
  if (!role) return false;
  return can(role, "teamLessons");
}

export function visibleLessons(course: Course, role: Role | null): Lesson[] {
  return course.lessons.filter((l) => canSeeAudience(role, l.audience));
}

export function findCourse(catalog: Catalog, courseId: string): Course | undefined {
  return catalog.courses.find((c) => c.id === courseId);
}

export function findLesson(
  catalog: Catalog,
  courseId: string,
  lessonId: string,
): { course: Course; lesson: Lesson } | undefined {
  const course = findCourse(catalog, courseId);
  const lesson = course?.lessons.find((l) => l.id === lessonId);
  return course && lesson ? { course, lesson } : undefined;
}

// ─── Compiled lessons ───────────────────────────────────────────────────────

/** A `##` section of a lesson: its heading's id (headingSlug) and words. */
export interface LessonSection {
  id: string;
  title: string;
}

export interface CompiledLesson {
  code: string;
  file: string;
  sections?: LessonSection[];
}

const compiledMemo = new Map<string, { code: string; sections: LessonSection[] }>();

export function cachePath(key: string, cacheDir = CACHE_DIR): string {
  return path.join(cacheDir, `${key}.json`);
}

export async function readCompiled(key: string, cacheDir = CACHE_DIR): Promise<CompiledLesson | null> {
  try {
    return JSON.parse(await fs.readFile(cachePath(key, cacheDir), "utf8")) as CompiledLesson;
  } catch {
    return null;
  }
}

export async function writeCompiled(
  key: string,
  compiled: CompiledLesson,
  cacheDir = CACHE_DIR,
): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  const target = cachePath(key, cacheDir);
  const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(temp, JSON.stringify(compiled));
  await fs.rename(temp, target);
}

/** The compiled code of a lesson, from the cache. Only outside production may a miss be compiled. */
export async function getLessonCode(lesson: Lesson, catalog: Catalog): Promise<string> {
  return (await getCompiledLesson(lesson, catalog)).code;
}

/** The compiled code of a lesson and its sections, from the cache (see getLessonCode). */
export async function getCompiledLesson(
  lesson: Lesson,
  catalog: Catalog,
): Promise<{ code: string; sections: LessonSection[] }> {
  const memo = compiledMemo.get(lesson.compileKey);
  if (memo) return memo;
  let compiled = await readCompiled(lesson.compileKey);
  if (!compiled) {
    if (isProduction()) {
      throw new Error(
        `Lesson ${lesson.file} was not compiled ahead of time: ` +
          "run `npm run build` (or `npm run content:check`).",
      );
    }
    const { compileLesson } = await import("~/courses/compile.server");
    const source = await fs.readFile(lesson.absolutePath, "utf8");
    const result = await compileLesson({
      source,
      file: lesson.file,
      absolutePath: lesson.absolutePath,
      linkable: linkablePaths(catalog),
    });
    if (!result.code) throw new ContentError(result.issues);
    compiled = { code: result.code, file: lesson.file, sections: result.sections };
    await writeCompiled(lesson.compileKey, compiled);
  }
  // A handful of lessons: keep them all; an edited lesson in development adds a key.
  if (compiledMemo.size > 500) compiledMemo.clear();
  const entry = { code: compiled.code, sections: compiled.sections ?? [] };
  compiledMemo.set(lesson.compileKey, entry);
  return entry;
}

/**
 * `npm run content:check` and the build's content step: reads and validates every course,
 * lesson and quiz, compiles every lesson (checking components and links) and writes the
 * compiled code to the cache the app serves from. Returns every problem found, not just the first.
 */
import fs from "node:fs/promises";
import {
  CACHE_DIR,
  CONTENT_ROOT,
  linkablePaths,
  readContentTree,
  writeCompiled,
  type Catalog,
  type ContentIssue,
} from "~/courses/content.server";
import { compileLesson } from "~/courses/compile.server";
import path from "node:path";
import { lintLesson, longestCorrectIssue, needsSources, sourcesByLesson, type LessonReport, type QuizReport } from "~/courses/lesson-lint.server";
import { CORE_COURSE_IDS } from "~/targets";

export interface CheckResult {
  catalog: Catalog;
  issues: ContentIssue[];
  lessons: number;
  compiled: number;
  /** Per lesson: sentences, long sentences, step lists and their pictures. */
  lessonReports: LessonReport[];
  /** Per quiz: single-choice questions and how many are answered by their longest option. */
  quizReports: QuizReport[];
}

export async function checkContent(options: { root?: string; cacheDir?: string; write?: boolean } = {}): Promise<CheckResult> {
  const root = options.root ?? CONTENT_ROOT;
  const { catalog, issues } = await readContentTree(root);
  // content/SOURCES.md beside the courses folder, when there is one (test fixtures have none).
  const sourcesFile = path.join(root, "..", "SOURCES.md");
  const sources = await fs.readFile(sourcesFile, "utf8").then(sourcesByLesson, () => null);
  const linkable = linkablePaths(catalog);
  let lessons = 0;
  let compiled = 0;
  const lessonReports: LessonReport[] = [];
  const quizReports: QuizReport[] = [];
  for (const course of catalog.courses) {
    for (const lesson of course.lessons) {
      lessons++;
      const source = await fs.readFile(lesson.absolutePath, "utf8");
      const result = await compileLesson({ source, file: lesson.file, absolutePath: lesson.absolutePath, linkable });
      issues.push(...result.issues);
      const quizSource = await fs.readFile(lesson.absolutePath.replace(/\.mdx$/, ".quiz.yaml"), "utf8").catch(() => undefined);
      const lint = lintLesson(lesson, source, issues, quizSource);
      const key = `${lesson.courseId}/${lesson.id}`;
      lint.lesson.sources = sources?.get(key) ?? sources?.get(`${lesson.courseId}/*`) ?? 0;
      if (sources && needsSources(lesson, CORE_COURSE_IDS) && lint.lesson.sources === 0) {
        issues.push({ file: path.relative(process.cwd(), sourcesFile), message: `Bài ${key} là bài mới nhưng SOURCES.md chưa ghi nguồn nào cho bài này` });
      }
      lessonReports.push(lint.lesson);
      quizReports.push(lint.quiz);
      if (result.code) {
        compiled++;
        if (options.write !== false) await writeCompiled(lesson.compileKey, { code: result.code, file: lesson.file }, options.cacheDir ?? CACHE_DIR);
      }
    }
  }
  const share = longestCorrectIssue(quizReports, root);
  if (share) issues.push(share);
  return { catalog, issues, lessons, compiled, lessonReports, quizReports };
}

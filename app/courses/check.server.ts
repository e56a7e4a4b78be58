/**
 * `npm run content:check` and the build's content step: reads and validates every course,
 * lesson and quiz, compiles every lesson (checking components and links) and writes the
 * compiled code to the cache the app serves from. Returns every problem found, not just the first.
 */
import fs from "node:fs/promises";
import path from "node:path";
import {
  CACHE_DIR,
  CONTENT_ROOT,
  linkablePaths,
  readContentTree,
  writeCompiled,
  type Catalog,
  type ContentIssue,
  type Lesson,
  type LessonSection,
} from "~/courses/content.server";
import { compileLesson } from "~/courses/compile.server";
import {
  lintLesson,
  longestCorrectIssue,
  needsSources,
  sourcesByLesson,
  type LessonReport,
  type QuizReport,
} from "~/courses/lesson-lint.server";
import { CORE_COURSE_IDS } from "~/vocabulary";

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

export async function checkContent(
  options: { root?: string; cacheDir?: string; write?: boolean } = {},
): Promise<CheckResult> {
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
      const result = await compileLesson({
        source,
        file: lesson.file,
        absolutePath: lesson.absolutePath,
        linkable,
      });
      issues.push(...result.issues);
      const quizSource = await fs
        .readFile(lesson.absolutePath.replace(/\.mdx$/, ".quiz.yaml"), "utf8")
        .catch(() => undefined);
      const lint = lintLesson(lesson, source, issues, quizSource);
      const key = `${lesson.courseId}/${lesson.id}`;
      lint.lesson.sources = sources?.get(key) ?? sources?.get(`${lesson.courseId}/*`) ?? 0;
      if (sources && needsSources(lesson, CORE_COURSE_IDS) && lint.lesson.sources === 0) {
        issues.push({
          file: path.relative(process.cwd(), sourcesFile),
          message: `Bài ${key} là bài mới nhưng SOURCES.md chưa ghi nguồn nào cho bài này`,
        });
      }
      lessonReports.push(lint.lesson);
      quizReports.push(lint.quiz);
      if (result.code) {
        compiled++;
        if (options.write !== false) {
          await writeCompiled(
            lesson.compileKey,
            { code: result.code, file: lesson.file, sections: result.sections },
            options.cacheDir ?? CACHE_DIR,
          );
        }
      }
      issues.push(...(await checkTeaches(lesson, result.sections)));
    }
  }
  const share = longestCorrectIssue(quizReports, root);
  if (share) issues.push(share);
  return { catalog, issues, lessons, compiled, lessonReports, quizReports };
}

/**
 * A quiz question's `teaches` names the lesson section that answers it: the id of one of the
 * lesson's `##` headings (headingSlug of its words). The review of a failed attempt links there.
 */
export async function checkTeaches(lesson: Lesson, sections: LessonSection[]): Promise<ContentIssue[]> {
  const ids = new Set(sections.map((s) => s.id));
  const wrong = lesson.quiz.questions.filter((q) => q.teaches !== undefined && !ids.has(q.teaches));
  if (wrong.length === 0) return [];
  const lines = (await fs.readFile(path.resolve(lesson.quiz.file), "utf8")).split("\n");
  const known = sections.map((s) => s.id).join(", ") || "(bài chưa có mục ## nào)";
  return wrong.map((q) => {
    const index = lines.findIndex((l) => new RegExp(`teaches:\\s*["']?${q.teaches}(?![a-z0-9-])`).test(l));
    return {
      file: lesson.quiz.file,
      line: index >= 0 ? index + 1 : undefined,
      message:
        `Câu ${q.id}: teaches “${q.teaches}” không phải mục ## nào của bài ${lesson.id}. ` +
        `Các mục có: ${known}`,
    };
  });
}

/**
 * `npm run content:check [folder]`: checks every course, lesson and quiz (default content/courses)
 * and compiles the lessons into .cache/content/ — the same step `npm run build` runs first.
 * Prints, per lesson, its long sentences and its step lists with their pictures, and per quiz how
 * often the right answer is the longest option; then each problem as file:line:column: message,
 * and exits 1 if there is any.
 */
import path from "node:path";
import { CONTENT_ROOT, formatIssue } from "~/courses/content.server";
import { checkContent } from "~/courses/check.server";
import { LONG_SENTENCE } from "~/courses/lesson-lint.server";
import { checkPractices } from "~/courses/practice-schema.server";

const folder = process.argv.slice(2).find((a) => !a.startsWith("-"));
const quiet = process.argv.includes("--quiet");
const started = Date.now();
const result = await checkContent({ root: folder ? path.resolve(folder) : undefined, write: !folder });
const practice = await checkPractices(result.catalog, folder ? path.resolve(folder) : CONTENT_ROOT);
result.issues.push(...practice.issues);
const percent = (part: number, whole: number) =>
  whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`;

if (!quiet) {
  console.info(
    `Bài học: câu dài hơn ${LONG_SENTENCE} tiếng; danh sách bước (số bước, hình vẽ); ` +
      `số nguồn trong content/SOURCES.md`,
  );
  for (const l of result.lessonReports) {
    const lists =
      l.stepLists
        .map((s) => `${s.aboutApp ? "ứng dụng" : "cảnh"} ${s.steps} bước/${s.pictures.length} hình`)
        .join(", ") || "không có";
    console.info(
      `  ${l.file}: ${l.longSentences}/${l.sentences} câu dài (${percent(l.longSentences, l.sentences)}); ` +
        `bước: ${lists}; nguồn: ${l.sources ?? 0}`,
    );
  }
  console.info("Bài kiểm tra: câu một lựa chọn có đáp án đúng dài nhất");
  for (const q of result.quizReports) console.info(`  ${q.file}: ${q.longestCorrect}/${q.single}`);
  const single = result.quizReports.reduce((n, q) => n + q.single, 0);
  const longest = result.quizReports.reduce((n, q) => n + q.longestCorrect, 0);
  const sentences = result.lessonReports.reduce((n, l) => n + l.sentences, 0);
  const long = result.lessonReports.reduce((n, l) => n + l.longSentences, 0);
  const lists = result.lessonReports.flatMap((l) => l.stepLists);
  console.info(
    `Tổng: đáp án đúng dài nhất ${longest}/${single} (${percent(longest, single)}, tối đa 50%); ` +
      `câu dài ${long}/${sentences} (${percent(long, sentences)}); ` +
      `${lists.length} danh sách bước, ${lists.reduce((n, s) => n + s.pictures.length, 0)} hình.`,
  );
}
if (result.issues.length > 0) {
  console.error(result.issues.map(formatIssue).join("\n"));
  console.error(`\ncontent:check: ${result.issues.length} problem(s) found.`);
  process.exit(1);
}
const quizzes = result.catalog.courses.reduce((n, c) => n + c.lessons.length, 0);
console.info(
  `content:check: ${result.catalog.courses.length} courses, ${result.lessons} lessons, ` +
    `${quizzes} quizzes OK; ${result.compiled} lessons compiled into .cache/content ` +
    `(${((Date.now() - started) / 1000).toFixed(1)}s).`,
);

/**
 * `npm run content:check [folder]`: checks every course, lesson and quiz (default content/courses)
 * and compiles the lessons into .cache/content/ — the same step `npm run build` runs first.
 * Prints each problem as file:line:column: message and exits 1 if there is any.
 */
import path from "node:path";
import { CONTENT_ROOT, formatIssue } from "~/courses/content.server";
import { checkContent } from "~/courses/check.server";
import { checkPractices } from "~/courses/practice-schema.server";

const folder = process.argv.slice(2).find((a) => !a.startsWith("-"));
const started = Date.now();
const result = await checkContent({ root: folder ? path.resolve(folder) : undefined, write: !folder });
const practice = await checkPractices(result.catalog, folder ? path.resolve(folder) : CONTENT_ROOT);
result.issues.push(...practice.issues);
if (result.issues.length > 0) {
  console.error(result.issues.map(formatIssue).join("\n"));
  console.error(`\ncontent:check: ${result.issues.length} problem(s) found.`);
  process.exit(1);
}
const quizzes = result.catalog.courses.reduce((n, c) => n + c.lessons.length, 0);
console.info(
  `content:check: ${result.catalog.courses.length} courses, ${result.lessons} lessons, ${quizzes} quizzes OK; ` +
    `${result.compiled} lessons compiled into .cache/content (${((Date.now() - started) / 1000).toFixed(1)}s).`,
);

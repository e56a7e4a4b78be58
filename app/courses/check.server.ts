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

export interface CheckResult {
  catalog: Catalog;
  issues: ContentIssue[];
  lessons: number;
  compiled: number;
}

export async function checkContent(options: { root?: string; cacheDir?: string; write?: boolean } = {}): Promise<CheckResult> {
  const root = options.root ?? CONTENT_ROOT;
  const { catalog, issues } = await readContentTree(root);
  const linkable = linkablePaths(catalog);
  let lessons = 0;
  let compiled = 0;
  for (const course of catalog.courses) {
    for (const lesson of course.lessons) {
      lessons++;
      const source = await fs.readFile(lesson.absolutePath, "utf8");
      const result = await compileLesson({ source, file: lesson.file, absolutePath: lesson.absolutePath, linkable });
      issues.push(...result.issues);
      if (result.code) {
        compiled++;
        if (options.write !== false) await writeCompiled(lesson.compileKey, { code: result.code, file: lesson.file }, options.cacheDir ?? CACHE_DIR);
      }
    }
  }
  return { catalog, issues, lessons, compiled };
}

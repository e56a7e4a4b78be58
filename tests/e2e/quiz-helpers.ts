/**
 * Quiz helpers for browser tests. The test knows the answers by reading the quiz files, as a
 * teacher would; the browser never gets them.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { parse } from "yaml";

export interface QuizQuestion {
  id: string;
  type: "single" | "multiple" | "truefalse" | "order";
  prompt: string;
  options?: { id: string; text: string }[];
  answer: string | string[] | boolean;
  explanation: string;
}

export function readQuiz(course: string, file: string): { questions: QuizQuestion[] } {
  return parse(fs.readFileSync(path.join("content/courses", course, "lessons", `${file}.quiz.yaml`), "utf8"));
}

/** The lesson files of a course in order: `{ id, file }` with the nn- prefix kept in `file`. */
export function lessonFiles(course: string): { id: string; file: string }[] {
  return fs
    .readdirSync(path.join("content/courses", course, "lessons"))
    .filter((f) => f.endsWith(".mdx"))
    .sort()
    .map((f) => {
      const file = f.replace(/\.mdx$/, "");
      return { id: file.replace(/^\d+-/, ""), file };
    });
}

export async function answerQuiz(page: Page, questions: QuizQuestion[], skip?: string) {
  for (const q of questions) {
    if (q.id === skip) continue;
    const box = page.locator(`[id="cau-${q.id}"]`);
    const text = (id: string) => q.options!.find((o) => o.id === id)!.text;
    switch (q.type) {
      case "single":
        await box.getByLabel(text(q.answer as string), { exact: true }).check();
        break;
      case "multiple":
        for (const id of q.answer as string[]) await box.getByLabel(text(id), { exact: true }).check();
        break;
      case "truefalse":
        await box.getByLabel(q.answer ? "Đúng" : "Sai", { exact: true }).check();
        break;
      case "order":
        for (const [i, id] of (q.answer as string[]).entries())
          await box.getByLabel(text(id), { exact: true }).selectOption(String(i + 1));
        break;
    }
  }
}

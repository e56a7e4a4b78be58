import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { formatIssue, readContentTree } from "~/courses/content.server";
import { checkPractices, readLessonPractice } from "~/courses/practice-schema.server";
import { judgeTap, publicStep } from "~/practice.server";

const broken = path.resolve("tests/fixtures/practice-broken");
const practiceFile = "khoa-thu/lessons/01-bai-mot.practice.yaml";

/** Each broken practice fixture, the file and line content:check must point at, and what it must say. */
const cases: { name: string; file: string; line?: number; says: RegExp }[] = [
  {
    name: "no-right-choice",
    file: practiceFile,
    line: 10,
    says: /bước 1: cần đúng một lựa chọn có correct: true \(đang có 0\)/,
  },
  {
    name: "wrong-choice-without-feedback",
    file: practiceFile,
    line: 11,
    says: /lựa chọn “dong” sai nên cần feedback/,
  },
  { name: "duplicate-task-id", file: practiceFile, line: 12, says: /Trùng id bài thực hành “bai-tap”/ },
  {
    name: "practice-without-lesson",
    file: "khoa-thu/lessons/02-bai-hai.practice.yaml",
    says: /không có bài học cùng tên/,
  },
  {
    name: "malformed-practice",
    file: practiceFile,
    says: /screen\.kind: chỉ được là app, call, sms hoặc web/,
  },
];

async function check(root: string) {
  const { catalog, issues } = await readContentTree(root);
  const practice = await checkPractices(catalog, root);
  return { catalog, issues: [...issues, ...practice.issues], tasks: practice.tasks };
}

/** The eight practices the issue asks for, each beside its lesson. */
const EIGHT = [
  ["nen-tang-so", "cai-dat-va-kich-hoat-vneid", "tim-vneid-that"],
  ["nen-tang-so", "vneid-bhyt-ngan-hang-va-phan-anh", "them-the-bhyt"],
  ["dich-vu-cong-truc-tuyen", "nop-va-theo-doi-ho-so", "tim-ho-so-theo-ma"],
  ["nen-tang-so", "tong-dai-1022-va-zalo", "phan-anh-1022"],
  ["dich-vu-cong-truc-tuyen", "vietqr-va-hoa-don-dien-tu", "kiem-tra-ten-nguoi-nhan"],
  ["an-toan-thong-tin", "nhan-dien-gia-danh", "cuoc-goi-gia-cong-an"],
  ["an-toan-thong-tin", "duong-link-ung-dung-va-otp", "tin-nhan-co-duong-link"],
  ["an-toan-thong-tin", "ghi-nhan-chuyen-tham-ho", "ghi-nhan-lan-den-nha"],
] as const;

describe("content:check on practice files", () => {
  it("passes on the real courses, with the eight practices each beside its lesson", async () => {
    const result = await check(path.resolve("content/courses"));
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.tasks).toBe(8);
    for (const [courseId, lessonId, taskId] of EIGHT) {
      const lesson = result.catalog.courses
        .find((c) => c.id === courseId)
        ?.lessons.find((l) => l.id === lessonId);
      expect(lesson, `${courseId}/${lessonId}`).toBeDefined();
      const { tasks } = await readLessonPractice(lesson!);
      expect(tasks.map((t) => t.id)).toContain(taskId);
    }
  });

  it("every wrong choice of every real task says “Chưa đúng: …” with a way forward", async () => {
    const result = await check(path.resolve("content/courses"));
    for (const course of result.catalog.courses) {
      for (const lesson of course.lessons) {
        for (const task of (await readLessonPractice(lesson)).tasks) {
          task.steps.forEach((step, i) => {
            const wrong = step.choices.find((c) => !c.correct)!;
            expect(judgeTap(task, i + 1, wrong.id)).toEqual({ kind: "wrong" });
            expect(publicStep(task, i + 1, { wrongChoiceId: wrong.id })?.feedback).toMatch(
              /^Chưa đúng: .{20,}/,
            );
          });
        }
      }
    }
  });

  it("has a broken fixture for every case it tests", () => {
    expect(fs.readdirSync(broken).sort()).toEqual(cases.map((c) => c.name).sort());
  });

  for (const c of cases) {
    it(`fails on ${c.name}, naming ${path.basename(c.file)}${c.line ? ` line ${c.line}` : ""}`, async () => {
      const result = await check(path.join(broken, c.name));
      const expectedFile = path.relative(process.cwd(), path.join(broken, c.name, c.file));
      const match = result.issues.find((i) => i.file === expectedFile && c.says.test(i.message));
      expect(match, result.issues.map(formatIssue).join("\n")).toBeDefined();
      if (c.line) expect(match!.line).toBe(c.line);
    });
  }

  it("npm run content:check exits with an error on a bad practice file", () => {
    const run = spawnSync(
      "npx",
      ["tsx", "scripts/content-check.ts", path.join(broken, "wrong-choice-without-feedback")],
      { encoding: "utf8" },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "01-bai-mot.practice.yaml:11: Bài bai-tap, bước 1: lựa chọn “dong” sai nên cần feedback",
    );
  }, 60_000);
});

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { checkContent } from "~/courses/check.server";
import { formatIssue } from "~/courses/content.server";

const broken = path.resolve("tests/fixtures/content-broken");
const lesson = "khoa-thu/lessons/01-bai-mot";

/** Each broken fixture, the file and line the checker must point at, and what it must say. */
const cases: { name: string; file: string; line?: number; says: RegExp }[] = [
  { name: "bad-frontmatter", file: `${lesson}.mdx`, line: 6, says: /minutes/ },
  { name: "mdx-compile-error", file: `${lesson}.mdx`, line: 13, says: /MDX không biên dịch được.*Callout/ },
  { name: "missing-quiz", file: `${lesson}.mdx`, says: /Thiếu bài kiểm tra/ },
  { name: "malformed-quiz", file: `${lesson}.quiz.yaml`, line: 11, says: /type: chỉ được là single, multiple, truefalse hoặc order/ },
  { name: "duplicate-ids", file: "khoa-thu/lessons/02-bai-mot.mdx", says: /Trùng mã bài “bai-mot”/ },
  { name: "duplicate-ids", file: "khoa-thu/lessons/02-bai-mot.quiz.yaml", line: 10, says: /Trùng id câu hỏi “q1”/ },
  { name: "answer-names-no-option", file: `${lesson}.quiz.yaml`, line: 8, says: /đáp án “d” không phải id của lựa chọn nào/ },
  // q1 teaches "## Mục đầu" (muc-dau), which exists; q2 names a section the lesson does not have.
  { name: "teaches-names-no-section", file: `${lesson}.quiz.yaml`, line: 16, says: /Câu q2: teaches “muc-khong-co” không phải mục ## nào.*muc-dau, ghi-nho/ },
  { name: "link-to-missing-lesson", file: `${lesson}.mdx`, line: 19, says: /bài không tồn tại: \/courses\/khoa-thu\/bai-khong-co/ },
  { name: "figure-without-alt", file: `${lesson}.mdx`, line: 11, says: /<Figure> cần thuộc tính alt/ },
];

describe("content:check", () => {
  it("passes on the real courses: three courses, every lesson with a quiz of at least four questions", async () => {
    const result = await checkContent({ write: false });
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.catalog.courses.map((c) => c.id)).toEqual(["nen-tang-so", "dich-vu-cong-truc-tuyen", "an-toan-thong-tin"]);
    for (const course of result.catalog.courses) {
      expect(course.lessons.filter((l) => l.audience === "all").length).toBeGreaterThanOrEqual(5);
      for (const l of course.lessons) expect(l.quiz.questions.length, l.file).toBeGreaterThanOrEqual(4);
    }
    const types = new Set(result.catalog.courses.flatMap((c) => c.lessons.flatMap((l) => l.quiz.questions.map((q) => q.type))));
    expect([...types].sort()).toEqual(["multiple", "order", "single", "truefalse"]);
    expect(result.compiled).toBe(result.lessons);
  }, 60_000);

  it("has a broken fixture for every case it tests", () => {
    expect(fs.readdirSync(broken).sort()).toEqual([...new Set(cases.map((c) => c.name))].sort());
  });

  for (const c of cases) {
    it(`fails on ${c.name}, naming ${path.basename(c.file)}${c.line ? ` line ${c.line}` : ""}`, async () => {
      const result = await checkContent({ root: path.join(broken, c.name), write: false });
      const expectedFile = path.relative(process.cwd(), path.join(broken, c.name, c.file));
      const match = result.issues.find((i) => i.file === expectedFile && c.says.test(i.message));
      expect(match, result.issues.map(formatIssue).join("\n")).toBeDefined();
      if (c.line) expect(match!.line).toBe(c.line);
    });
  }

  it("exits with an error and prints file:line when run as a command", () => {
    const run = spawnSync("npx", ["tsx", "scripts/content-check.ts", path.join(broken, "answer-names-no-option")], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("khoa-thu/lessons/01-bai-mot.quiz.yaml:8: Câu q1: đáp án “d” không phải id của lựa chọn nào");
  }, 60_000);
});

describe("compiled lessons outside production", () => {
  it("an edited lesson shows on the next read, compiled once and then served from the cache", async () => {
    const { readContentTree, getLessonCode } = await import("~/courses/content.server");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-content-"));
    fs.cpSync(path.join(broken, "missing-quiz"), root, { recursive: true });
    const lessonPath = path.join(root, "khoa-thu/lessons/01-bai-mot.mdx");
    fs.writeFileSync(lessonPath.replace(/\.mdx$/, ".quiz.yaml"), fs.readFileSync(path.join(broken, "answer-names-no-option", `${lesson}.quiz.yaml`), "utf8").replace("answer: d", "answer: a"));
    try {
      const first = await readContentTree(root);
      expect(first.issues).toEqual([]);
      const code = await getLessonCode(first.catalog.courses[0]!.lessons[0]!, first.catalog);
      expect(code).toContain("Hãy đọc chậm.");
      fs.writeFileSync(lessonPath, fs.readFileSync(lessonPath, "utf8").replace("Hãy đọc chậm.", "Hãy đọc thật chậm."));
      const second = await readContentTree(root);
      const lesson2 = second.catalog.courses[0]!.lessons[0]!;
      expect(lesson2.compileKey).not.toBe(first.catalog.courses[0]!.lessons[0]!.compileKey);
      expect(await getLessonCode(lesson2, second.catalog)).toContain("Hãy đọc thật chậm.");
      expect(fs.existsSync(path.join(".cache/content", `${lesson2.compileKey}.json`))).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { checkContent } from "~/courses/check.server";
import { formatIssue } from "~/courses/content.server";
import { headingSlug, sourcesByLesson } from "~/courses/lesson-lint.server";

const broken = path.resolve("tests/fixtures/content-broken");
const lesson = "khoa-thu/lessons/01-bai-mot";

/** Each broken fixture, the file and line the checker must point at, and what it must say. */
const cases: { name: string; file: string; line?: number; says: RegExp }[] = [
  { name: "bad-frontmatter", file: `${lesson}.mdx`, line: 6, says: /minutes/ },
  { name: "mdx-compile-error", file: `${lesson}.mdx`, line: 13, says: /MDX không biên dịch được.*Callout/ },
  { name: "missing-quiz", file: `${lesson}.mdx`, says: /Thiếu bài kiểm tra/ },
  {
    name: "malformed-quiz",
    file: `${lesson}.quiz.yaml`,
    line: 11,
    says: /type: chỉ được là single, multiple, truefalse hoặc order/,
  },
  { name: "duplicate-ids", file: "khoa-thu/lessons/02-bai-mot.mdx", says: /Trùng mã bài “bai-mot”/ },
  {
    name: "duplicate-ids",
    file: "khoa-thu/lessons/02-bai-mot.quiz.yaml",
    line: 10,
    says: /Trùng id câu hỏi “q1”/,
  },
  {
    name: "answer-names-no-option",
    file: `${lesson}.quiz.yaml`,
    line: 8,
    says: /đáp án “d” không phải id của lựa chọn nào/,
  },
  // q1 teaches "## Mục đầu" (muc-dau), which exists; q2 names a section the lesson does not have.
  {
    name: "teaches-names-no-section",
    file: `${lesson}.quiz.yaml`,
    line: 16,
    says: /Câu q2: teaches “muc-khong-co” không phải mục ## nào.*muc-dau, ghi-nho/,
  },
  {
    name: "link-to-missing-lesson",
    file: `${lesson}.mdx`,
    line: 19,
    says: /bài không tồn tại: \/courses\/khoa-thu\/bai-khong-co/,
  },
  { name: "figure-without-alt", file: `${lesson}.mdx`, line: 11, says: /<Figure> cần thuộc tính alt/ },
  { name: "picture-without-alt", file: `${lesson}.mdx`, line: 23, says: /<PhoneScreen> cần thuộc tính alt/ },
  {
    name: "step-list-without-picture",
    file: `${lesson}.mdx`,
    line: 19,
    says: /Danh sách bước ở mục “Mục đầu”.*chưa có hình màn hình/,
  },
  {
    name: "scene-list-without-picture",
    file: `${lesson}.mdx`,
    line: 19,
    says: /Danh sách bước ở mục “Mục đầu” chưa có hình: thêm <SceneDrawing/,
  },
  { name: "question-without-teaches", file: `${lesson}.quiz.yaml`, line: 2, says: /Câu q1: thiếu teaches/ },
  {
    name: "teaches-unknown-section",
    file: `${lesson}.quiz.yaml`,
    line: 13,
    says: /Câu q2: teaches “muc-khong-co” không phải mục ## nào của bài. Các mục: muc-dau, ghi-nho/,
  },
  {
    name: "longest-answer-share",
    file: "",
    says: /1 trong 1 câu một lựa chọn có đáp án đúng là lựa chọn dài nhất \(100%, tối đa 50%\)/,
  },
];

// Compiling every real lesson takes a while on a busy machine: once for every test below that reads them.
let real: Promise<Awaited<ReturnType<typeof checkContent>>> | undefined;
const checkReal = () => (real ??= checkContent({ write: false }));

describe("content:check", () => {
  it("passes on the real courses: the three core courses first, every lesson with a quiz of at least four questions", async () => {
    const result = await checkReal();
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.catalog.courses.map((c) => c.id).slice(0, 3)).toEqual([
      "nen-tang-so",
      "dich-vu-cong-truc-tuyen",
      "an-toan-thong-tin",
    ]);
    for (const course of result.catalog.courses.slice(0, 3)) {
      expect(course.lessons.filter((l) => l.audience === "all").length).toBeGreaterThanOrEqual(5);
    }
    for (const course of result.catalog.courses) {
      for (const l of course.lessons) expect(l.quiz.questions.length, l.file).toBeGreaterThanOrEqual(4);
    }
    const types = new Set(
      result.catalog.courses.flatMap((c) => c.lessons.flatMap((l) => l.quiz.questions.map((q) => q.type))),
    );
    expect([...types].sort()).toEqual(["multiple", "order", "single", "truefalse"]);
    expect(result.compiled).toBe(result.lessons);
  }, 120_000);

  it("links every real question to a section of its lesson, and keeps the right answer from being the longest option in most questions", async () => {
    const result = await checkReal();
    const questions = result.catalog.courses.flatMap((c) => c.lessons.flatMap((l) => l.quiz.questions));
    expect(questions.filter((q) => !q.teaches).map((q) => q.id)).toEqual([]);
    const single = result.quizReports.reduce((n, q) => n + q.single, 0);
    const longest = result.quizReports.reduce((n, q) => n + q.longestCorrect, 0);
    expect(longest / single).toBeLessThanOrEqual(0.5);
  }, 120_000);

  it("draws a screen for every step list about an app and a picture for every other step list, each with its text alternative", async () => {
    const result = await checkReal();
    const lists = result.lessonReports.flatMap((l) => l.stepLists.map((s) => ({ ...s, file: l.file })));
    for (const list of lists) expect(list.pictures.length, `${list.file}:${list.line}`).toBeGreaterThan(0);
    for (const list of lists.filter((s) => s.aboutApp)) {
      expect(
        list.pictures.some((p) => p.component === "PhoneScreen"),
        `${list.file}:${list.line}`,
      ).toBe(true);
    }
    for (const p of lists.flatMap((s) => s.pictures)) expect(p.alt.length).toBeGreaterThan(10);
  }, 120_000);

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
    }, 30_000);
  }

  it("exits with an error and prints file:line when run as a command", () => {
    const run = spawnSync(
      "npx",
      ["tsx", "scripts/content-check.ts", path.join(broken, "answer-names-no-option")],
      { encoding: "utf8" },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "khoa-thu/lessons/01-bai-mot.quiz.yaml:8: Câu q1: đáp án “d” không phải id của lựa chọn nào",
    );
    expect(run.stdout).toContain("Tổng: đáp án đúng dài nhất");
  }, 60_000);
});

describe("a heading's slug (what a question's teaches names)", () => {
  it.each([
    ["Gọi số nào?", "goi-so-nao"],
    ["Đăng ký tạm trú trên VNeID", "dang-ky-tam-tru-tren-vneid"],
    ["Zalo «Tổng đài 1022 Đà Nẵng»", "zalo-tong-dai-1022-da-nang"],
    ["Việc đầu tiên: gọi ngay ngân hàng", "viec-dau-tien-goi-ngay-ngan-hang"],
    ["  Khoẻ, tuỳ ý — xoá!  ", "khoe-tuy-y-xoa"],
  ])("%s → %s", (heading, slug) => {
    expect(headingSlug(heading)).toBe(slug);
  });
});

describe("content/SOURCES.md", () => {
  it("counts the addresses each lesson's rows give, following “same” rows", () => {
    const counts = sourcesByLesson(
      [
        "| Lesson | Fact | Source |",
        "|---|---|---|",
        "| khoa/bai-mot, khoa/bai-hai | A | https://a.vn/1 ; https://b.vn/2 |",
        "| same | B | https://c.vn/3 |",
        "| khoa/bai-ba | C | HọcSố itself: app/routes/x.tsx |",
      ].join("\n"),
    );
    expect(Object.fromEntries(counts)).toEqual({ "khoa/bai-mot": 3, "khoa/bai-hai": 3, "khoa/bai-ba": 1 });
  });

  it("names a source for every lesson of the optional courses and every lesson added to a core course", async () => {
    const result = await checkReal();
    const missing = result.lessonReports.filter(
      (l) => !/\/(nen-tang-so|dich-vu-cong-truc-tuyen|an-toan-thong-tin)\//.test(l.file) && !l.sources,
    );
    expect(missing.map((l) => l.file)).toEqual([]);
    expect(
      result.lessonReports.find((l) => l.file.endsWith("07-kiem-tra-the-thanh-vien.mdx"))?.sources,
    ).toBeGreaterThan(0);
  }, 120_000);
});

describe("compiled lessons outside production", () => {
  it("an edited lesson shows on the next read, compiled once and then served from the cache", async () => {
    const { readContentTree, getLessonCode } = await import("~/courses/content.server");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-content-"));
    fs.cpSync(path.join(broken, "missing-quiz"), root, { recursive: true });
    const lessonPath = path.join(root, "khoa-thu/lessons/01-bai-mot.mdx");
    fs.writeFileSync(
      lessonPath.replace(/\.mdx$/, ".quiz.yaml"),
      fs
        .readFileSync(path.join(broken, "answer-names-no-option", `${lesson}.quiz.yaml`), "utf8")
        .replace("answer: d", "answer: a"),
    );
    try {
      const first = await readContentTree(root);
      expect(first.issues).toEqual([]);
      const code = await getLessonCode(first.catalog.courses[0]!.lessons[0]!, first.catalog);
      expect(code).toContain("Hãy đọc chậm.");
      fs.writeFileSync(
        lessonPath,
        fs.readFileSync(lessonPath, "utf8").replace("Hãy đọc chậm.", "Hãy đọc thật chậm."),
      );
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

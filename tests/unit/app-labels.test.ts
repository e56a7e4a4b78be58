/**
 * Lessons about HọcSố speak the app's own words: every label a lesson quotes from HọcSố (an
 * <AppLabel>, a label drawn on a <PhoneScreen app="HọcSố">, or a bold word in a step list of such
 * a lesson) must be written somewhere in the app's source. A lesson that says "Ghi nhận chuyến
 * thăm" where the button says "Lưu lần đến nhà" fails here.
 */
import fs from "node:fs";
import path from "node:path";
import { readContentTree } from "~/courses/content.server";
import { analyzeLesson, type LessonAnalysis } from "~/courses/lesson-lint.server";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

const appText = sourceFiles(path.resolve("app"))
  .filter((f) => !f.endsWith("phone-screen.tsx") && !f.includes(`${path.sep}courses${path.sep}`))
  .map((f) => fs.readFileSync(f, "utf8"))
  .join("\n");

/**
 * The labels a lesson quotes from HọcSố;
 * a label ending in "…" is the start of a longer one (“Lưu kỹ năng của …”).
 */
function quotedHocSoLabels(analysis: LessonAnalysis): string[] {
  const drawn = analysis.pictures
    .filter((p) => p.component === "PhoneScreen" && p.app === "HọcSố")
    .flatMap((p) => p.labels);
  const aboutHocSo = analysis.appLabels.length > 0 || drawn.length > 0;
  return [...analysis.appLabels, ...drawn, ...(aboutHocSo ? analysis.boldInSteps : [])];
}

const missingFrom = (labels: string[], text: string) =>
  labels.filter((label) => !text.includes(label.replace(/\s*…$/u, "").replace(/^[✓✗]\s*/u, "")));

describe("labels quoted in lessons about HọcSố", () => {
  it("are all in the app", async () => {
    const { catalog } = await readContentTree();
    const missing: string[] = [];
    let quoted = 0;
    for (const lesson of catalog.courses.flatMap((c) => c.lessons)) {
      const labels = quotedHocSoLabels(analyzeLesson(fs.readFileSync(lesson.absolutePath, "utf8")));
      quoted += labels.length;
      missing.push(...missingFrom(labels, appText).map((l) => `${lesson.file}: “${l}”`));
    }
    expect(missing).toEqual([]);
    expect(quoted).toBeGreaterThan(20);
  }, 30_000);

  it("the members' lesson uses the app's names for a home visit and the three ways of recording a skill", async () => {
    const { catalog } = await readContentTree();
    const lesson = catalog.courses.flatMap((c) => c.lessons).find((l) => l.id === "ghi-nhan-chuyen-tham-ho")!;
    const labels = quotedHocSoLabels(analyzeLesson(fs.readFileSync(lesson.absolutePath, "utf8")));
    for (const label of [
      "Lưu lần đến nhà",
      "Ghi nhận lần đến nhà",
      "Người dân tự khai",
      "Thành viên hướng dẫn làm",
      "Thành viên đã xem tận mắt",
    ]) {
      expect(labels).toContain(label);
    }
  }, 30_000);

  it("catches a label the app does not have", () => {
    const analysis = analyzeLesson(
      [
        "## Ghi lại",
        "",
        "<Steps>",
        "",
        "1. Bấm <AppLabel>Ghi nhận chuyến thăm</AppLabel>.",
        "2. Chọn mức **Được hỗ trợ**.",
        "",
        "</Steps>",
        "",
      ].join("\n"),
    );
    expect(missingFrom(quotedHocSoLabels(analysis), appText)).toEqual([
      "Ghi nhận chuyến thăm",
      "Được hỗ trợ",
    ]);
  });
});

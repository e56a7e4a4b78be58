/**
 * Practice on simulated screens ("Thực hành"): the eight tasks done on a 360 px phone, taps as
 * plain form posts. The test knows the right taps by reading the practice files, as a teacher would.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { parse } from "yaml";
import { demo, expect, expectAccessible, signIn, test } from "./fixtures";

interface Choice {
  id: string;
  label: string;
  correct?: true;
}
interface Task {
  id: string;
  title: string;
  steps: { prompt: string; choices: Choice[] }[];
}

/** The eight practices and the lesson each sits beside (course, lesson file without .mdx). */
const EIGHT = [
  ["nen-tang-so", "04-cai-dat-va-kich-hoat-vneid"],
  ["nen-tang-so", "05-vneid-bhyt-ngan-hang-va-phan-anh"],
  ["dich-vu-cong-truc-tuyen", "02-nop-va-theo-doi-ho-so"],
  ["nen-tang-so", "03-tong-dai-1022-va-zalo"],
  ["dich-vu-cong-truc-tuyen", "05-vietqr-va-hoa-don-dien-tu"],
  ["an-toan-thong-tin", "01-nhan-dien-gia-danh"],
  ["an-toan-thong-tin", "02-duong-link-ung-dung-va-otp"],
  ["an-toan-thong-tin", "06-ghi-nhan-chuyen-tham-ho"],
] as const;

function tasksOf(course: string, file: string): Task[] {
  return (
    parse(
      fs.readFileSync(path.join("content/courses", course, "lessons", `${file}.practice.yaml`), "utf8"),
    ) as { tasks: Task[] }
  ).tasks;
}

const tapOn = (page: Page, choice: Choice) => page.locator(`button[name="chon"][value="${choice.id}"]`);

/** On the task's first screen: one wrong tap and its feedback, then every right tap to the end. */
async function doTask(page: Page, task: Task, { checkAccessibility }: { checkAccessibility: boolean }) {
  await expect(page.getByRole("heading", { level: 1 })).toContainText(task.title);
  const first = task.steps[0]!;
  const wrong = first.choices.find((c) => !c.correct)!;
  await expect(tapOn(page, wrong)).toContainText(wrong.label);
  await tapOn(page, wrong).click();
  await expect(page.getByRole("alert")).toContainText("Chưa đúng:");
  await expect(page.getByText(`Bước 1/${task.steps.length}`)).toBeVisible();
  if (checkAccessibility) await expectAccessible(page);
  for (const [i, step] of task.steps.entries()) {
    await expect(page.getByText(`Bước ${i + 1}/${task.steps.length}`)).toBeVisible();
    await expect(page.locator(".practice__prompt")).toHaveText(step.prompt);
    const phone = await page.locator(".sim-phone").boundingBox();
    expect(phone!.x + phone!.width).toBeLessThanOrEqual(360);
    await tapOn(page, step.choices.find((c) => c.correct)!).click();
  }
  await expect(page.getByText("Bạn đã làm xong bài thực hành!")).toBeVisible();
  await expect(page.getByText("Bạn đã chạm sai 1 lần.")).toBeVisible();
}

test.describe("on a 360 px phone without JavaScript", () => {
  test.use({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });

  for (const [index, [course, file]] of EIGHT.entries()) {
    const lessonId = file.slice(3);
    const [task] = tasksOf(course, file);
    test(
      `a team member practises “${task!.title}” from its lesson, ` +
        `with one wrong tap, and finds it in their learning`,
      async ({ page }) => {
        test.setTimeout(240_000);
        await signIn(page, demo.member);
        await page.goto(`/courses/${course}/${lessonId}`);
        // The lesson page stays without framework JavaScript.
        // No framework bundle on the lesson: its only script is the small read-aloud file.
        await expect(page.locator("script[src]:not([src^='/read-aloud.js'])")).toHaveCount(0);
        const block = page.locator("#thuc-hanh");
        await expect(block.getByRole("heading", { name: "Thực hành" })).toBeVisible();
        await block.getByRole("link", { name: task!.title }).click();
        await doTask(page, task!, { checkAccessibility: index === 0 });
        await expect(page.getByText("Đã ghi lần thực hành này vào Việc học của tôi.")).toBeVisible();
        if (index === 0) await expectAccessible(page);
        await page.getByRole("link", { name: "Về bài học" }).click();
        await expect(page.locator("#thuc-hanh li", { hasText: task!.title })).toContainText("Đã làm");
        await page.getByRole("link", { name: "Việc học", exact: true }).click();
        const practised = page.locator("h2:has-text('Thực hành') + ul li", { hasText: task!.title });
        await expect(practised).toContainText("chạm sai 1 lần");
      },
    );
  }
});

test.describe("with JavaScript", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("a visitor practises checking a QR payee without signing in, and is told it was not recorded", async ({
    page,
  }) => {
    const [task] = tasksOf("dich-vu-cong-truc-tuyen", "05-vietqr-va-hoa-don-dien-tu");
    await page.goto(
      "/courses/dich-vu-cong-truc-tuyen/vietqr-va-hoa-don-dien-tu/practice/kiem-tra-ten-nguoi-nhan",
    );
    await doTask(page, task!, { checkAccessibility: true });
    await expect(
      page.getByText("Bạn chưa đăng nhập nên lần thực hành này không được ghi lại."),
    ).toBeVisible();
    await expectAccessible(page);
  });

  test("the office's training page counts the residents who practised each task", async ({ page }) => {
    await signIn(page, demo.office);
    await page.goto("/office/training");
    const table = page.getByRole("table", { name: "Số người dân đã thực hành từng bài" });
    await expect(table.getByRole("row")).toHaveCount(9);
    await expect(table).toContainText("Tìm đúng ứng dụng VNeID thật trong CH Play");
  });
});

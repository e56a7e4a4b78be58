import { demo, expect, expectAccessible, signIn, test } from "./fixtures";
import { answerQuiz, lessonFiles, readQuiz } from "./quiz-helpers";
import type { Page } from "@playwright/test";

const filing = { id: "dich-vu-cong-truc-tuyen", title: "Nộp hồ sơ trực tuyến và thanh toán" };

/**
 * Passing a lesson's quiz completes it;
 * the pass that completes the course opens the certificate moment instead of the result.
 */
async function readAndPass(page: Page, courseId: string, lesson: { id: string; file: string }) {
  await page.goto(`/courses/${courseId}/${lesson.id}`);
  await page.getByRole("link", { name: /^(Làm bài kiểm tra|Làm lại bài kiểm tra)$/ }).click();
  await answerQuiz(page, readQuiz(courseId, lesson.file).questions);
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await page.waitForURL(
    new RegExp(`/courses/${courseId}/(${lesson.id}/quiz/\\d+|certificate\\?attempt=\\d+)$`),
  );
  await expect(page.getByText(/Chúc mừng/).first()).toBeVisible();
}

test("a resident finishes a course, gets its certificate as a PDF, and anyone can verify it by code and by the QR link", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await signIn(page, demo.resident);
  const lessons = lessonFiles(filing.id);
  for (const lesson of lessons) await readAndPass(page, filing.id, lesson);

  await page.goto("/learning");
  const course = page.locator(".progress-list li", { hasText: filing.title });
  await expect(course).toContainText(`Đã xong ${lessons.length}/${lessons.length} bài.`);
  await expect(course.getByText("Hoàn thành")).toBeVisible();
  await course.getByRole("link", { name: "Xem giấy chứng nhận" }).click();
  await expect(page.getByRole("heading", { name: "Giấy chứng nhận" })).toBeVisible();
  await expect(page.locator(".certificate-card")).toContainText(filing.title);
  await expectAccessible(page);
  const code = (await page.locator(".certificate-card strong").textContent())!.trim();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải bản PDF để in" }).click();
  const pdfPath = await (await download).path();
  const fs = await import("node:fs");
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe("%PDF-");

  const qrTarget = await page.getByRole("figure").getByRole("link").getAttribute("href");
  const holder = (await page.locator(".certificate-card__name").textContent())!.trim();

  // A stranger at the ward office checks it: by the QR link, and by typing the code.
  const context = await browser.newContext();
  const visitor = await context.newPage();
  await visitor.goto(new URL(qrTarget!).pathname);
  await expect(visitor.getByRole("status")).toHaveText("✔ Chứng nhận hợp lệ");
  await expect(visitor.getByText(holder)).toBeVisible();
  await expect(visitor.getByText(filing.title)).toBeVisible();
  await expectAccessible(visitor);
  await visitor.goto("/verify");
  await visitor.getByLabel("Mã chứng nhận").fill(code);
  await visitor.getByRole("button", { name: "Tra cứu" }).click();
  await expect(visitor.getByRole("status")).toHaveText("✔ Chứng nhận hợp lệ");
  await context.close();
});

test("a member helps the resident beside them through a lesson; the resident sees who helped", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // Who is the demo resident? Their own page says.
  const residentContext = await browser.newContext();
  const resident = await residentContext.newPage();
  await signIn(resident, demo.resident);
  const residentName = (await resident.locator(".site-header__who").textContent())!.split(" · ")[0]!.trim();

  await signIn(page, demo.member);
  await page.goto("/assist?q=AH-TDP01-001");
  await page.locator(".pick-list__button", { hasText: residentName }).click();
  await expect(page.locator(".assist-banner")).toContainText(`Đang học cùng ${residentName}`);
  const lesson = lessonFiles("an-toan-thong-tin").find((l) => l.id === "mat-khau-va-xac-thuc-hai-lop")!;
  await readAndPass(page, "an-toan-thong-tin", lesson);
  await expect(page.locator(".assist-banner")).toBeVisible();
  await page.locator(".assist-banner").getByRole("button", { name: "Kết thúc" }).click();
  await expect(page.locator(".assist-banner")).toHaveCount(0);
  const memberName = (await page.locator(".site-header__who").textContent())!.split(" · ")[0]!.trim();

  await resident.goto("/learning");
  const row = resident.locator("tbody tr", { hasText: "Mật khẩu" });
  await expect(row).toContainText(memberName);
  await expectAccessible(resident);
  await residentContext.close();
});

import type { Page } from "@playwright/test";
import { expect, expectAccessible, test } from "./fixtures";

test.use({ viewport: { width: 360, height: 740 } });

const lesson = "/courses/an-toan-thong-tin/kiem-tra-the-thanh-vien";

test("a lesson's pictures are drawn in the page at 360 px, each with its caption, and no JavaScript bundle", async ({
  page,
}) => {
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(r.url());
  });
  await page.goto(lesson);
  const phones = page.locator("figure.phone-screen");
  await expect(phones).toHaveCount(3);
  await expect(page.locator("figure.scene")).toHaveCount(1);
  // The one to press is outlined and numbered like its step; the caption says what the picture shows.
  await expect(phones.nth(2).locator(".phone__item--pressed")).toHaveText(/Kiểm tra\s*3/);
  await expect(phones.nth(2).locator("figcaption")).toHaveText(/nút Kiểm tra được đánh số 3/);
  // The drawing is hidden from screen readers; its caption is the text alternative.
  await expect(phones.first().locator(".phone")).toHaveAttribute("aria-hidden", "true");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBe(0);
  // No framework bundle: only the small read-aloud script.
  expect(scripts.filter((u) => !new URL(u).pathname.startsWith("/read-aloud.js"))).toEqual([]);
  await expectAccessible(page);
});

async function fakeVietnameseVoice(page: Page) {
  await page.addInitScript(() => {
    const spoken: string[] = [];
    (window as unknown as { __spoken: string[] }).__spoken = spoken;
    class Utterance {
      lang = "";
      voice: unknown = null;
      rate = 1;
      onend: (() => void) | null = null;
      constructor(public text: string) {}
    }
    Object.defineProperty(window, "SpeechSynthesisUtterance", { value: Utterance, configurable: true });
    Object.defineProperty(window, "speechSynthesis", {
      configurable: true,
      // Each sentence "ends" at once, so read-aloud goes on to the next one.
      value: {
        getVoices: () => [{ lang: "vi-VN", name: "Tiếng Việt" }],
        speak: (u: Utterance) => {
          spoken.push(u.text);
          setTimeout(() => u.onend?.(), 0);
        },
        cancel: () => {},
        pause: () => {},
        resume: () => {},
        addEventListener: () => {},
      },
    });
  });
}

test("“Đọc to bài này” reads a picture's caption, not the labels drawn on it", async ({ page }) => {
  await fakeVietnameseVoice(page);
  await page.goto(lesson);
  await page.getByRole("button", { name: "Đọc to bài này" }).click();
  const spokenText = () =>
    page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.join(" "));
  await expect
    .poll(spokenText)
    .toContain("Trang Kiểm tra thẻ thành viên: ô Mã trên thẻ và nút Kiểm tra được đánh số 3.");
  expect(await spokenText()).not.toContain("Mở trang kiểm tra thẻ");
  await expect(page.locator("figure.phone-screen .phone").first()).toBeVisible();
});

import { demo, expect, expectAccessible, signIn, test } from "./fixtures";

test("the office finds a certificate, downloads its PDF, revokes it, and public verification says so", async ({
  page,
  browser,
}) => {
  await signIn(page, demo.office);
  await page.goto("/office/certificates");
  const firstCode = (await page.locator("tbody tr td:first-child a").first().textContent())!.trim();
  expect(firstCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

  // The holder's page (the office may see it) has the QR link and the PDF.
  await page.goto(`/certificates/${firstCode}`);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải bản PDF để in" }).click();
  const pdf = await download;
  expect(pdf.suggestedFilename()).toBe(`chung-nhan-${firstCode}.pdf`);
  const qrLink = await page.getByRole("figure").getByRole("link").getAttribute("href");
  expect(qrLink).toMatch(new RegExp(`/verify/${firstCode}$`));

  // Anyone can verify: by typing the code (in lower case, without the dash) and by the QR link.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto("/verify");
  await visitor.getByLabel("Mã chứng nhận").fill(firstCode.toLowerCase().replace("-", " "));
  await visitor.getByRole("button", { name: "Tra cứu" }).click();
  await expect(visitor.getByRole("status")).toHaveText("✔ Chứng nhận hợp lệ");
  await expectAccessible(visitor);
  await visitor.goto(new URL(qrLink!).pathname);
  await expect(visitor.getByRole("status")).toHaveText("✔ Chứng nhận hợp lệ");

  await page.goto(`/office/certificates?q=${firstCode}`);
  await page.getByText("Thu hồi…").click();
  await page.getByRole("button", { name: `Thu hồi chứng nhận ${firstCode}` }).click();
  // The form stays open with the message beside the field.
  await expect(page.getByRole("alert")).toContainText("Hãy ghi lý do thu hồi");
  await page.getByLabel("Lý do thu hồi").fill("Cấp nhầm người, đã xác minh lại");
  await page.getByRole("button", { name: `Thu hồi chứng nhận ${firstCode}` }).click();
  await expect(page.getByRole("status").first()).toContainText(`Đã thu hồi chứng nhận ${firstCode}`);
  await expectAccessible(page);

  await visitor.goto(`/verify/${firstCode}`);
  await expect(visitor.getByRole("status")).toHaveText("✘ Chứng nhận đã bị thu hồi");
  // The office's reason is not for the public.
  await expect(visitor.getByText("Cấp nhầm người, đã xác minh lại")).toHaveCount(0);
  await visitorContext.close();
});

test("a mistyped code gets a clear message and keeps what was typed", async ({ page }) => {
  await page.goto("/verify");
  await page.getByLabel("Mã chứng nhận").fill("ABC-12");
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.getByRole("alert")).toContainText("Mã chứng nhận gồm 8 chữ và số");
  await expect(page.getByLabel("Mã chứng nhận")).toHaveValue("ABC-12");
  await expectAccessible(page);
  await page.goto("/verify/ZZZZ-ZZZZ");
  await expect(page.getByRole("heading", { name: "Không tìm thấy chứng nhận" })).toBeVisible();
});

test("the office sees which team members finished the first training round", async ({ page }) => {
  await signIn(page, demo.office);
  await page.goto("/office/training");
  await expect(page.getByRole("heading", { name: "Bồi dưỡng đợt đầu của thành viên Tổ" })).toBeVisible();
  // Every current member has a row, and the summary counts the same people (other tests may invite more).
  const rows = await page
    .getByRole("table", { name: "Tiến độ bồi dưỡng của từng thành viên Tổ" })
    .locator("tbody tr")
    .count();
  expect(rows).toBeGreaterThanOrEqual(56);
  await expect(page.getByText(new RegExp(`^\\d+/${rows}$`))).toBeVisible();
  await expect(page.getByText("Bài học được học cùng thành viên Tổ")).toBeVisible();
});

test.describe("on a phone without JavaScript", () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });

  test("a member picks the resident beside them, learns on their behalf, then stops", async ({ page }) => {
    await signIn(page, demo.member);
    await page.goto("/assist");
    await page.getByLabel("Tên, mã hộ hoặc địa chỉ").fill("AH-TDP01-002");
    await page.getByRole("button", { name: "Tìm" }).click();
    const first = page.locator(".pick-list__button").first();
    const name = (await first.locator(".pick-list__name").textContent())!.trim();
    await first.click();
    await expect(page.locator(".assist-banner")).toContainText(`Đang học cùng ${name}`);
    await expectAccessible(page);
    await page.locator(".assist-banner").getByRole("button", { name: "Kết thúc" }).click();
    await expect(page.locator(".assist-banner")).toHaveCount(0);
  });
});

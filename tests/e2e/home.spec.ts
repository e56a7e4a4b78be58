import { demo, expect, expectAccessible, signIn, test } from "./fixtures";

test("a visitor opens the home page and reads what the programme is", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Học kỹ năng số, dễ hiểu, từng bước");
  await expect(page.getByRole("heading", { name: "Phong trào “Bình dân học vụ số”" })).toBeVisible();
  // Demo data is there: the ward has hundreds of households.
  await expect(page.getByText("Hộ gia đình đã được Tổ đến hướng dẫn")).toBeVisible();
  await expect(page.locator(".stat-grid dd").first()).toContainText("/ 640");
});

test("pages arrive as clean UTF-8, with no stray NUL bytes between Vietnamese letters", async ({ request }) => {
  for (const path of ["/", "/login", "/khong-co-trang-nay"]) {
    const body = await (await request.get(path)).body();
    expect(body.includes(0), `NUL byte in ${path}`).toBe(false);
    expect(body.toString("utf8")).toContain("phường An Hải");
  }
});

test("the home page fits a 360 px phone without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const bodySize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(bodySize).toBeGreaterThanOrEqual(18);
});

test("an unknown address shows a friendly page in Vietnamese", async ({ page }) => {
  const response = await page.goto("/khong-co-trang-nay");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Không tìm thấy trang" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a team leader signs in and out with plain forms", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Số điện thoại hoặc email").fill("0905 000 101");
    await page.getByLabel("Mật khẩu").fill("sai mật khẩu");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("alert").first()).toContainText("không đúng");
    // What was typed is kept, except the password.
    await expect(page.getByLabel("Số điện thoại hoặc email")).toHaveValue("0905 000 101");
    await expect(page.getByLabel("Mật khẩu")).toHaveValue("");
    await expectAccessible(page);

    await signIn(page, demo.leader);
    await expect(page.getByText("Tổ trưởng Tổ CNSCĐ")).toBeVisible();
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  });
});

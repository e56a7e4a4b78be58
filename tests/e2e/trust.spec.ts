/**
 * Issue 10 in the browser: the Content-Security-Policy lets the site's own scripts run (the small
 * scripts of public/, Remix's scroll restoration) and nothing else; a disguised redirect after
 * signing in stays on the site; a thrown "not found" shows its own Vietnamese message.
 */
import { demo, expect, signIn, test } from "./fixtures";

test("every page runs its own scripts under the Content-Security-Policy, with no violation", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to (execute|load|apply)/i.test(message.text()))
      violations.push(message.text());
  });
  const response = await page.goto("/");
  const policy = response!.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-/);
  await page.getByRole("link", { name: "Khoá học" }).first().click();
  await expect(page).toHaveURL(/\/courses$/);
  // A lesson page ships its read-aloud script as a file of the site: it runs.
  await page.goto("/courses/nen-tang-so/danang-smart-city");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The practice page's script (public/practice.js) runs: a tap draws the next screen without a page load.
  await page.goto(
    "/courses/dich-vu-cong-truc-tuyen/vietqr-va-hoa-don-dien-tu/practice/kiem-tra-ten-nguoi-nhan",
  );
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
  await page.locator('button[name="chon"]').first().click();
  await expect(page).toHaveURL(/[?&](buoc|xong)=/);
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
  expect(violations).toEqual([]);
});

test("signing in from /login?redirectTo=%2F%09%2Fevil.example stays on HọcSố", async ({ page }) => {
  await page.goto("/login?redirectTo=%2F%09%2Fevil.example");
  await page.getByLabel("Số điện thoại hoặc email").fill(demo.resident);
  await page.getByLabel("Mật khẩu").fill("AnHai@2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
});

test("a ward id beyond the integer range shows “Không tìm thấy phường”, and the data download carries the headers", async ({
  page,
}) => {
  await signIn(page, demo.office);
  // The page as the server renders it (its accessibility is that of every error page, checked elsewhere).
  const response = await page.request.get("/office/wards/84905123456");
  expect(response.status()).toBe(404);
  const html = await response.text();
  expect(html).toMatch(/<h1 id="error-title">Không tìm thấy phường<\/h1>/);
  expect(html).not.toContain("hệ thống gặp sự cố");

  for (const path of [
    "/me/data.json",
    "/export.csv?table=ward-targets&ward=1",
    "/export.xlsx?table=ward-targets&ward=1",
  ]) {
    const file = await page.request.get(path);
    expect(file.status(), path).toBe(200);
    const headers = file.headers();
    expect(headers["content-security-policy"], path).toContain("default-src 'self'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("same-origin");
    expect(headers["permissions-policy"], path).toContain("camera=()");
  }
});

test("a form too large for its page gets a 413 page in Vietnamese", async ({ page }) => {
  const response = await page.request.post("/login", {
    headers: { Origin: new URL(test.info().project.use.baseURL!).origin },
    form: { identifier: demo.resident, password: "a".repeat(200_000) },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(413);
  expect(await response.text()).toContain("Dữ liệu gửi lên lớn quá");
});

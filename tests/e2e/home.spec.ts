import { offlineScriptGzip, routeJavaScript } from "../../scripts/route-js";
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

test("pages arrive as clean UTF-8, with no stray NUL bytes between Vietnamese letters", async ({
  request,
}) => {
  for (const path of ["/", "/login", "/khong-co-trang-nay"]) {
    const body = await (await request.get(path)).body();
    expect(body.includes(0), `NUL byte in ${path}`).toBe(false);
    expect(body.toString("utf8")).toContain("phường An Hải");
  }
});

test("the home page fits a 360 px phone without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  const bodySize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(bodySize).toBeGreaterThanOrEqual(18);
});

test("no page sends a phone more than 75 KB of JavaScript (gzip), a field worker's outbox script included", async ({
  request,
}) => {
  // From the build's manifest and each route's `handle` (scripts/route-js.ts)…
  const offline = offlineScriptGzip();
  expect(offline, "public/offline.js is built").not.toBeNull();
  const pages = routeJavaScript();
  expect(pages.length).toBeGreaterThan(40);
  const over = pages
    .map((r) => ({ route: r.route, kb: (r.gzip + (r.offlineStatus ? offline! : 0)) / 1024 }))
    .filter((r) => r.kb > 75);
  expect(over).toEqual([]);
  // …and in what the server really sends: no framework bundle, no hydration data.
  for (const path of ["/", "/login", "/signup", "/courses", "/privacy"]) {
    const html = await (await request.get(path)).text();
    expect(html, path).not.toMatch(/modulepreload|__remixContext|type="module"/);
  }
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

test.describe("on a 360 px phone without JavaScript", () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });

  test("a leader's header keeps to one row of links, and the rest open from “Thêm”", async ({ page }) => {
    await signIn(page, demo.leader);
    const nav = page.getByRole("navigation", { name: "Điều hướng chính" });
    await expect(nav.getByRole("link", { name: "Hộ của tôi" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Tổ của tôi" })).toBeHidden();
    const header = await page.locator(".site-header__inner").boundingBox();
    // The brand and one row of links: two rows of 48 px targets, not four.
    expect(header!.height).toBeLessThanOrEqual(120);

    await nav.getByText("Thêm").click();
    await expect(nav.getByRole("link", { name: "Tổ của tôi" })).toBeVisible();
    await expectAccessible(page);
    await nav.getByRole("link", { name: "Tổ của tôi" }).click();
    await expect(page).toHaveURL(/\/team$/);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    await nav.getByText("Thêm").click();
    await nav.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  });
});

/**
 * The browser tests' shared fixtures: every page a test visits is checked with axe-core
 * (no serious or critical violations), and `signIn` logs in through the real form.
 */
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "AnHai@2026";
export const demo = {
  admin: "admin@hocso.demo",
  office: "vanhoa@anhai.demo",
  leader: "0905000101",
  member: "0905000102",
  resident: "0905123456",
} as const;

const noScriptPages = new WeakSet<Page>();

export async function expectAccessible(page: Page): Promise<void> {
  const target = noScriptPages.has(page) ? await scriptedCopy(page) : page;
  try {
    const results = await new AxeBuilder({ page: target }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(
      serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      `accessibility problems on ${page.url()}`,
    ).toEqual([]);
  } finally {
    if (target !== page) await target.context().close();
  }
}

/**
 * axe runs as a script, which a page without JavaScript cannot; so it checks the very HTML
 * that page received, loaded into a scripted page with the same stylesheets.
 */
async function scriptedCopy(page: Page): Promise<Page> {
  // Without its scripts, as the no-JavaScript visitor had it.
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "").replace(/<link[^>]+rel="modulepreload"[^>]*>/gi, "");
  const context = await page.context().browser()!.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  const copy = await context.newPage();
  const base = `<base href="${new URL("/", page.url()).href}">`;
  await copy.setContent(html.replace(/<head>/i, `<head>${base}`), { waitUntil: "load" });
  return copy;
}

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Số điện thoại hoặc email").fill(login);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await expectAccessible(page);
}

/** Signs out from the header and waits until the page says so, so the next navigation is not overtaken by it. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Đăng xuất" }).first().click();
  await expect(page.getByRole("link", { name: "Đăng nhập" }).first()).toBeVisible();
}

export const test = base.extend<{ page: Page }>({
  page: async ({ page, javaScriptEnabled }, use) => {
    if (!javaScriptEnabled) noScriptPages.add(page);
    // Every navigation by goto is followed by an accessibility check.
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await expectAccessible(page);
      return response;
    };
    await use(page);
  },
});

export { expect };

/**
 * The browser tests' shared fixtures: every page a test visits is checked with axe-core
 * (no serious or critical violations), and `signIn` logs in through the real form.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test as base, expect, type Browser, type Page } from "@playwright/test";
import type axe from "axe-core";

export const DEMO_PASSWORD = "AnHai@2026";
export const demo = {
  admin: "admin@hocso.demo",
  office: "vanhoa@anhai.demo",
  leader: "0905000101",
  member: "0905000102",
  resident: "0905123456",
} as const;

const noScriptPages = new WeakSet<Page>();

/**
 * The markup structures axe has already passed in this run, by any worker. axe judges markup
 * (elements, attributes, styles), not which resident's name is in it, so a page whose structure (the
 * body without its text, digits folded) was already checked is not checked again: a test visiting
 * /courses for the tenth time costs nothing, while a page in a new state (an error shown, a section
 * opened, no JavaScript) is a new structure and is checked (a check takes up to 0.7 s here). The workers
 * share them as a file per structure in Playwright's output folder, which is emptied when a run starts.
 */
const passedDir = path.resolve("test-results", "axe-passed");
const passedFile = (structure: string) => path.join(passedDir, structure.replace(/\W+/g, "-"));

function recordPassed(structure: string): void {
  fs.mkdirSync(passedDir, { recursive: true });
  fs.writeFileSync(passedFile(structure), "");
}

async function structureOf(page: Page): Promise<string> {
  const skeleton = await page.evaluate(() => {
    const parts: string[] = [];
    // Scripts and preload links come and go as the router prefetches; axe does not judge them.
    const ignored = new Set(["SCRIPT", "LINK", "STYLE", "TEMPLATE", "META", "NOSCRIPT"]);
    const walk = (el: Element) => {
      if (ignored.has(el.tagName)) return;
      const attributes = Array.from(el.attributes)
        .filter(
          (a) => a.name !== "href" && a.name !== "value" && a.name !== "nonce" && !a.name.startsWith("data-"),
        )
        .map(
          (a) =>
            `${a.name}=${a.name === "class" || a.name === "role" || a.name.startsWith("aria-") || a.name === "type" ? a.value : a.value ? "·" : ""}`,
        );
      // Whether an element has text of its own matters (an empty link or button); what it says does not.
      const hasText = Array.from(el.childNodes).some(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== "",
      );
      parts.push(`<${el.tagName}${attributes.join(" ")}${hasText ? " #" : ""}>`);
      for (const child of Array.from(el.children)) walk(child);
      parts.push(`</${el.tagName}>`);
    };
    walk(document.body);
    return parts.join("").replace(/\d+/g, "0");
  });
  return `${noScriptPages.has(page) ? "noscript" : "script"} ${page.viewportSize()?.width ?? 0} ${createHash("sha1").update(skeleton).digest("hex")}`;
}

/**
 * axe-core itself, run in the page the way @axe-core/playwright's legacy mode runs it (one `axe.run` in
 * the top document), without that wrapper's costs: its default mode opens a blank page per check to
 * merge the frames' results, and its legacy mode injects axe twice. No page here has a frame. A check
 * took 0.5–1.6 s with the wrapper, 0.17–0.74 s this way.
 */
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** A page after axe's source has run in it. */
type AxeWindow = { axe: typeof axe };

async function axeViolations(page: Page): Promise<axe.AxeResults["violations"]> {
  await page.evaluate(axeSource);
  const options: axe.RunOptions = { resultTypes: ["violations"] };
  return page.evaluate(
    async (o) => (await (window as unknown as AxeWindow).axe.run(document, o)).violations,
    options,
  );
}

export async function expectAccessible(page: Page): Promise<void> {
  const structure = await structureOf(page);
  if (fs.existsSync(passedFile(structure))) return;
  const target = noScriptPages.has(page) ? await scriptedCopy(page) : page;
  const violations = await axeViolations(target);
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `accessibility problems on ${page.url()}`,
  ).toEqual([]);
  recordPassed(structure);
}

/** One scripted page per browser and viewport, reused by every check of a page without JavaScript. */
const copies = new WeakMap<Browser, Map<string, Promise<Page>>>();

/**
 * axe runs as a script, which a page without JavaScript cannot; so it checks the very HTML
 * that page received, loaded into a scripted page with the same stylesheets.
 */
async function scriptedCopy(page: Page): Promise<Page> {
  // Without its scripts, as the no-JavaScript visitor had it.
  const html = (await page.content())
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "")
    .replace(/<link[^>]+rel="modulepreload"[^>]*>/gi, "");
  const browser = page.context().browser()!;
  const viewport = page.viewportSize();
  const byViewport = copies.get(browser) ?? new Map<string, Promise<Page>>();
  copies.set(browser, byViewport);
  const key = `${viewport?.width}x${viewport?.height}`;
  if (!byViewport.has(key))
    byViewport.set(
      key,
      browser.newContext({ javaScriptEnabled: true, viewport }).then((context) => context.newPage()),
    );
  const copy = await byViewport.get(key)!;
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

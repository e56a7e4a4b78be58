/**
 * The browser tests' shared fixtures: every page a test visits is checked with axe-core
 * (no serious or critical violations), and `signIn` logs in through the real form.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
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
 * The markup structures axe has already passed, by any worker. axe judges markup (elements,
 * attributes, styles), not which resident's name is in it, so a page whose structure (the body
 * without its text, digits folded) was already checked is not checked again: a test visiting /courses
 * for the tenth time costs nothing, while a page in a new state (an error shown, a section opened, no
 * JavaScript) is a new structure and is checked. The workers share them as a file per structure, in a
 * folder named after what decides a result: the site's server build (its markup and the names of its
 * content-hashed stylesheets), axe's version and this file. So the second run of `.ci/run` (the same
 * build on PostgreSQL) and a second `npm test` of unchanged code check only structures not seen yet;
 * any change to the site, to axe or to these checks starts an empty folder (older ones are removed).
 */
const passedRoot = path.resolve("node_modules", ".cache", "hocso-checks", "axe-passed");
const passedDir = path.join(
  passedRoot,
  createHash("sha1")
    .update(fs.readFileSync(path.resolve("build", "index.js")))
    .update(createRequire(import.meta.url)("axe-core/package.json").version)
    .update(fs.readFileSync(fileURLToPath(import.meta.url)))
    .digest("hex")
    .slice(0, 16),
);
fs.mkdirSync(passedDir, { recursive: true });
for (const old of fs.readdirSync(passedRoot))
  if (old !== path.basename(passedDir))
    fs.rmSync(path.join(passedRoot, old), { recursive: true, force: true });
const passedFile = (structure: string) => path.join(passedDir, structure.replace(/\W+/g, "-"));

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
        .map((a) => {
          const shown =
            a.name === "class" || a.name === "role" || a.name.startsWith("aria-") || a.name === "type";
          return `${a.name}=${shown ? a.value : a.value ? "·" : ""}`;
        });
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
  const hash = createHash("sha1").update(skeleton).digest("hex");
  return `${noScriptPages.has(page) ? "noscript" : "script"} ${page.viewportSize()?.width ?? 0} ${hash}`;
}

/** axe-core's source, loaded once into each checking page. */
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** A page after axe's source has run in it. */
type AxeWindow = { axe: typeof axe };
type Impact = NonNullable<axe.ImpactValue>;
/** A rule as axe keeps it inside (`axe._audit.rules`): its impact, if it sets one, and its checks. */
interface AuditRule {
  id: string;
  impact?: Impact;
  any: (string | { id: string })[];
  all: (string | { id: string })[];
  none: (string | { id: string })[];
}

/**
 * Where axe runs: one page per browser, site and viewport, kept for the whole run with axe loaded in
 * it once. Each check writes into it the markup the visitor's page has at that moment (see `markupOf`)
 * and runs axe there, on the site's own origin and Content-Security-Policy (the page first opens one
 * of the site's pages, whose document the markup then replaces), with the visitor's cookies (so their
 * pictures load), the same stylesheets and the same viewport. Loading axe into every page checked took
 * 0.1–0.3 s, more than many checks, and a fresh page runs axe at half speed until its JIT warms up:
 * together, checks took twice as long in the visitor's own page. It is also how a page without
 * JavaScript can be checked at all: axe runs as a script.
 */
interface Checker {
  page: Promise<Page>;
  /** The check running in it, if any: one check at a time. */
  queue: Promise<unknown>;
}
const checkers = new WeakMap<Browser, Map<string, Checker>>();

function checkerFor(page: Page): Checker {
  const browser = page.context().browser()!;
  const viewport = page.viewportSize();
  const origin = new URL(page.url()).origin;
  const byKey = checkers.get(browser) ?? new Map<string, Checker>();
  checkers.set(browser, byKey);
  const key = `${origin} ${viewport?.width}x${viewport?.height}`;
  if (!byKey.has(key))
    byKey.set(key, {
      page: browser
        .newContext({ javaScriptEnabled: true, viewport, locale: "vi-VN" })
        .then((context) => context.newPage())
        .then(async (checker) => {
          await checker.goto(`${origin}/privacy`);
          await checker.evaluate(axeSource);
          return checker;
        }),
      queue: Promise.resolve(),
    });
  return byKey.get(key)!;
}

/**
 * The visitor's page as markup, as it stands: the DOM with whatever its scripts changed, form fields as
 * typed, ticked and chosen (written into their attributes, on a copy: the page itself is not touched),
 * a `<base>` for its own address, and no scripts.
 */
function markupOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const copy = document.documentElement.cloneNode(true) as HTMLElement;
    const fields = "input, textarea, option";
    const copies = copy.querySelectorAll(fields);
    document.documentElement.querySelectorAll(fields).forEach((field, i) => {
      const twin = copies[i]!;
      if (field instanceof HTMLInputElement) {
        if (field.type === "checkbox" || field.type === "radio")
          twin.toggleAttribute("checked", field.checked);
        else if (field.type !== "file") twin.setAttribute("value", field.value);
      } else if (field instanceof HTMLTextAreaElement) twin.textContent = field.value;
      else if (field instanceof HTMLOptionElement) twin.toggleAttribute("selected", field.selected);
    });
    copy.querySelectorAll('script, link[rel="modulepreload"]').forEach((el) => el.remove());
    const base = document.createElement("base");
    base.href = location.href;
    copy.querySelector("head")?.prepend(base);
    return `<!DOCTYPE html>${copy.outerHTML}`;
  });
}

async function axeViolations(page: Page): Promise<axe.AxeResults["violations"]> {
  const markup = await markupOf(page);
  const cookies = await page.context().cookies();
  const checker = checkerFor(page);
  const result = checker.queue.then(async () => {
    const target = await checker.page;
    await target.context().clearCookies();
    if (cookies.length > 0) await target.context().addCookies(cookies);
    await target.setContent(markup, { waitUntil: "load" });
    // Writing a document keeps the page's window and so axe; loaded again only if that ever changes.
    if (!(await target.evaluate(() => "axe" in window))) await target.evaluate(axeSource);
    return target.evaluate(async () => {
      const { axe } = window as unknown as AxeWindow & {
        axe: { _audit: { rules: AuditRule[]; data: { checks: Record<string, { impact?: Impact }> } } };
      };
      // Only serious and critical violations fail a test (expectAccessible), so a rule whose every
      // check is at most moderate (region, landmark-one-main, heading-order…) cannot change the
      // outcome: it is left out, which takes about a fifth off each run. axe's metadata says which.
      const rank: Record<Impact, number> = { minor: 1, moderate: 2, serious: 3, critical: 4 };
      const rules: axe.RunOptions["rules"] = {};
      for (const rule of axe._audit.rules) {
        const checks = [...rule.any, ...rule.all, ...rule.none].map((c) =>
          typeof c === "string" ? c : c.id,
        );
        const impacts = [rule.impact, ...checks.map((id) => axe._audit.data.checks[id]?.impact)].filter(
          (i): i is Impact => i !== undefined,
        );
        if (impacts.length > 0 && impacts.every((i) => rank[i] < rank.serious))
          rules[rule.id] = { enabled: false };
      }
      return (await axe.run(document, { resultTypes: ["violations"], rules })).violations;
    });
  });
  checker.queue = result.catch(() => undefined);
  return result;
}

export async function expectAccessible(page: Page): Promise<void> {
  const structure = await structureOf(page);
  if (fs.existsSync(passedFile(structure))) return;
  const violations = await axeViolations(page);
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `accessibility problems on ${page.url()}`,
  ).toEqual([]);
  fs.writeFileSync(passedFile(structure), "");
}

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Số điện thoại hoặc email").fill(login);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await expectAccessible(page);
}

/**
 * Signs out from the header and waits until the page says so, so the next navigation is not overtaken by it.
 */
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

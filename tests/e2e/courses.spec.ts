import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { demo, expect, expectAccessible, signIn, test, signOut } from "./fixtures";
import { answerQuiz, readQuiz } from "./quiz-helpers";

function allExplanations(): string[] {
  const root = "content/courses";
  return fs.readdirSync(root).flatMap((course) =>
    fs
      .readdirSync(path.join(root, course, "lessons"))
      .filter((f) => f.endsWith(".quiz.yaml"))
      .flatMap((f) => readQuiz(course, f.replace(/\.quiz\.yaml$/, "")).questions.map((q) => q.explanation)),
  );
}

async function takeLessonAndPassQuiz(
  page: Page,
  course: { id: string; title: string },
  lesson: { id: string; title: string; file: string },
) {
  await page.goto("/courses");
  await page.getByRole("link", { name: course.title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(course.title);
  await page
    .getByRole("link", { name: new RegExp(lesson.title) })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(lesson.title);
  await expect(page.getByText("Học xong bài này, bạn sẽ:")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Ghi nhớ" })).toBeVisible();
  await expectAccessible(page);

  // No separate "read" mark: the lesson's one primary action is its quiz, and passing completes it.
  await expect(page.locator(".button--primary")).toHaveCount(1);
  await page.getByRole("link", { name: "Làm bài kiểm tra", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bài kiểm tra: ${lesson.title}`);

  const { questions } = readQuiz(course.id, lesson.file);
  // Forgetting a question keeps every other answer and says which one is missing.
  await answerQuiz(page, questions, questions[0]!.id);
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Câu 1");
  await expectAccessible(page);
  await answerQuiz(page, questions);
  await page.getByRole("button", { name: "Nộp bài" }).click();

  await page.waitForURL(new RegExp(`/courses/${course.id}/${lesson.id}/quiz/\\d+$`));
  await expect(page.getByText("Chúc mừng! Bạn đã đạt.")).toBeVisible();
  await expect(page.getByText(`Bạn trả lời đúng ${questions.length}/${questions.length} câu`)).toBeVisible();
  for (const q of questions) await expect(page.getByText(q.explanation, { exact: true })).toBeVisible();
  await expectAccessible(page);

  await page.goto(`/courses/${course.id}`);
  await expect(page.locator(".lesson-list__item--done")).toContainText(lesson.title);
  await expect(page.locator(".lesson-list__item--done")).toContainText("đã hoàn thành");
}

const platforms = { id: "nen-tang-so", title: "Nền tảng số của thành phố và quốc gia" };
const safety = { id: "an-toan-thong-tin", title: "An toàn thông tin cơ bản trong cộng đồng" };

test("a resident reads a lesson and passes its quiz, which completes the lesson", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, demo.resident);
  await takeLessonAndPassQuiz(page, platforms, {
    id: "cai-dat-va-kich-hoat-vneid",
    title: "Cài đặt và kích hoạt VNeID",
    file: "04-cai-dat-va-kich-hoat-vneid",
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a resident reads a lesson and passes its quiz with plain forms", async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, demo.resident);
    await takeLessonAndPassQuiz(page, safety, {
      id: "nhan-dien-gia-danh",
      title: "Nhận diện kẻ gian giả danh",
      file: "01-nhan-dien-gia-danh",
    });
  });
});

test("a lesson page ships no JavaScript bundle (only the small read-aloud script) and anyone may read it", async ({
  page,
}) => {
  const response = await page.goto("/courses/nen-tang-so/danang-smart-city");
  expect(response?.status()).toBe(200);
  const html = await response!.text();
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  expect(scripts).toEqual([expect.stringMatching(/^\/read-aloud\.js\?v=[0-9a-f]{12}$/)]);
  expect(html).not.toContain("modulepreload");
  // No inline script but Remix's scroll restoration
  // (a Content-Security-Policy allows the site's own files).
  expect([...html.matchAll(/<script(?![^>]*src=)[^>]*>/g)].length).toBeLessThanOrEqual(1);
  await expect(page.getByRole("link", { name: "Đăng nhập" }).last()).toBeVisible();
  // Without the NUL bytes React 18 leaves where a Vietnamese letter straddles two of its chunks.
  expect(html).not.toContain("\u0000");
  expect(html).toContain("</html>");
});

test("taking a quiz asks a visitor to sign in first, then comes back to the quiz", async ({ page }) => {
  await page.goto("/courses/nen-tang-so/danang-smart-city/quiz");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fcourses%2Fnen-tang-so%2Fdanang-smart-city%2Fquiz/);
  await page.getByLabel("Số điện thoại hoặc email").fill(demo.resident);
  await page.getByLabel("Mật khẩu").fill("AnHai@2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/courses\/nen-tang-so\/danang-smart-city\/quiz$/);
  await expect(page.getByRole("button", { name: "Nộp bài" })).toBeVisible();
});

test("a members-only lesson is not there for a resident but is for a team member", async ({ page }) => {
  await signIn(page, demo.resident);
  const response = await page.goto("/courses/nen-tang-so/huong-dan-nguoi-dan");
  expect(response?.status()).toBe(404);
  await signOut(page);
  await signIn(page, demo.member);
  const ok = await page.goto("/courses/nen-tang-so/huong-dan-nguoi-dan");
  expect(ok?.status()).toBe(200);
  await expect(page.getByText("dành cho thành viên Tổ").first()).toBeVisible();
});

/** The text a learner's browser can read out of HTML or JavaScript: entities and string escapes undone. */
function readable(source: string): string {
  return source
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(["'\\/])/g, "$1")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .normalize("NFC");
}

/**
 * The modules the site serves to run a route in the browser, from the build's manifest: the entry,
 * the root and the route, with what they import. A page without a bundle never loads them, but
 * they are on the server for anyone to fetch.
 */
async function routeModules(request: APIRequestContext, pageUrl: string, routeId: string): Promise<string[]> {
  const manifestFile = fs.readdirSync("public/build").find((f) => /^manifest-.*\.js$/.test(f))!;
  const text = await (await request.get(new URL(`/build/${manifestFile}`, pageUrl).href)).text();
  const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as {
    entry: { module: string; imports?: string[] };
    routes: Record<string, { module: string; imports?: string[] }>;
  };
  return [manifest.entry, manifest.routes.root!, manifest.routes[routeId]!].flatMap((m) => [
    m.module,
    ...(m.imports ?? []),
  ]);
}

/** Every script the page references, and every module those import, fetched as the browser would. */
async function fetchAllScripts(
  request: APIRequestContext,
  pageUrl: string,
  html: string,
  alsoFetch: string[] = [],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  // A script tag's src, a module preload's href, or a module's import: group 1, 2 or 3.
  const references = new RegExp(
    [
      /<script[^>]+src="([^"]+)"/.source,
      /<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/.source,
      /import\s*\(?\s*["']([^"']+\.js)["']/.source,
    ].join("|"),
    "g",
  );
  const queue = [...[...html.matchAll(references)].map((m) => m[1] ?? m[2] ?? m[3]!), ...alsoFetch].map(
    (u) => new URL(u, pageUrl).href,
  );
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (found.has(url)) continue;
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
    const body = await response.text();
    found.set(url, body);
    for (const m of body.matchAll(/(?:from|import)\s*\(?\s*["'](\.{0,2}\/[^"']+\.js)["']/g))
      queue.push(new URL(m[1]!, url).href);
  }
  return found;
}

test("no correct answer reaches the learner before submitting: not in the quiz page, not in any of its JavaScript", async ({
  page,
}) => {
  await signIn(page, demo.resident);
  const quizUrl = new URL("/courses/nen-tang-so/cai-dat-va-kich-hoat-vneid/quiz", page.url()).href;
  const response = await page.request.get(quizUrl);
  expect(response.status()).toBe(200);
  const html = await response.text();
  // The quiz page ships no bundle, but its route's modules are on the server: they are searched too.
  const modules = await routeModules(page.request, quizUrl, "routes/courses.$course.$lesson.quiz._index");
  const scripts = await fetchAllScripts(page.request, quizUrl, html, modules);
  // Its JavaScript is really there to search.
  expect(scripts.size).toBeGreaterThan(3);
  const shipped = [readable(html), ...[...scripts.values()].map(readable)];

  const { questions } = readQuiz("nen-tang-so", "04-cai-dat-va-kich-hoat-vneid");
  // The search does find what is meant to be there (prompts), so not finding answers means something.
  for (const q of questions) expect(shipped[0]).toContain(q.prompt);
  for (const explanation of allExplanations()) {
    for (const text of shipped)
      expect(text.includes(explanation), `explanation leaked: ${explanation}`).toBe(false);
  }
  expect(shipped[0]).not.toMatch(/"answer"|"explanation"|"correct"/);
  // Order questions are shown shuffled, never in the right order; other answers have no marker.
  for (const q of questions.filter((q) => q.type === "order")) {
    const shownOrder = [...html.matchAll(new RegExp(`id="vi-tri-${q.id}-([^"]+)"`, "g"))].map((m) => m[1]);
    expect(shownOrder).toHaveLength(q.options!.length);
    expect(shownOrder).not.toEqual(q.answer);
  }
  expect(html).not.toMatch(/\bchecked\b/);
});

test("submitting the same quiz form twice (a double tap) records one attempt", async ({ page }) => {
  await signIn(page, demo.resident);
  const quizUrl = new URL("/courses/nen-tang-so/tong-dai-1022-va-zalo/quiz", page.url()).href;
  const html = await (await page.request.get(quizUrl)).text();
  const key = /name="submissionKey" value="([^"]+)"/.exec(html)![1]!;
  const { questions } = readQuiz("nen-tang-so", "03-tong-dai-1022-va-zalo");
  const form = new URLSearchParams({ submissionKey: key });
  for (const q of questions) {
    if (q.type === "order")
      (q.answer as string[]).forEach((id, i) => form.append(`q:${q.id}:${id}`, String(i + 1)));
    else if (Array.isArray(q.answer)) q.answer.forEach((id) => form.append(`q:${q.id}`, id));
    else form.append(`q:${q.id}`, String(q.answer));
  }
  const post = () =>
    page.request.post(`${quizUrl}?index`, {
      data: form.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(quizUrl).origin },
      maxRedirects: 0,
    });
  const [first, second] = [await post(), await post()];
  expect(first.status()).toBe(302);
  expect(second.headers().location).toBe(first.headers().location);
  await page.goto(first.headers().location!);
  await expect(page.getByText("Chúc mừng! Bạn đã đạt.")).toBeVisible();
  await page.goto("/courses/nen-tang-so/tong-dai-1022-va-zalo/quiz");
  await expect(page.getByText("Bạn đã làm 1 lần.")).toBeVisible();
});

/**
 * A stand-in for the browser's speech synthesis with the given voices, recording what it is asked
 * to say; an utterance ends when the test calls `__finish()` (or at once with `instant`).
 */
async function fakeSpeech(page: Page, voices: { lang: string; name: string }[], instant = false) {
  await page.addInitScript(
    ([voiceList, endAtOnce]) => {
      type U = {
        text: string;
        lang: string;
        voice: { name: string } | null;
        rate: number;
        onend: (() => void) | null;
      };
      const spoken: { text: string; lang: string; voice: string | null; rate: number }[] = [];
      let last: U | null = null;
      const w = window as unknown as { __spoken: typeof spoken; __finish: () => void };
      w.__spoken = spoken;
      w.__finish = () => last?.onend?.();
      class Utterance {
        lang = "";
        voice: { name: string } | null = null;
        rate = 1;
        onend: (() => void) | null = null;
        constructor(public text: string) {}
      }
      Object.defineProperty(window, "SpeechSynthesisUtterance", { value: Utterance, configurable: true });
      Object.defineProperty(window, "speechSynthesis", {
        configurable: true,
        value: {
          getVoices: () => voiceList,
          speak: (u: U) => {
            spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name ?? null, rate: u.rate });
            last = u;
            if (endAtOnce) setTimeout(() => u.onend?.(), 0);
          },
          cancel: () => {},
          addEventListener: () => {},
        },
      });
    },
    [voices, instant] as const,
  );
}

type Spoken = { text: string; lang: string; voice: string | null; rate: number }[];
const spokenOn = (page: Page) => page.evaluate(() => (window as unknown as { __spoken: Spoken }).__spoken);

test("“Đọc to bài này” reads the whole lesson sentence by sentence with a Vietnamese voice", async ({
  page,
}) => {
  await fakeSpeech(
    page,
    [
      { lang: "en-US", name: "English" },
      { lang: "vi-VN", name: "Tiếng Việt" },
    ],
    true,
  );
  await page.goto("/courses/nen-tang-so/danang-smart-city");
  await page.getByRole("button", { name: "Đọc to bài này" }).click();
  await expect(page.getByRole("button", { name: "Đọc to bài này" })).toBeVisible();
  const spoken = await spokenOn(page);
  expect(spoken.length).toBeGreaterThan(5);
  expect(spoken.every((s) => s.lang === "vi-VN" && s.voice === "Tiếng Việt")).toBe(true);
  expect(spoken.map((s) => s.text)).toContain("Ghi nhớ");
  // The "Tiếp" links between sections are not read out.
  expect(spoken.some((s) => s.text.startsWith("Tiếp:"))).toBe(false);
});

test("read-aloud highlights the sentence being read, pauses and resumes there, and goes slower", async ({
  page,
}) => {
  await fakeSpeech(page, [{ lang: "vi-VN", name: "Tiếng Việt" }]);
  await page.goto("/courses/nen-tang-so/danang-smart-city");
  await page.getByRole("button", { name: "Đọc to bài này" }).click();
  await page.evaluate(() => (window as unknown as { __finish: () => void }).__finish());
  await page.evaluate(() => (window as unknown as { __finish: () => void }).__finish());
  let spoken = await spokenOn(page);
  expect(spoken).toHaveLength(3);
  const third = spoken[2]!.text;
  await expect(page.locator(".is-reading")).toHaveCount(1);
  expect((await page.locator(".is-reading").textContent())!).toContain(third);
  expect(await page.evaluate(() => CSS.highlights.has("read-aloud"))).toBe(true);

  await page.getByRole("button", { name: "Tạm dừng" }).click();
  await page.getByRole("button", { name: "Đọc tiếp" }).click();
  spoken = await spokenOn(page);
  expect(spoken.at(-1)!.text).toBe(third);
  await page.getByRole("button", { name: "Đọc chậm hơn" }).click();
  spoken = await spokenOn(page);
  expect(spoken.at(-1)).toMatchObject({ text: third });
  expect(spoken.at(-1)!.rate).toBeLessThan(spoken[0]!.rate);
  await page.getByRole("button", { name: "Dừng đọc" }).click();
  await expect(page.locator(".is-reading")).toHaveCount(0);
});

test("on a device with no Vietnamese voice, read-aloud says how to add one", async ({ page }) => {
  await fakeSpeech(page, [{ lang: "en-US", name: "English" }]);
  await page.goto("/courses/nen-tang-so/danang-smart-city");
  await page.getByRole("button", { name: "Đọc to bài này" }).click();
  await expect(page.getByText("Điện thoại chưa có giọng đọc tiếng Việt")).toBeVisible();
  await expect(page.getByText(/Google text-to-speech/)).toBeVisible();
  expect(await spokenOn(page)).toEqual([]);
  await expectAccessible(page);
});

test.describe("without JavaScript, no read-aloud", () => {
  test.use({ javaScriptEnabled: false });
  test("the lesson reads the same and the read-aloud button never shows", async ({ page }) => {
    await page.goto("/courses/nen-tang-so/danang-smart-city");
    await expect(page.getByRole("heading", { name: "Ghi nhớ" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Đọc to bài này" })).toBeHidden();
  });
});

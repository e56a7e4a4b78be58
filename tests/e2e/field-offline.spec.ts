import type { Page } from "@playwright/test";
import { demo, expect, signIn, test } from "./fixtures";

// A real 1×1 PNG, as a phone camera would send a photo.
const photo = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** Console errors and uncaught exceptions of a page (a failing script shows here). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** How many records wait in the phone's outbox (none when its store is not there, as after signing out). */
function outboxCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const req = indexedDB.open("hocso-offline");
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains("outbox")) return resolve(0);
          const count = db.transaction("outbox").objectStore("outbox").count();
          count.onsuccess = () => resolve(count.result);
        };
        req.onerror = () => resolve(0);
      }),
  );
}

/**
 * Opens the first household of the member's list (`search`: the list's filters) and loads it once more
 * through the service worker, so the phone keeps it for offline use. Its address, without the query.
 */
async function openKeptHousehold(page: Page, search: string): Promise<string> {
  await page.goto(`/field?${search}`);
  await page.locator(".household-card a").first().click();
  await page.waitForURL(/\/field\/households\/\d+/);
  await expect(page.getByRole("heading", { name: "Ghi nhận lần đến nhà" })).toBeVisible();
  const householdUrl = page.url().split("?")[0]!;
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.goto(householdUrl);
  return householdUrl;
}

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });
  // Many pages, each checked with axe, on a machine shared with other work.
  test.describe.configure({ timeout: 300_000 });

  test("every field page loads with no console errors", async ({ page: signInPage, context }) => {
    await signIn(signInPage, demo.leader);
    // A plain page of the same session: this test is about the console (axe runs in the other specs).
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto("/field?scope=group");
    const household = await page.locator(".household-card a").first().getAttribute("href");
    const pages = [
      "/field",
      "/field?scope=group",
      household!,
      "/field/households/new",
      "/field/badge",
      "/field/link",
      "/field/register",
      "/team",
    ];
    for (const path of pages) {
      await page.goto(path);
      // The outbox script (public/offline.js) has run once the outbox line shows
      // (it renders only in the browser).
      await expect(page.locator(".offline-status__count")).toBeVisible();
      expect(errors, `console errors on ${path}`).toEqual([]);
    }
    await page.goto(household!);
    const resident = await page.locator(".resident-card a.button").first().getAttribute("href");
    await page.goto(resident!);
    await expect(page.locator(".offline-status__count")).toBeVisible();
    await page.goto(household!);
    await expect(page.getByText("Tối đa 5 ảnh JPEG, PNG hoặc WebP")).toBeVisible();
    expect(errors).toEqual([]);
  });

  test("a record the server cannot apply stays on the phone with the reason; re-attached to a household of the group it is sent", async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await signIn(page, demo.member);
    await page.goto("/field?scope=group");
    const household = (await page.locator(".household-card a").first().getAttribute("href"))!;
    await page.goto(household);
    await expect(page.locator(".offline-status__count")).toHaveText("0 đang chờ gửi");
    const day = await page.getByLabel("Ngày đến").inputValue();
    const note = `Ghi chú gắn lại ${Date.now().toString(36)}`;
    // A visit kept on the phone for a household that is not (or no longer) in the member's group.
    await page.evaluate(
      async ({ day, note }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open("hocso-offline");
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const id = crypto.randomUUID();
        const store = db.transaction("outbox", "readwrite").objectStore("outbox");
        store.put({
          submissionId: id,
          householdId: 999_999_999,
          intent: "visit",
          summary: "Lần đến nhà hộ đã chuyển đi",
          fields: [
            ["intent", "visit"],
            ["visitedOn", day],
            ["topics", "vneid"],
            ["notes", note],
            ["submissionId", id],
          ],
          createdAt: Date.now(),
          status: "waiting",
        });
        await new Promise((resolve) => (store.transaction.oncomplete = resolve));
        window.dispatchEvent(new Event("hocso-outbox-changed"));
      },
      { day, note },
    );
    await expect(page.locator(".offline-status__count")).toHaveText("1 đang chờ gửi");
    await page.getByRole("button", { name: "Gửi ngay" }).click();
    const refused = page.locator(".offline-status__rejected");
    await expect(refused).toContainText("1 bản ghi không gửi được.");
    await expect(refused).toContainText("Lần đến nhà hộ đã chuyển đi");
    await expect(page.locator(".offline-status__count")).toHaveText("0 đang chờ gửi");

    // Re-attached to the household on screen: sent, and the page shows it without a reload.
    await refused.getByLabel("Gắn vào hộ").selectOption(household.split("/").pop()!);
    await refused.getByRole("button", { name: "Gắn và gửi lại" }).click();
    await expect(refused).toHaveCount(0);
    await expect(page.locator(".visit").filter({ hasText: note })).toHaveCount(1);
    expect(errors).toEqual([]);
  });

  test("a member records visits and ticks offline; each arrives exactly once when the network returns", async ({
    page,
    context,
  }) => {
    const errors = collectErrors(page);
    await signIn(page, demo.member);
    const householdUrl = await openKeptHousehold(page, "scope=group&notVisited=on");
    await expect(page.locator(".offline-status__count")).toHaveText("0 đang chờ gửi");
    const stamp = Date.now().toString(36);
    const historyBefore = await page.locator(".history li").count();

    await context.setOffline(true);
    await expect(page.getByText("Đang không có mạng.")).toBeVisible();

    for (const n of [1, 2, 3]) {
      await page.getByRole("checkbox", { name: "VNeID", exact: true }).check();
      await page.getByLabel("Ghi chú").fill(`Ghi chú ngoại tuyến ${n} ${stamp}`);
      if (n === 2)
        await page
          .getByLabel("Ảnh (không bắt buộc)")
          .setInputFiles({ name: "anh-nha.png", mimeType: "image/png", buffer: photo });
      await page.getByRole("button", { name: "Lưu lần đến nhà" }).click();
      await expect(page.locator(".offline-status__count")).toHaveText(`${n} đang chờ gửi`);
    }
    await expect(page.getByText("Chưa có mạng: đã lưu trên máy.")).toBeVisible();

    // Five ticks, saved in two goes.
    const unticked = page.locator('.resident-card input[type="checkbox"][name^="skills-"]:not(:checked)');
    const ticked: { name: string; value: string }[] = [];
    for (const [count, waiting] of [
      [3, 4],
      [2, 5],
    ] as const) {
      for (let i = 0; i < count; i++) {
        const first = unticked.first();
        const tick = {
          name: (await first.getAttribute("name"))!,
          value: (await first.getAttribute("value"))!,
        };
        ticked.push(tick);
        await page.locator(`input[name="${tick.name}"][value="${tick.value}"]`).check();
      }
      await page.getByRole("button", { name: "Lưu kỹ năng của cả hộ" }).first().click();
      await expect(page.locator(".offline-status__count")).toHaveText(`${waiting} đang chờ gửi`);
    }
    await expect(page.locator(".callout").filter({ hasText: "Đang chờ gửi cho hộ này (5)" })).toBeVisible();

    // The page itself opens without a network, from what the phone kept.
    await page.reload();
    await expect(page.getByRole("heading", { name: "Ghi nhận lần đến nhà" })).toBeVisible();
    await expect(page.locator(".offline-status__count")).toHaveText("5 đang chờ gửi");

    // Keep a copy of the queue to send it all again later.
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open("hocso-offline");
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const all = await new Promise<unknown[]>((resolve) => {
        const req = db.transaction("outbox").objectStore("outbox").getAll();
        req.onsuccess = () => resolve(req.result);
      });
      (window as unknown as { replay: unknown[] }).replay = all;
    });

    await context.setOffline(false);
    await expect(page.locator(".offline-status__count")).toHaveText("0 đang chờ gửi");
    await expect(page.getByText(/Đồng bộ lần cuối \d\d:\d\d/)).toBeVisible();

    // The service worker's Background Sync sends the queue too, a little later: wait until it has no
    // sync pending, so that its message ("sent, refresh") does not arrive at a page opened below.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
            sync: { getTags(): Promise<string[]> };
          };
          return (await registration.sync.getTags()).length;
        }),
      )
      .toBe(0);

    // The same queue sent again stores nothing new. It is put back and sent as when the network returns;
    // the page's own flush may still be running, and then sends it too. The count is read from the
    // phone's store, as the status line may already have moved on.
    const putBack = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open("hocso-offline");
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const store = db.transaction("outbox", "readwrite").objectStore("outbox");
      for (const record of (window as unknown as { replay: unknown[] }).replay) store.put(record);
      const count = store.count();
      await new Promise((resolve) => (store.transaction.oncomplete = resolve));
      window.dispatchEvent(new Event("hocso-outbox-changed"));
      window.dispatchEvent(new Event("online"));
      return count.result;
    });
    expect(putBack).toBe(5);
    // Sent again and gone from the phone's store before the page is left: the status line said "0"
    // already before the put-back, so it cannot tell. A page left while they were on their way would
    // send the rest when the household page opens, and refresh its content under the checks below.
    await expect.poll(() => outboxCount(page)).toBe(0);
    await expect(page.locator(".offline-status__count")).toHaveText("0 đang chờ gửi");

    await page.goto(householdUrl);
    for (const n of [1, 2, 3])
      await expect(
        page.locator(".visit").filter({ hasText: `Ghi chú ngoại tuyến ${n} ${stamp}` }),
      ).toHaveCount(1);
    const withPhoto = page.locator(".visit").filter({ hasText: `Ghi chú ngoại tuyến 2 ${stamp}` });
    await withPhoto.getByRole("img").scrollIntoViewIfNeeded();
    await expect
      .poll(() =>
        withPhoto.getByRole("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBe(1);
    for (const t of ticked)
      await expect(page.locator(`input[name="${t.name}"][value="${t.value}"]`)).toBeChecked();
    // Five ticks, five history records: none lost, none doubled.
    await expect(page.locator(".history li")).toHaveCount(historyBefore + 5);
    expect(errors).toEqual([]);

    // Signing out clears what the phone kept.
    // At 360 px the button sits in the header's "Thêm" menu.
    await page
      .locator('form[action="/logout"]')
      .first()
      .evaluate((form: HTMLFormElement) => form.requestSubmit());
    await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
    // The page after sign-out may register the service worker again, which keeps the icons and the
    // site's public scripts (nothing personal); no page the member opened and nothing waiting to
    // send may stay.
    const kept = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys())
          urls.push(new URL(request.url).pathname);
      }
      return urls.filter((path) => !/^\/(build\/|icons\/|manifest\.webmanifest|favicon\.svg)/.test(path));
    });
    expect(kept).toEqual([]);
    expect(await outboxCount(page)).toBe(0);
  });
  test("the outbox line does not push the page down; a kept page opened days later offline dates the visit that day", async ({
    page,
    context,
  }) => {
    const errors = collectErrors(page);
    await signIn(page, demo.member);
    await openKeptHousehold(page, "scope=group");
    const dateField = page.getByLabel("Ngày đến");
    const drawnOn = await dateField.inputValue();
    await expect(page.locator(".offline-status__count")).toBeVisible();
    // The outbox line fills in the room kept for it: nothing below it jumped down (no layout shift).
    const shifted = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let total = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) total += (entry as unknown as { value: number }).value;
          }).observe({ type: "layout-shift", buffered: true });
          setTimeout(() => resolve(total), 200);
        }),
    );
    expect(shifted).toBe(0);

    // Three days on, in an alley without signal: the page comes from what the phone kept.
    const later = new Date(Date.now() + 3 * 24 * 3600_000);
    const laterDay = new Date(later.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
    await context.setOffline(true);
    await page.clock.setFixedTime(later);
    await page.reload();
    await expect(page.getByText("Đang không có mạng.")).toBeVisible();
    await expect(dateField).toHaveValue(laterDay);
    await expect(dateField).toHaveAttribute("max", laterDay);
    expect(laterDay > drawnOn).toBe(true);
    await context.setOffline(false);
    expect(errors).toEqual([]);
  });
});

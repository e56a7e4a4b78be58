/**
 * What a field worker's phone keeps for later, on the page side: bundled into public/offline.js by
 * scripts/build-sw.mjs and loaded by app/root.tsx with `<script src defer>` on a field worker's
 * pages, which ship no React. It registers the service worker, sends the outbox when the network
 * returns (and on every page load), and fills the status line the root renders empty
 * (#offline-status): how many records wait and when the phone last synced. Records the server
 * could not apply stay listed with the reason, to discard or re-attach to another household.
 *
 * On a household page (the element with data-household-id) a form marked data-offline is kept in
 * the outbox instead of posted when there is no network, and the page lists what waits for that
 * household ([data-outbox-here]) and says it was kept ([data-offline-notice]). Without JavaScript
 * nothing of this runs and the forms post online, as on every page.
 */
import { formatDate, formatDateTime, vnDay } from "~/format";
import {
  deleteRecord,
  enqueueForm,
  flushOutbox,
  getMeta,
  listRecords,
  putRecord,
  randomId,
  SYNC_TAG,
  type OutboxRecord,
} from "~/offline/outbox";

/** Fired on this window when the outbox changed (tests and other code may fire it too). */
const CHANGED = "hocso-outbox-changed";

let records: OutboxRecord[] = [];
let lastSyncAt: number | null = null;
/** Nothing is shown until the outbox was read once (a phone without IndexedDB shows nothing). */
let ready = false;
let online = navigator.onLine !== false;

function announceChange(): void {
  window.dispatchEvent(new Event(CHANGED));
}

type Child = Node | string | null | false;

/** An element with its properties and children; text is always text, never parsed as HTML. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { role?: string } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const { role, ...rest } = props;
  const element = Object.assign(document.createElement(tag), rest);
  if (role) element.setAttribute("role", role);
  fill(element, ...children);
  return element;
}

function fill(element: Element, ...children: Child[]): void {
  element.textContent = "";
  for (const child of children) if (child) element.append(child);
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = h("button", { type: "button", className: "button button--small" }, label);
  b.addEventListener("click", onClick);
  return b;
}

async function read(): Promise<void> {
  try {
    const [list, synced] = await Promise.all([listRecords(), getMeta<number>("lastSyncAt")]);
    records = list;
    lastSyncAt = synced ?? null;
    ready = true;
  } catch {
    // No IndexedDB (a private window on some phones): nothing to show, nor the room kept for it.
    const box = document.getElementById("offline-status");
    if (box) box.hidden = true;
    return;
  }
  render();
}

async function askBackgroundSync(): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  const registration = (await navigator.serviceWorker.getRegistration()) as
    | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
    | undefined;
  // Background Sync (Chromium) sends the queue even after the page is closed; elsewhere the page does.
  await registration?.sync?.register(SYNC_TAG).catch(() => undefined);
}

/** Sends what waits (when there is a network), then shows what is left and what was sent. */
function send(): void {
  if (navigator.onLine === false) {
    announceChange();
    return;
  }
  void flushOutbox()
    .then((result) => {
      if (result.sent > 0) void refreshPage();
    })
    .catch(() => undefined)
    .finally(announceChange);
}

// ─── The status line ────────────────────────────────────────────────────────

let line: HTMLParagraphElement | null = null;
let rejectedBox: HTMLDivElement | null = null;
let rejectedShown = "";

function render(): void {
  if (!ready) return;
  renderStatus();
  renderHousehold();
}

function renderStatus(): void {
  const box = document.getElementById("offline-status");
  if (!box) return;
  box.className = `offline-status${online ? "" : " offline-status--offline"}`;
  // One live region, updated in place, so a screen reader hears each change.
  if (!line || !box.contains(line)) {
    line = h("p", { role: "status", className: "offline-status__line" });
    box.prepend(line);
  }
  const waiting = records.filter((r) => r.status === "waiting").length;
  fill(
    line,
    !online && h("strong", {}, "Đang không có mạng. "),
    h("span", { className: "offline-status__count" }, `${waiting} đang chờ gửi`),
    " · ",
    lastSyncAt ? `Đồng bộ lần cuối ${formatDateTime(new Date(lastSyncAt))}` : "Chưa đồng bộ lần nào",
    online && waiting > 0 && " ",
    online && waiting > 0 && button("Gửi ngay", send),
  );
  // The rejected list is drawn again only when it changes, so a half-chosen household stays chosen.
  const rejected = records.filter((r) => r.status === "rejected");
  const shown = rejected.map((r) => `${r.submissionId}:${r.householdId}`).join(",");
  if (shown !== rejectedShown || (rejectedBox && !box.contains(rejectedBox))) {
    rejectedShown = shown;
    rejectedBox?.remove();
    rejectedBox = rejected.length > 0 ? rejectedList(rejected) : null;
    if (rejectedBox) box.append(rejectedBox);
  }
  box.hidden = false;
}

function rejectedList(rejected: OutboxRecord[]): HTMLDivElement {
  return h(
    "div",
    { className: "offline-status__rejected", role: "alert" },
    h(
      "p",
      {},
      h("strong", {}, `${rejected.length} bản ghi không gửi được.`),
      " Hãy xem lý do, rồi bỏ đi hoặc gắn vào hộ khác.",
    ),
    h(
      "ul",
      { className: "plain-list" },
      ...rejected.map((r) =>
        h(
          "li",
          {},
          h("p", {}, `${r.summary} (${formatDateTime(new Date(r.createdAt))}): ${r.reason ?? ""}`),
          h(
            "p",
            { className: "actions" },
            button("Bỏ bản ghi này", () => void deleteRecord(r.submissionId).finally(announceChange)),
            r.intent === "visit" || r.intent === "resident" ? reattachForm(r) : null,
          ),
        ),
      ),
    ),
  );
}

interface HouseholdChoice {
  id: number;
  code: string;
  address: string;
}
let householdChoices: Promise<HouseholdChoice[]> | null = null;

/** "Gắn vào hộ …": another household of the member's group, to send a rejected record to. */
function reattachForm(record: OutboxRecord): HTMLSpanElement {
  const span = h("span", { className: "inline-actions" });
  householdChoices ??= fetch("/field/sync", { headers: { Accept: "application/json" } })
    .then((r) => r.json() as Promise<{ households: HouseholdChoice[] }>)
    .then((d) => d.households)
    .catch(() => {
      householdChoices = null; // Offline now: ask again next time.
      return [];
    });
  void householdChoices.then((all) => {
    const choices = all.filter((c) => c.id !== record.householdId);
    if (choices.length === 0) return;
    const id = `gan-${record.submissionId}`;
    const select = h(
      "select",
      { id },
      h("option", { value: "" }, "Chọn hộ…"),
      ...choices.map((c) => h("option", { value: String(c.id) }, `${c.code} – ${c.address}`)),
    );
    const go = button("Gắn và gửi lại", () => {
      void putRecord({
        ...record,
        householdId: Number(select.value),
        status: "waiting",
        reason: undefined,
      }).finally(send);
    });
    go.disabled = true;
    select.addEventListener("change", () => (go.disabled = !select.value));
    span.append(h("label", { htmlFor: id }, "Gắn vào hộ"), select, go);
  });
  return span;
}

// ─── The household page ─────────────────────────────────────────────────────

function householdPage(): HTMLElement | null {
  return document.querySelector<HTMLElement>("[data-household-id]");
}

function renderHousehold(): void {
  const page = householdPage();
  const box = page?.querySelector<HTMLElement>("[data-outbox-here]");
  if (!page || !box) return;
  const here = records.filter(
    (r) => r.householdId === Number(page.dataset.householdId) && r.status === "waiting",
  );
  box.hidden = here.length === 0;
  fill(
    box,
    h("p", {}, `Đang chờ gửi cho hộ này (${here.length}):`),
    h("ul", {}, ...here.map((r) => h("li", {}, r.summary))),
  );
}

/** What the member reads in the outbox list for a kept form. */
function summarize(form: FormData, address: string): string {
  const intent = form.get("intent");
  if (intent === "visit") {
    const photos = form.getAll("photos").filter((p) => typeof p !== "string" && p.size > 0).length;
    const day = String(form.get("visitedOn") ?? "");
    const dayText = day ? `, ngày ${formatDate(day)}` : "";
    const photosText = photos ? `, ${photos} ảnh` : "";
    return `Lần đến nhà ${address}${dayText}${photosText}`;
  }
  if (intent === "checklist") {
    const ticks = [...form.keys()].filter((k) => k.startsWith("skills-")).length;
    return `Kỹ năng của hộ ${address}: ${ticks} ô đánh dấu`;
  }
  if (intent === "followup") return `Hỏi lại ở hộ ${address}`;
  return `Người mới ${String(form.get("fullName") ?? "")} ở ${address}`;
}

function notice(text: string): void {
  const p = householdPage()?.querySelector<HTMLElement>("[data-offline-notice]");
  if (!p) return;
  p.textContent = text;
  p.hidden = false;
}

/** With no network, a household form goes to the outbox instead of the server. */
function keepOffline(event: SubmitEvent): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline")) return;
  const page = form.closest<HTMLElement>("[data-household-id]");
  if (!page || navigator.onLine !== false || event.defaultPrevented) return;
  event.preventDefault();
  const data = new FormData(form);
  const submitter = event.submitter;
  if (submitter instanceof HTMLButtonElement && submitter.name) data.set(submitter.name, submitter.value);
  void enqueueForm({
    form: data,
    householdId: Number(page.dataset.householdId),
    summary: summarize(data, page.dataset.householdAddress ?? ""),
  })
    .then(() => {
      // A fresh id for the next record written on this same page.
      const input = form.querySelector<HTMLInputElement>('input[name="submissionId"]');
      if (input) input.value = randomId();
      // The ticks stay as ticked, now the state the phone keeps; other forms start empty again.
      if (data.get("intent") === "checklist") keepAsDefault(form);
      else form.reset();
      notice("Chưa có mạng: đã lưu trên máy. HọcSố sẽ tự gửi khi có mạng trở lại.");
      announceChange();
      void askBackgroundSync();
    })
    .catch(() => notice("Không lưu được trên máy này. Hãy thử lại khi có mạng."));
}

function keepAsDefault(form: HTMLFormElement): void {
  for (const element of Array.from(form.elements))
    if (element instanceof HTMLInputElement) element.defaultChecked = element.checked;
}

// ─── Showing what was sent ──────────────────────────────────────────────────

/** Whether the member has typed or ticked something not yet saved, or the page shows a form's errors. */
function edited(main: HTMLElement): boolean {
  if (main.querySelector('[aria-invalid="true"], .form-error')) return true;
  for (const form of Array.from(main.querySelectorAll("form"))) {
    for (const el of Array.from(form.elements)) {
      if (el instanceof HTMLInputElement) {
        if (el.type === "hidden") continue;
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked !== el.defaultChecked) return true;
        } else if (el.type === "file") {
          if (el.files && el.files.length > 0) return true;
        } else if (el.value !== el.defaultValue) return true;
      } else if (el instanceof HTMLTextAreaElement) {
        if (el.value !== el.defaultValue) return true;
      } else if (el instanceof HTMLSelectElement) {
        const chosen = Array.from(el.options).findIndex((o) => o.defaultSelected);
        if (el.selectedIndex !== Math.max(chosen, el.multiple ? -1 : 0)) return true;
      }
    }
  }
  return false;
}

let refreshing = false;

/**
 * After records were sent, the page shows them: its content is loaded again and replaced in place
 * (the status line stays), unless the member is in the middle of a form, whose words come first.
 */
async function refreshPage(): Promise<void> {
  const main = document.getElementById("noi-dung");
  if (!main || refreshing || edited(main)) return;
  refreshing = true;
  try {
    const response = await fetch(location.href, { headers: { Accept: "text/html" } });
    if (!response.ok || response.redirected) return;
    const fresh = new DOMParser()
      .parseFromString(await response.text(), "text/html")
      .getElementById("noi-dung");
    if (!fresh || edited(main)) return;
    fresh.querySelector("#offline-status")?.remove();
    const status = document.getElementById("offline-status");
    main.replaceChildren(...(status ? [status] : []), ...Array.from(fresh.childNodes));
    render();
  } catch {
    // The network went again: the page stays as it was.
  } finally {
    refreshing = false;
  }
}

/**
 * A page the phone kept may be opened days later without a network: a date field that ended at the
 * day the server drew it (`max`, its default) then ends at the phone's own day in Việt Nam, and one
 * still at that default shows that day, so a visit is not recorded on the day the page was saved.
 */
function bringDatesToToday(): void {
  const today = vnDay(new Date());
  for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('input[type="date"][max]'))) {
    if (!input.max || input.max >= today) continue;
    if (input.defaultValue === input.max) input.defaultValue = today;
    input.max = today;
  }
}

// ─── Start ──────────────────────────────────────────────────────────────────

bringDatesToToday();

window.addEventListener(CHANGED, () => void read());
window.addEventListener("online", () => {
  online = true;
  render();
  send();
});
window.addEventListener("offline", () => {
  online = false;
  render();
});
// A page shown again from the back-forward cache: the outbox may have changed meanwhile.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) void read().then(send);
});
document.addEventListener("submit", keepOffline);
// Signing out clears the phone (Clear-Site-Data), the outbox included: say so first.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const waiting = records.filter((r) => r.status === "waiting").length;
    if (!(form instanceof HTMLFormElement) || !form.action.endsWith("/logout") || waiting === 0) return;
    const leave = window.confirm(
      `Còn ${waiting} bản ghi chưa gửi. Đăng xuất sẽ xoá chúng khỏi máy này. Vẫn đăng xuất?`,
    );
    if (!leave) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
if ("serviceWorker" in navigator) {
  // Registered once the page has loaded, as web.dev's service-worker registration guide advises: the
  // first install starts a worker thread, fetches and caches files, and on a 2-core phone that would
  // compete with this page's own first paint (Lighthouse's trace: 51 ms of the worker's thread).
  const register = () => void navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
  navigator.serviceWorker.addEventListener("message", (event: MessageEvent) => {
    const message = event.data as { type?: string; sent?: number } | null;
    if (message?.type !== "hocso-synced") return;
    announceChange();
    if ((message.sent ?? 0) > 0) void refreshPage();
  });
}
void read();
send();

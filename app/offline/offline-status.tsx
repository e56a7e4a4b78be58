/**
 * What a field worker's phone keeps for later: registers the service worker, sends the outbox
 * when the network returns (and on every page load), and always shows how many records wait and
 * when the phone last synced. Records the server could not apply stay listed with the reason,
 * to discard or re-attach to another household. Renders nothing until it has read the outbox in
 * the browser, so the server's HTML and the first render agree.
 */
import { useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { formatDateTime } from "~/format";
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

const CHANGED = "hocso-outbox-changed";

function announceChange() {
  window.dispatchEvent(new Event(CHANGED));
}

async function askBackgroundSync() {
  if (!("serviceWorker" in navigator)) return;
  const registration = (await navigator.serviceWorker.getRegistration()) as
    (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
  // Background Sync (Chromium) sends the queue even after the page is closed; elsewhere the page does.
  await registration?.sync?.register(SYNC_TAG).catch(() => undefined);
}

/** The outbox as the page shows it, kept current across components and tabs of this page. */
export function useOutbox(): { records: OutboxRecord[]; lastSyncAt: number | null; ready: boolean } {
  const [state, setState] = useState<{ records: OutboxRecord[]; lastSyncAt: number | null; ready: boolean }>({
    records: [],
    lastSyncAt: null,
    ready: false,
  });
  useEffect(() => {
    let live = true;
    const read = () =>
      Promise.all([listRecords(), getMeta<number>("lastSyncAt")])
        .then(
          ([records, lastSyncAt]) =>
            live && setState({ records, lastSyncAt: lastSyncAt ?? null, ready: true }),
        )
        .catch(() => undefined);
    void read();
    window.addEventListener(CHANGED, read);
    return () => {
      live = false;
      window.removeEventListener(CHANGED, read);
    };
  }, []);
  return state;
}

/**
 * For a household page form: with no network, keeps the form in the outbox instead of posting
 * it, and tells the member so. Returns the submit handler and the message to show.
 */
export function useOfflineSubmit(householdId: number, summarize: (form: FormData) => string) {
  const [notice, setNotice] = useState<string | null>(null);
  const onSubmit = useCallback(
    (event: FormEvent<HTMLFormElement>) => {
      if (navigator.onLine !== false) return;
      event.preventDefault();
      const element = event.currentTarget;
      const data = new FormData(element);
      const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
      if (submitter?.name) data.set(submitter.name, submitter.value);
      void enqueueForm({ form: data, householdId, summary: summarize(data) })
        .then(() => {
          // A fresh id for the next record written on this same page.
          const input = element.querySelector<HTMLInputElement>('input[name="submissionId"]');
          if (input) input.value = randomId();
          if (data.get("intent") !== "checklist") element.reset();
          setNotice("Chưa có mạng: đã lưu trên máy. HọcSố sẽ tự gửi khi có mạng trở lại.");
          announceChange();
          void askBackgroundSync();
        })
        .catch(() => setNotice("Không lưu được trên máy này. Hãy thử lại khi có mạng."));
    },
    [householdId, summarize],
  );
  return { onSubmit, notice };
}

function ReattachForm({ record }: { record: OutboxRecord }) {
  const [choices, setChoices] = useState<{ id: number; code: string; address: string }[] | null>(null);
  const [chosen, setChosen] = useState("");
  useEffect(() => {
    fetch("/field/sync", { headers: { Accept: "application/json" } })
      .then((r) => r.json() as Promise<{ households: { id: number; code: string; address: string }[] }>)
      .then((d) => setChoices(d.households.filter((h) => h.id !== record.householdId)))
      .catch(() => setChoices([]));
  }, [record.householdId]);
  if (!choices || choices.length === 0) return null;
  const id = `gan-${record.submissionId}`;
  return (
    <span className="inline-actions">
      <label htmlFor={id}>Gắn vào hộ</label>
      <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
        <option value="">Chọn hộ…</option>
        {choices.map((h) => (
          <option key={h.id} value={h.id}>
            {h.code} – {h.address}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        disabled={!chosen}
        onClick={() =>
          void putRecord({ ...record, householdId: Number(chosen), status: "waiting", reason: undefined })
            .then(() => flushOutbox())
            .finally(announceChange)
        }
      >
        Gắn và gửi lại
      </button>
    </span>
  );
}

/** The bar every field worker sees at the top of the page. */
export function OfflineStatus() {
  const { records, lastSyncAt, ready } = useOutbox();
  const [online, setOnline] = useState(true);
  const revalidator = useRevalidator();
  const waitingRef = useRef(0);

  const send = useCallback(() => {
    if (navigator.onLine === false) return;
    void flushOutbox()
      .then((result) => {
        if (result.sent > 0) revalidator.revalidate();
      })
      .finally(announceChange);
  }, [revalidator]);

  useEffect(() => {
    setOnline(navigator.onLine !== false);
    if ("serviceWorker" in navigator) {
      void navigator.serviceWorker.register("/sw.js").catch(() => undefined);
      navigator.serviceWorker.addEventListener("message", (event: MessageEvent) => {
        if ((event.data as { type?: string } | null)?.type === "hocso-synced") {
          announceChange();
          revalidator.revalidate();
        }
      });
    }
    const goOnline = () => {
      setOnline(true);
      send();
    };
    const goOffline = () => setOnline(false);
    // Without a network Remix cannot fetch the next page's data: load the whole page instead,
    // which the service worker answers from what this phone opened before.
    const fullLoadOffline = (event: MouseEvent) => {
      if (navigator.onLine !== false || event.defaultPrevented || event.button !== 0) return;
      const link = (event.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!link || link.origin !== location.origin || link.target || link.hasAttribute("download")) return;
      event.preventDefault();
      location.assign(link.href);
    };
    // Signing out clears the phone (Clear-Site-Data), the outbox included: say so first.
    const beforeSignOut = (event: SubmitEvent) => {
      const form = event.target as HTMLFormElement;
      if (!form.action.endsWith("/logout") || waitingRef.current === 0) return;
      const leave = window.confirm(
        `Còn ${waitingRef.current} bản ghi chưa gửi. Đăng xuất sẽ xoá chúng khỏi máy này. Vẫn đăng xuất?`,
      );
      if (!leave) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    };
    document.addEventListener("submit", beforeSignOut, true);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    document.addEventListener("click", fullLoadOffline, true);
    send();
    return () => {
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
      document.removeEventListener("click", fullLoadOffline, true);
      document.removeEventListener("submit", beforeSignOut, true);
    };
    // Once per page load; `send` only changes identity with the revalidator.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const waiting = records.filter((r) => r.status === "waiting");
  waitingRef.current = waiting.length;
  if (!ready) return null;
  const rejected = records.filter((r) => r.status === "rejected");
  return (
    <div className={`offline-status${online ? "" : " offline-status--offline"}`}>
      <p role="status" className="offline-status__line">
        {online ? null : <strong>Đang không có mạng. </strong>}
        <span className="offline-status__count">{waiting.length} đang chờ gửi</span>
        {" · "}
        {lastSyncAt ? `Đồng bộ lần cuối ${formatDateTime(new Date(lastSyncAt))}` : "Chưa đồng bộ lần nào"}
        {online && waiting.length > 0 ? (
          <>
            {" "}
            <button type="button" className="button button--small" onClick={send}>
              Gửi ngay
            </button>
          </>
        ) : null}
      </p>
      {rejected.length > 0 ? (
        <div className="offline-status__rejected" role="alert">
          <p>
            <strong>{rejected.length} bản ghi không gửi được.</strong> Hãy xem lý do, rồi bỏ đi hoặc gắn vào
            hộ khác.
          </p>
          <ul className="plain-list">
            {rejected.map((r) => (
              <li key={r.submissionId}>
                <p>
                  {r.summary} ({formatDateTime(new Date(r.createdAt))}): {r.reason}
                </p>
                <p className="actions">
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => void deleteRecord(r.submissionId).finally(announceChange)}
                  >
                    Bỏ bản ghi này
                  </button>
                  {r.intent === "visit" || r.intent === "resident" ? <ReattachForm record={r} /> : null}
                </p>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

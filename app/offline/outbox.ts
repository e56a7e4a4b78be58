/**
 * The phone's outbox: field records written without a network, kept in IndexedDB with their
 * submission ids until /field/sync accepts them. Plain IndexedDB (no library: this runs on a
 * cheap phone and in the service worker). Used by the page (app/offline/page.ts) and
 * by the service worker's Background Sync handler (app/offline/sw-outbox.ts), so either may send;
 * the submission ids make a record sent twice count once.
 */

export const SYNC_TAG = "hocso-outbox";
const DB_NAME = "hocso-offline";
const OUTBOX = "outbox";
const META = "meta";

/** A form field: text, or a photo kept as a Blob with its file name. */
export type StoredField = [name: string, value: string] | [name: string, value: Blob, fileName: string];

export interface OutboxRecord {
  submissionId: string;
  householdId: number;
  intent: string;
  /** What the member reads in the list: "Lần đến nhà 12 Kiệt 45 …, 2 ảnh". */
  summary: string;
  fields: StoredField[];
  createdAt: number;
  status: "waiting" | "rejected";
  /** Why the server could not apply it (Vietnamese), for a rejected record. */
  reason?: string;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

let opening: Promise<IDBDatabase> | null = null;
function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(OUTBOX, { keyPath: "submissionId" });
      req.result.createObjectStore(META);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await open()).transaction(name, mode).objectStore(name);
}

export async function listRecords(): Promise<OutboxRecord[]> {
  const all = await request((await store(OUTBOX, "readonly")).getAll() as IDBRequest<OutboxRecord[]>);
  return all.sort((a, b) => a.createdAt - b.createdAt);
}

export async function putRecord(record: OutboxRecord): Promise<void> {
  await request((await store(OUTBOX, "readwrite")).put(record));
}

export async function deleteRecord(submissionId: string): Promise<void> {
  await request((await store(OUTBOX, "readwrite")).delete(submissionId));
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return request((await store(META, "readonly")).get(key) as IDBRequest<T | undefined>);
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await request((await store(META, "readwrite")).put(value, key));
}

export function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

/**
 * Keeps a submitted form. The form's own submission id is kept, unless this phone already used it
 * (a page opened from the cache shows the id it had when it was saved): then a new one is made,
 * so a second visit recorded from the same cached page is not taken for a repeat of the first.
 */
export async function enqueueForm({
  form,
  householdId,
  summary,
}: {
  form: FormData;
  householdId: number;
  summary: string;
}): Promise<OutboxRecord> {
  const used = (await getMeta<string[]>("usedIds")) ?? [];
  const given = String(form.get("submissionId") ?? "");
  const submissionId = given && !used.includes(given) ? given : randomId();
  const fields: StoredField[] = [];
  for (const [name, value] of form.entries()) {
    if (name === "submissionId") continue;
    if (typeof value === "string") fields.push([name, value]);
    else if (value.size > 0) fields.push([name, value.slice(0, value.size, value.type), value.name]);
  }
  fields.push(["submissionId", submissionId]);
  const record: OutboxRecord = {
    submissionId,
    householdId,
    intent: String(form.get("intent") ?? ""),
    summary,
    fields,
    createdAt: Date.now(),
    status: "waiting",
  };
  await putRecord(record);
  await setMeta("usedIds", [...used.slice(-200), submissionId]);
  return record;
}

export interface FlushResult {
  sent: number;
  rejected: number;
  /** false when the network failed part way: what is left stays waiting. */
  complete: boolean;
}

let flushing: Promise<FlushResult> | null = null;

/**
 * Sends every waiting record, oldest first, one request each. Safe to call from many places at once:
 * a call while a flush runs joins it, and that flush also sends what was queued while it ran.
 */
export function flushOutbox(): Promise<FlushResult> {
  flushing ??= sendAll().finally(() => {
    flushing = null;
  });
  return flushing;
}

/**
 * Sends one record to /field/sync. "sent" and "rejected" take it out of the waiting ones; "offline"
 * (no network) and "later" (signed out, or the server in trouble) leave everything as it is.
 */
async function sendRecord(record: OutboxRecord): Promise<"sent" | "rejected" | "offline" | "later"> {
  const body = new FormData();
  body.append("householdId", String(record.householdId));
  for (const [name, value, fileName] of record.fields) {
    if (typeof value === "string") body.append(name, value);
    else body.append(name, value, fileName);
  }
  let response: Response;
  try {
    response = await fetch("/field/sync", {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  } catch {
    return "offline";
  }
  if (response.status === 401 || response.status === 403 || response.status >= 500 || response.redirected)
    return "later";
  const answer = (await response.json().catch(() => null)) as { status?: string; reason?: string } | null;
  if (answer?.status === "saved") {
    await deleteRecord(record.submissionId);
    return "sent";
  }
  await putRecord({
    ...record,
    status: "rejected",
    reason: answer?.reason ?? "Máy chủ không nhận bản ghi này.",
  });
  return "rejected";
}

/** At most this many passes: each record tried leaves "waiting" or ends the flush, so two are the rule. */
const MAX_PASSES = 5;

async function sendAll(): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, rejected: 0, complete: true };
  let contacted = false;
  for (let pass = 0; pass < MAX_PASSES && result.complete; pass++) {
    // Read again after each pass: a record queued (or put back) meanwhile is sent by this flush, not
    // left waiting for the next one.
    const waiting = (await listRecords()).filter((record) => record.status === "waiting");
    if (waiting.length === 0) break;
    for (const record of waiting) {
      const outcome = await sendRecord(record);
      if (outcome !== "offline") contacted = true;
      if (outcome === "sent") result.sent++;
      else if (outcome === "rejected") result.rejected++;
      else {
        result.complete = false;
        break;
      }
    }
  }
  if (contacted) await setMeta("lastSyncAt", Date.now());
  return result;
}

/**
 * Part of the service worker (./sw.ts, built into public/sw.js by scripts/build-sw.mjs): Background
 * Sync sends the outbox even when no HọcSố page is open, then tells open pages to refresh.
 */
import { flushOutbox, SYNC_TAG } from "./outbox";

interface SyncEvent extends Event {
  tag: string;
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerScope {
  addEventListener(type: "sync", listener: (event: SyncEvent) => void): void;
  clients: { matchAll(options: { type: "window" }): Promise<{ postMessage(message: unknown): void }[]> };
}

/** Called once by the service worker (./sw.ts). */
export function sendOutboxOnSync(): void {
  const worker = self as unknown as WorkerScope;
  worker.addEventListener("sync", (event) => {
    if (event.tag !== SYNC_TAG) return;
    event.waitUntil(
      flushOutbox().then(async (result) => {
        for (const client of await worker.clients.matchAll({ type: "window" }))
          client.postMessage({ type: "hocso-synced", ...result });
        // A rejected promise asks the browser to try the sync again later.
        if (!result.complete) throw new Error("network");
      }),
    );
  });
}

/**
 * Mail goes through a stored outbox. `enqueueMail` writes the message in the caller's own
 * transaction, so a message exists exactly when the change that causes it was committed.
 * `deliverDueMail` claims due rows with FOR UPDATE SKIP LOCKED (two instances never send the
 * same message), sends them through the Resend SDK when RESEND_API_KEY is set, and retries a
 * failure later with exponential backoff; after MAX_ATTEMPTS the row is marked failed.
 * Without a key nothing is sent: the messages stay readable at /dev/outbox.
 */
import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { Resend } from "resend";
import { getDb, type DbOrTx } from "@db/client.server";
import { mailOutbox } from "@db/schema";
import { env } from "~/env.server";
import { logError } from "~/server/logging.mjs";
import { mailFailures, mailSent } from "~/metrics.server";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** verify_email, reset_password, invitation, certificate, … */
  kind: string;
}

export async function enqueueMail(tx: DbOrTx, mail: OutgoingMail): Promise<number> {
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      toAddress: mail.to.trim().toLowerCase(),
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? null,
      kind: mail.kind,
    })
    .returning({ id: mailOutbox.id });
  return row!.id;
}

export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 6 * 60 * 60 * 1000;
/** A claimed row is not offered again for this long, so a crash mid-send only delays it. */
const CLAIM_LEASE_MS = 5 * 60 * 1000;

/** Wait before the next try after `attempts` failed tries: 30 s, 1 min, 2 min, … capped at 6 h. */
export function backoffDelayMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
}

export interface DeliveryOptions {
  /** Defaults to RESEND_API_KEY. Without a key nothing is sent. */
  apiKey?: string;
  /** Defaults to RESEND_BASE_URL, else the SDK's own default. */
  baseUrl?: string;
  from?: string;
  /** At most this many messages per run. */
  limit?: number;
  /**
   * When aborted (the server is shutting down), the message being sent is finished and the rest are released.
   */
  signal?: AbortSignal;
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

interface Claimed {
  id: number;
  toAddress: string;
  subject: string;
  text: string;
  html: string | null;
  attempts: number;
}

async function claimDue(limit: number): Promise<Claimed[]> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, new Date())))
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(mailOutbox)
      .set({
        attempts: sql`${mailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(Date.now() + CLAIM_LEASE_MS),
      })
      .where(
        inArray(
          mailOutbox.id,
          due.map((d) => d.id),
        ),
      )
      .returning({
        id: mailOutbox.id,
        toAddress: mailOutbox.toAddress,
        subject: mailOutbox.subject,
        text: mailOutbox.text,
        html: mailOutbox.html,
        attempts: mailOutbox.attempts,
      });
  });
}

/** Gives claimed but unsent rows back at once (attempt not counted), so another instance sends them now. */
async function releaseClaims(ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const db = await getDb();
  await db
    .update(mailOutbox)
    .set({ attempts: sql`${mailOutbox.attempts} - 1`, nextAttemptAt: new Date() })
    .where(and(inArray(mailOutbox.id, ids), eq(mailOutbox.status, "pending")));
}

/** Sends what is due. Safe to call from several instances at once. */
export async function deliverDueMail(options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  const apiKey = options.apiKey ?? env.RESEND_API_KEY;
  if (!apiKey) return result;
  const resend = new Resend(apiKey, { baseUrl: options.baseUrl ?? env.RESEND_BASE_URL });
  const from = options.from ?? env.MAIL_FROM;
  const db = await getDb();
  const claimed = await claimDue(options.limit ?? 20);
  for (const [index, mail] of claimed.entries()) {
    if (options.signal?.aborted) {
      await releaseClaims(claimed.slice(index).map((m) => m.id));
      break;
    }
    let error: string | null = null;
    let providerId: string | null = null;
    try {
      const response = await resend.emails.send(
        {
          from,
          to: [mail.toAddress],
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
        },
        // The provider drops a repeat of the same key, so a retry after a lost answer never sends twice.
        { idempotencyKey: `hocso-mail-${mail.id}` },
      );
      if (response.error) error = `${response.error.name}: ${response.error.message}`;
      else providerId = response.data?.id ?? null;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (!error) {
      await db
        .update(mailOutbox)
        .set({ status: "sent", sentAt: new Date(), providerMessageId: providerId, lastError: null })
        .where(eq(mailOutbox.id, mail.id));
      result.sent++;
      mailSent.inc();
    } else if (mail.attempts >= MAX_ATTEMPTS) {
      await db
        .update(mailOutbox)
        .set({ status: "failed", lastError: error.slice(0, 500) })
        .where(eq(mailOutbox.id, mail.id));
      result.failed++;
      mailFailures.inc({ outcome: "failed" });
    } else {
      await db
        .update(mailOutbox)
        .set({
          nextAttemptAt: new Date(Date.now() + backoffDelayMs(mail.attempts)),
          lastError: error.slice(0, 500),
        })
        .where(eq(mailOutbox.id, mail.id));
      result.retried++;
      mailFailures.inc({ outcome: "retried" });
    }
  }
  return result;
}

let worker: ReturnType<typeof setInterval> | undefined;
let running: Promise<void> | undefined;
let stopping: AbortController | undefined;

/** Runs deliverDueMail every `intervalMs`; the timer never keeps the process alive. */
export function startMailWorker(intervalMs = 15_000): void {
  if (worker || !env.RESEND_API_KEY) return;
  stopping = new AbortController();
  const signal = stopping.signal;
  worker = setInterval(() => {
    if (running) return;
    running = deliverDueMail({ signal })
      .then(() => undefined)
      .catch((error: unknown) => logError("mail worker failed", error))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  worker.unref();
}

/** Stops the worker; resolves once a run in progress has sent its current message and released the rest. */
export async function stopMailWorker(): Promise<void> {
  if (worker) clearInterval(worker);
  worker = undefined;
  stopping?.abort();
  stopping = undefined;
  await running;
}

/** /dev/outbox is for development: 404 in production unless DEV_OUTBOX=1 (the browser tests' server). */
export function outboxPageEnabled(settings: Pick<typeof env, "NODE_ENV" | "DEV_OUTBOX"> = env): boolean {
  return settings.NODE_ENV !== "production" || settings.DEV_OUTBOX === "1";
}

/** The development outbox page: the latest messages, newest first. */
export async function listOutbox(limit = 50) {
  const db = await getDb();
  return db
    .select({
      id: mailOutbox.id,
      toAddress: mailOutbox.toAddress,
      subject: mailOutbox.subject,
      text: mailOutbox.text,
      kind: mailOutbox.kind,
      status: mailOutbox.status,
      attempts: mailOutbox.attempts,
      lastError: mailOutbox.lastError,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .orderBy(desc(mailOutbox.id))
    .limit(limit);
}

/**
 * The address mail links and QR codes point at: PUBLIC_URL, else the address the server was started
 * at (LOCAL_URL, else localhost on its port). Never the request's own Host header: a forged one
 * would mail a reset link to another site. (`request` stays in the signature for the callers.)
 */
export function siteUrl(_request: Request | null): string {
  return (env.PUBLIC_URL ?? env.LOCAL_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

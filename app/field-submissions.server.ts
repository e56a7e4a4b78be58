/**
 * Submission ids: what makes a field create safe to repeat. Every create form carries one (the
 * server renders a fresh id into each form; the phone's offline queue keeps it, or makes a new
 * one for a record written on a page loaded from the cache). The first transaction to insert the
 * id into `field_submissions` does the work and stores what it produced; a repeat, even one
 * running at the same moment, waits on the primary key, finds that row and returns the same
 * result without storing anything new. No check-then-insert: the database decides.
 */
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@db/client.server";
import { fieldSubmissions, memberSyncs } from "@db/schema";

export type SubmissionKind = (typeof fieldSubmissions.$inferSelect)["kind"];

/** A fresh id for one rendered form. */
export function newSubmissionId(): string {
  return randomUUID();
}

/** Ids are made by us or by a phone's crypto.randomUUID(); anything else is refused. */
export function isSubmissionId(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9-]{16,64}$/.test(value);
}

export class SubmissionMismatch extends Error {
  constructor() {
    super("Mã gửi của biểu mẫu không hợp lệ. Hãy tải lại trang rồi gửi lại.");
    this.name = "SubmissionMismatch";
  }
}

/**
 * Claims `id` inside the caller's transaction. Returns null when this is the first time (the
 * caller goes on and then calls `completeSubmission`), or the first submission's result.
 */
export async function claimSubmission(
  tx: DbOrTx,
  {
    id,
    userId,
    kind,
    queued = false,
  }: { id: string; userId: number; kind: SubmissionKind; queued?: boolean },
): Promise<Record<string, unknown> | null> {
  const inserted = await tx
    .insert(fieldSubmissions)
    .values({ id, userId, kind, queued })
    .onConflictDoNothing()
    .returning({ id: fieldSubmissions.id });
  if (inserted.length > 0) return null;
  const [prior] = await tx
    .select({ userId: fieldSubmissions.userId, kind: fieldSubmissions.kind, result: fieldSubmissions.result })
    .from(fieldSubmissions)
    .where(eq(fieldSubmissions.id, id));
  if (!prior || prior.userId !== userId || prior.kind !== kind) throw new SubmissionMismatch();
  return prior.result;
}

export async function completeSubmission(
  tx: DbOrTx,
  id: string,
  result: Record<string, unknown>,
): Promise<void> {
  await tx.update(fieldSubmissions).set({ result }).where(eq(fieldSubmissions.id, id));
}

/**
 * The first result of a submission already stored, if any (read before work that cannot wait on the claim).
 */
export async function findSubmission(id: string, userId: number): Promise<Record<string, unknown> | null> {
  const db = await getDb();
  const [row] = await db
    .select({ userId: fieldSubmissions.userId, result: fieldSubmissions.result })
    .from(fieldSubmissions)
    .where(eq(fieldSubmissions.id, id));
  if (!row) return null;
  if (row.userId !== userId) throw new SubmissionMismatch();
  return row.result;
}

/** A phone sent (part of) its offline queue: the leader's team page shows when. */
export async function recordMemberSync(userId: number, at = new Date()): Promise<void> {
  const db = await getDb();
  await db
    .insert(memberSyncs)
    .values({ userId, lastSyncedAt: at })
    .onConflictDoUpdate({
      target: memberSyncs.userId,
      set: { lastSyncedAt: sql`greatest(${memberSyncs.lastSyncedAt}, excluded.last_synced_at)` },
    });
}

export async function lastSyncs(userIds: number[]): Promise<Map<number, Date>> {
  if (userIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select({ userId: memberSyncs.userId, at: memberSyncs.lastSyncedAt })
    .from(memberSyncs)
    .where(inArray(memberSyncs.userId, userIds));
  return new Map(rows.map((r) => [r.userId, r.at]));
}

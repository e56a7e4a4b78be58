/**
 * Failed sign-in, reset and code attempts are counted in the database (rate_limits), per account
 * and per network address, so the limits hold across every app instance. A fixed one-hour
 * window; the first few failures cost nothing, then each one makes the caller wait longer
 * (doubling, capped), and at the hourly ceiling (OWASP ASVS: at most 100 failures an hour per
 * account) the key stays blocked until the window ends.
 */
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { getDb, queryRows } from "@db/client.server";
import { rateLimits } from "@db/schema";
import { formatTime } from "~/format";

export interface RateLimitPolicy {
  /** Failures allowed before any waiting. */
  free: number;
  /** The wait after the first failure past `free`; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** At this many failures in the window, blocked until the window ends. */
  maxPerWindow: number;
  windowMs: number;
}

const HOUR = 60 * 60 * 1000;

export const accountPolicy: RateLimitPolicy = {
  free: 5,
  baseDelayMs: 60_000,
  maxDelayMs: 15 * 60_000,
  maxPerWindow: 100,
  windowMs: HOUR,
};
/** One address may be a whole family or an office behind one router: more room, same shape. */
export const addressPolicy: RateLimitPolicy = {
  free: 20,
  baseDelayMs: 60_000,
  maxDelayMs: 15 * 60_000,
  maxPerWindow: 300,
  windowMs: HOUR,
};

export interface LimitState {
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

/** The wait imposed right after the `failures`-th failure of a window. */
export function delayAfterFailures(failures: number, policy: RateLimitPolicy): number {
  if (failures <= policy.free) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - policy.free - 1));
}

/** The state after one more failure at `now`. */
export function afterFailure(state: LimitState | null, now: Date, policy: RateLimitPolicy): LimitState {
  const fresh = !state || now.getTime() - state.windowStartedAt.getTime() >= policy.windowMs;
  const windowStartedAt = fresh ? now : state!.windowStartedAt;
  const failures = fresh ? 1 : state!.failures + 1;
  let blockedUntil: Date | null = null;
  if (failures >= policy.maxPerWindow) blockedUntil = new Date(windowStartedAt.getTime() + policy.windowMs);
  else {
    const delay = delayAfterFailures(failures, policy);
    if (delay > 0) blockedUntil = new Date(now.getTime() + delay);
  }
  return { failures, windowStartedAt, blockedUntil };
}

/** When the caller may try again, or null when they may now. */
export function blockedUntil(state: LimitState | null, now: Date): Date | null {
  if (!state?.blockedUntil || state.blockedUntil.getTime() <= now.getTime()) return null;
  return state.blockedUntil;
}

export interface LimitKey {
  key: string;
  policy: RateLimitPolicy;
}

/** Keys for one kind of attempt ("login", "reset", "code") on one account from one address. */
export function attemptKeys(kind: string, account: string | null, address: string | null): LimitKey[] {
  const keys: LimitKey[] = [];
  if (account) keys.push({ key: `${kind}:account:${account}`, policy: accountPolicy });
  if (address) keys.push({ key: `${kind}:address:${address}`, policy: addressPolicy });
  return keys;
}

/** The latest moment any of the keys is blocked until, or null when the attempt may go ahead. */
export async function checkRateLimit(keys: LimitKey[], now = new Date()): Promise<Date | null> {
  if (keys.length === 0) return null;
  const db = await getDb();
  const rows = await db
    .select({
      failures: rateLimits.failures,
      windowStartedAt: rateLimits.windowStartedAt,
      blockedUntil: rateLimits.blockedUntil,
    })
    .from(rateLimits)
    .where(
      inArray(
        rateLimits.key,
        keys.map((k) => k.key),
      ),
    );
  let latest: Date | null = null;
  for (const row of rows) {
    const until = blockedUntil(row, now);
    if (until && (!latest || until > latest)) latest = until;
  }
  return latest;
}

/** Counts one failure against every key; returns when the caller may try again (null: now). */
export async function recordFailure(keys: LimitKey[], now = new Date()): Promise<Date | null> {
  const db = await getDb();
  let latest: Date | null = null;
  for (const { key, policy } of keys) {
    const next = await db.transaction(async (tx) => {
      await tx.insert(rateLimits).values({ key, failures: 0, windowStartedAt: now }).onConflictDoNothing();
      const [row] = await tx
        .select({
          failures: rateLimits.failures,
          windowStartedAt: rateLimits.windowStartedAt,
          blockedUntil: rateLimits.blockedUntil,
        })
        .from(rateLimits)
        .where(eq(rateLimits.key, key))
        .for("update");
      const state = afterFailure(row && row.failures > 0 ? row : null, now, policy);
      await tx.update(rateLimits).set(state).where(eq(rateLimits.key, key));
      return state;
    });
    const until = blockedUntil(next, now);
    if (until && (!latest || until > latest)) latest = until;
  }
  return latest;
}

export type Claim = { ok: true; waitAfter: Date | null } | { ok: false; until: Date };

/**
 * Counts an attempt BEFORE it is checked, in one statement per key (INSERT … ON CONFLICT DO UPDATE
 * … WHERE not blocked … RETURNING), so parallel guesses cannot all pass a check made before any of
 * them was counted, on one instance or many. Refused (`ok: false`) when a key is blocked now;
 * otherwise `waitAfter` is when the next attempt may come if this one fails. A success gives the
 * attempt back (`refundAttempt`).
 */
export async function claimAttempt(keys: LimitKey[], now = new Date()): Promise<Claim> {
  const db = await getDb();
  let waitAfter: Date | null = null;
  let refusedUntil: Date | null = null;
  for (const { key, policy } of keys) {
    const at = sql`${now.toISOString()}::timestamptz`;
    const expired = sql`r.window_started_at <= ${at} - ${policy.windowMs}::float8 * interval '1 millisecond'`;
    const count = sql`(case when ${expired} then 1 else r.failures + 1 end)`;
    const started = sql`(case when ${expired} then ${at} else r.window_started_at end)`;
    const rows = await queryRows<{ blocked_until: string | Date | null }>(
      db,
      sql`insert into ${rateLimits} as r (key, failures, window_started_at, blocked_until)
          values (${key}, 1, ${at}, null)
          on conflict (key) do update set
            failures = ${count},
            window_started_at = ${started},
            blocked_until = case
              when ${count} >= ${policy.maxPerWindow}
                then ${started} + ${policy.windowMs}::float8 * interval '1 millisecond'
              when ${count} > ${policy.free}
                then ${at} + least(
                  ${policy.maxDelayMs}::float8,
                  ${policy.baseDelayMs}::float8 * power(2, ${count} - ${policy.free} - 1)
                ) * interval '1 millisecond'
              else null end
          where r.blocked_until is null or r.blocked_until <= ${at} or ${expired}
          returning blocked_until`,
    );
    if (rows.length === 0) {
      const [row] = await db
        .select({ blockedUntil: rateLimits.blockedUntil })
        .from(rateLimits)
        .where(eq(rateLimits.key, key));
      const until = row?.blockedUntil ?? new Date(now.getTime() + policy.baseDelayMs);
      if (!refusedUntil || until > refusedUntil) refusedUntil = until;
      continue;
    }
    const until = rows[0]!.blocked_until ? new Date(rows[0]!.blocked_until) : null;
    if (until && until > now && (!waitAfter || until > waitAfter)) waitAfter = until;
  }
  return refusedUntil ? { ok: false, until: refusedUntil } : { ok: true, waitAfter };
}

/** A claimed attempt that succeeded: the account forgets its failures; the address gets this attempt back. */
export async function refundAttempt(keys: LimitKey[]): Promise<void> {
  const db = await getDb();
  for (const { key } of keys) {
    if (key.includes(":account:")) await clearFailures(key);
    else
      await db
        .update(rateLimits)
        .set({ failures: sql`greatest(${rateLimits.failures} - 1, 0)` })
        .where(eq(rateLimits.key, key));
  }
}

/**
 * A success forgets the account's failures (never the address's: one good login must not unlock guessing).
 */
export async function clearFailures(key: string): Promise<void> {
  const db = await getDb();
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Old counters are only noise. */
export async function pruneRateLimits(now = new Date()): Promise<void> {
  const db = await getDb();
  await db
    .delete(rateLimits)
    .where(
      and(
        lt(rateLimits.windowStartedAt, new Date(now.getTime() - 2 * HOUR)),
        or(isNull(rateLimits.blockedUntil), lt(rateLimits.blockedUntil, now)),
      ),
    );
}

/**
 * The network address the request came from. server.mjs overwrites X-Real-IP with the address
 * Express trusts, so a client cannot pick its own (X-Forwarded-For alone would let it).
 */
export function clientAddress(request: Request): string | null {
  return request.headers.get("X-Real-IP") || null;
}

/** The address is this machine's own (a developer, or the browser tests' server). */
export function isLoopback(address: string | null): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

/** "Bạn đã thử sai nhiều lần. Hãy thử lại lúc 14:35." — the time in Việt Nam, rounded up to the minute. */
export function tryAgainMessage(until: Date): string {
  const rounded = new Date(Math.ceil(until.getTime() / 60_000) * 60_000);
  return `Bạn đã thử sai nhiều lần. Để bảo vệ tài khoản, hãy thử lại lúc ${formatTime(rounded)}.`;
}

/** The keys for one attempt of `kind` on `account`, from the request's address. */
export function requestKeys(kind: string, account: string | null, request: Request): LimitKey[] {
  return attemptKeys(kind, account, clientAddress(request));
}

/** The message to show when the attempt may not go ahead now, else null. */
export async function blockedMessage(keys: LimitKey[]): Promise<string | null> {
  const until = await checkRateLimit(keys);
  return until ? tryAgainMessage(until) : null;
}

/** Counts a failed attempt; the message to show when it now makes the caller wait, else null. */
export async function failureMessage(keys: LimitKey[]): Promise<string | null> {
  const until = await recordFailure(keys);
  return until ? tryAgainMessage(until) : null;
}

/** A success forgets the account's failures. */
export async function clearAccountFailures(keys: LimitKey[]): Promise<void> {
  for (const k of keys) if (k.key.includes(":account:")) await clearFailures(k.key);
}

/**
 * Single-use tokens for email verification, reset links, invitations and the reset codes a
 * leader or the office hands over in person. Only the SHA-256 of the secret is stored; using a
 * token is one UPDATE … WHERE used_at IS NULL, so it works exactly once even under a race.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx } from "@db/client.server";
import { userTokens } from "@db/schema";

export type TokenPurpose = (typeof userTokens.$inferSelect)["purpose"];

const HOUR = 60 * 60 * 1000;
export const TOKEN_LIFETIME: Record<TokenPurpose, number> = {
  verify_email: 48 * HOUR,
  reset_password: 1 * HOUR,
  reset_code: 72 * HOUR,
  invitation: 7 * 24 * HOUR,
};

/** No 0/O, 1/I/L: a code read aloud or copied from paper by an elderly resident. */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function generateLinkSecret(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** 8 characters from a 31-letter alphabet (~40 bits); guessing is held off by the rate limit. */
export function generateResetCode(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  let code = "";
  // 256 % 31 leaves a tiny bias; irrelevant next to the attempt limit.
  for (const b of bytes) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return code;
}

/** "K7PMQ2X9" → "K7PM-Q2X9", easier to read out. */
export function formatResetCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The stored id. Reset codes are short, so they are hashed together with the user id: two
 * users may then hold the same code, and a code only works for its own account.
 */
export function tokenId(purpose: TokenPurpose, secret: string, userId?: number): string {
  const input = purpose === "reset_code" ? `${userId}:${secret.toUpperCase()}` : secret;
  return encodeHexLowerCase(sha256(new TextEncoder().encode(input)));
}

/** Issues a token; earlier unused tokens of the same purpose for the user stop working. */
export async function issueToken(
  tx: DbOrTx,
  input: { userId: number; purpose: TokenPurpose; createdBy?: number | null; now?: Date },
): Promise<string> {
  const now = input.now ?? new Date();
  const secret = input.purpose === "reset_code" ? generateResetCode() : generateLinkSecret();
  await tx
    .update(userTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(userTokens.userId, input.userId),
        eq(userTokens.purpose, input.purpose),
        isNull(userTokens.usedAt),
      ),
    );
  await tx.insert(userTokens).values({
    id: tokenId(input.purpose, secret, input.userId),
    userId: input.userId,
    purpose: input.purpose,
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME[input.purpose]),
    createdBy: input.createdBy ?? null,
  });
  return secret;
}

/** Uses a token once; the user id it belonged to, or null (unknown, used or expired). */
export async function consumeToken(
  tx: DbOrTx,
  input: { purpose: TokenPurpose; secret: string; userId?: number; now?: Date },
): Promise<number | null> {
  const now = input.now ?? new Date();
  const [row] = await tx
    .update(userTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(userTokens.id, tokenId(input.purpose, input.secret, input.userId)),
        eq(userTokens.purpose, input.purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, now),
      ),
    )
    .returning({ userId: userTokens.userId });
  return row?.userId ?? null;
}

/** Whether a link token is still good, without using it (the form page shows before the POST). */
export async function peekToken(tx: DbOrTx, purpose: TokenPurpose, secret: string): Promise<number | null> {
  const [row] = await tx
    .select({ userId: userTokens.userId })
    .from(userTokens)
    .where(
      and(
        eq(userTokens.id, tokenId(purpose, secret)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, new Date()),
      ),
    );
  return row?.userId ?? null;
}

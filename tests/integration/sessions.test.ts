import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import { sessions } from "@db/schema";
import {
  createSession,
  generateSessionToken,
  invalidateUserSessions,
  sessionIdFromToken,
  validateSessionToken,
} from "~/session.server";
import { createUser } from "../support/factories";

describe("sessions", () => {
  it("stores only the hash of the token, never the token", async () => {
    const user = await createUser();
    const token = generateSessionToken();
    await createSession(token, user, "Mozilla/5.0 (Linux; Android 13) Chrome/120");
    const db = await getDb();
    const rows = await db
      .select({ id: sessions.id, userAgent: sessions.userAgent })
      .from(sessions)
      .where(eq(sessions.userId, user.id));
    expect(rows).toEqual([{ id: sessionIdFromToken(token), userAgent: "Chrome trên Android" }]);
    expect(rows[0]!.id).not.toContain(token);
    expect((await validateSessionToken(token))?.user.id).toBe(user.id);
  });

  it("keeps a resident signed in for 30 days and renews when half is spent", async () => {
    const user = await createUser({ role: "resident" });
    const token = generateSessionToken();
    const session = await createSession(token, user, null);
    const days = (session.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    const db = await getDb();
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() + 10 * 86_400_000) })
      .where(eq(sessions.id, session.id));
    const renewed = await validateSessionToken(token);
    expect((renewed!.session.expiresAt.getTime() - Date.now()) / 86_400_000).toBeGreaterThan(29.9);
  });

  it("ends an office session after 30 idle minutes", async () => {
    const user = await createUser({ role: "office" });
    const token = generateSessionToken();
    const session = await createSession(token, user, null);
    expect((session.expiresAt.getTime() - Date.now()) / 3_600_000).toBeLessThanOrEqual(12);
    const db = await getDb();
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(sessions.id, session.id));
    expect(await validateSessionToken(token)).toBeNull();
  });

  it("signs a user out of every device", async () => {
    const user = await createUser();
    const a = generateSessionToken();
    const b = generateSessionToken();
    await createSession(a, user, null);
    await createSession(b, user, null);
    await invalidateUserSessions(user.id);
    expect(await validateSessionToken(a)).toBeNull();
    expect(await validateSessionToken(b)).toBeNull();
  });
});

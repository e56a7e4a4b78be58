import { describe, expect, it } from "vitest";
import { fieldErrors, resetCodeSchema, signupSchema } from "~/forms/auth";
import {
  afterFailure,
  accountPolicy,
  addressPolicy,
  blockedUntil,
  delayAfterFailures,
  tryAgainMessage,
} from "~/rate-limit.server";
import { backoffDelayMs, MAX_ATTEMPTS, outboxPageEnabled } from "~/email.server";
import { formatResetCode, generateLinkSecret, generateResetCode, tokenId } from "~/tokens.server";
import { generateSessionToken, sessionIdFromToken } from "~/session.server";
import { parseIdentifier, safeRedirect } from "~/auth.server";

const signup = (over: Record<string, string> = {}) =>
  signupSchema.safeParse({
    displayName: "Nguyễn Thị Lan",
    identifier: "0905 123 456",
    password: "nha toi o Ngo Quyen",
    confirmPassword: "nha toi o Ngo Quyen",
    consent: "on",
    ...over,
  });

describe("password rules, in the words the form shows", () => {
  it("accepts a short sentence as a password", () => {
    expect(signup().success).toBe(true);
  });

  it("asks for at least 8 characters", () => {
    const r = signup({ password: "abc12", confirmPassword: "abc12" });
    expect(fieldErrors(r.error!).password).toMatch(/ít nhất 8 ký tự/);
  });

  it("refuses a password everyone tries first", () => {
    const r = signup({ password: "12345678", confirmPassword: "12345678" });
    expect(fieldErrors(r.error!).password).toMatch(/quá dễ đoán/);
  });

  it("refuses the phone number as the password", () => {
    const r = signup({ password: "0905123456", confirmPassword: "0905123456" });
    expect(fieldErrors(r.error!).password).toMatch(/số điện thoại/);
  });

  it("says when the two passwords differ", () => {
    const r = signup({ confirmPassword: "something else" });
    expect(fieldErrors(r.error!).confirmPassword).toMatch(/chưa giống nhau/);
  });

  it("requires consent to data processing", () => {
    const r = signup({ consent: "" });
    expect(fieldErrors(r.error!).consent).toMatch(/đồng ý/);
  });

  it("reads a reset code however it was typed", () => {
    const r = resetCodeSchema.safeParse({
      identifier: "0905123456",
      code: " k7pm-q2x9 ",
      password: "mot cau de nho",
      confirmPassword: "mot cau de nho",
    });
    expect(r.success && r.data.code).toBe("K7PMQ2X9");
  });
});

describe("tokens", () => {
  it("session tokens are random and only their SHA-256 is stored", () => {
    const a = generateSessionToken();
    expect(a).toMatch(/^[a-z2-7]{32}$/);
    expect(a).not.toBe(generateSessionToken());
    expect(sessionIdFromToken(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reset codes avoid letters people confuse and read in two halves", () => {
    for (let i = 0; i < 200; i++) expect(generateResetCode()).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(formatResetCode("K7PMQ2X9")).toBe("K7PM-Q2X9");
  });

  it("a reset code only works for the account it was issued to", () => {
    expect(tokenId("reset_code", "K7PMQ2X9", 1)).not.toBe(tokenId("reset_code", "K7PMQ2X9", 2));
    expect(tokenId("reset_code", "k7pmq2x9", 1)).toBe(tokenId("reset_code", "K7PMQ2X9", 1));
    expect(generateLinkSecret()).toMatch(/^[a-z2-7]{32}$/);
  });
});

describe("rate-limit arithmetic", () => {
  const t0 = new Date("2026-03-01T01:00:00Z");
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it("lets the first five failures through, then makes each wait longer", () => {
    expect([1, 2, 3, 4, 5].map((n) => delayAfterFailures(n, accountPolicy))).toEqual([0, 0, 0, 0, 0]);
    expect(delayAfterFailures(6, accountPolicy)).toBe(60_000);
    expect(delayAfterFailures(7, accountPolicy)).toBe(120_000);
    expect(delayAfterFailures(30, accountPolicy)).toBe(15 * 60_000);
  });

  it("never allows more than 100 failures an hour on one account", () => {
    let state = null;
    let failures = 0;
    let now = t0;
    // Try as fast as the limiter allows for one hour.
    while (now.getTime() < t0.getTime() + 3_600_000) {
      const wait = blockedUntil(state, now);
      if (wait) {
        now = wait;
        continue;
      }
      state = afterFailure(state, now, accountPolicy);
      failures++;
      now = at(failures); // a millisecond later: a fast script
    }
    expect(failures).toBeLessThanOrEqual(100);
  });

  it("blocks until the hour ends at the ceiling, and starts afresh after", () => {
    let state = { failures: 99, windowStartedAt: t0, blockedUntil: null as Date | null };
    state = afterFailure(state, at(10 * 60_000), accountPolicy);
    expect(state.blockedUntil).toEqual(at(3_600_000));
    const fresh = afterFailure(state, at(3_600_000 + 1), accountPolicy);
    expect(fresh.failures).toBe(1);
    expect(fresh.blockedUntil).toBeNull();
  });

  it("gives a shared address more room than one account", () => {
    expect(addressPolicy.free).toBeGreaterThan(accountPolicy.free);
    expect(delayAfterFailures(10, addressPolicy)).toBe(0);
  });

  it("tells the person the time to try again, in Việt Nam's time", () => {
    expect(tryAgainMessage(new Date("2026-03-01T07:34:10Z"))).toContain("thử lại lúc 14:35");
  });
});

describe("mail retry backoff", () => {
  it("doubles from 30 seconds and is capped", () => {
    expect([1, 2, 3, 4].map(backoffDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffDelayMs(30)).toBe(6 * 3_600_000);
    expect(MAX_ATTEMPTS).toBeGreaterThan(3);
  });
});

describe("what people type to sign in", () => {
  it("an email is kept in lower case, a phone in its one stored form", () => {
    expect(parseIdentifier(" Lan.Nguyen@Example.VN ")).toEqual({
      kind: "email",
      value: "lan.nguyen@example.vn",
    });
    expect(parseIdentifier("+84 905.123.456")).toEqual({ kind: "phone", value: "+84905123456" });
    expect(parseIdentifier("lan@")).toBeNull();
  });

  it("after signing in, only goes to pages of this site", () => {
    expect(safeRedirect("/me/sessions")).toBe("/me/sessions");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect("https://evil.example")).toBe("/");
  });
});

describe("the development outbox page", () => {
  it("is not there in production unless asked for", () => {
    expect(outboxPageEnabled({ NODE_ENV: "production", DEV_OUTBOX: "0" })).toBe(false);
    expect(outboxPageEnabled({ NODE_ENV: "production", DEV_OUTBOX: "1" })).toBe(true);
    expect(outboxPageEnabled({ NODE_ENV: "development", DEV_OUTBOX: "0" })).toBe(true);
  });
});

/**
 * Who may ask the running site for its database (POST /_site/backup): a backup on this machine,
 * on a loopback address, through no proxy, with the token of DATA_DIR/site.json. Nobody else.
 */
import { describe, expect, it } from "vitest";
import { mayAskForBackup } from "~/site-backup.server";

const token = "t".repeat(43);
const ask = (remoteAddress: string, headers: Record<string, string> = {}) =>
  mayAskForBackup(
    { socket: { remoteAddress }, headers: { authorization: `Bearer ${token}`, ...headers } },
    token,
  );

describe("asking the running site for its database", () => {
  it("a backup on this machine with the token may", () => {
    expect(ask("127.0.0.1")).toBe(true);
    expect(ask("::1")).toBe(true);
    expect(ask("::ffff:127.0.0.1")).toBe(true);
  });

  it("a caller from another address may not, even with the token", () => {
    expect(ask("192.0.2.10")).toBe(false);
    expect(ask("::ffff:203.0.113.5")).toBe(false);
    expect(ask("fd00::2")).toBe(false);
  });

  it("a request through a proxy on this machine may not", () => {
    expect(ask("127.0.0.1", { "x-forwarded-for": "203.0.113.5" })).toBe(false);
    expect(ask("127.0.0.1", { forwarded: "for=203.0.113.5" })).toBe(false);
  });

  it("a wrong or missing token is refused", () => {
    expect(ask("127.0.0.1", { authorization: `Bearer ${"x".repeat(43)}` })).toBe(false);
    expect(ask("127.0.0.1", { authorization: `Bearer ${token}x` })).toBe(false);
    expect(mayAskForBackup({ socket: { remoteAddress: "127.0.0.1" }, headers: {} }, token)).toBe(false);
  });
});

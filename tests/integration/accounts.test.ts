/** Sign-up, sign-in, sessions and passwords, through the routes' own loaders and actions. */
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import { auditLog, mailOutbox, rateLimits, users } from "@db/schema";
import { action as loginAction } from "~/routes/login";
import { action as signupAction, loader as signupLoader } from "~/routes/signup";
import { action as sessionsAction, loader as sessionsLoader } from "~/routes/me.sessions";
import { action as passwordAction } from "~/routes/me.password";
import { loader as verifyLoader } from "~/routes/verify-email";
import { validateSessionToken } from "~/session.server";
import { createUser, TEST_PASSWORD } from "../support/factories";
import {
  actionArgs,
  cookieFor,
  cookieFromResponse,
  getRequest,
  loaderArgs,
  outcome,
  postRequest,
} from "../support/http";

const tokenOf = (cookie: string) => cookie.split("=")[1]!;

async function signUpVia(fields: Record<string, string>, address?: string) {
  return outcome(() =>
    signupAction(
      actionArgs(
        postRequest(
          "/signup",
          {
            displayName: "Lê Thị Hoa",
            password: "nha toi o Ngo Quyen",
            confirmPassword: "nha toi o Ngo Quyen",
            consent: "on",
            ...fields,
          },
          { address },
        ),
      ),
    ),
  );
}

async function signInVia(identifier: string, password: string, address = "203.0.113.5") {
  return outcome(() => loginAction(actionArgs(postRequest("/login", { identifier, password }, { address }))));
}

describe("signing up", () => {
  it("a resident signs up with their phone as they type it, and is signed in with consent recorded", async () => {
    const result = await signUpVia({ identifier: "+84 905.765.432" });
    expect(result.kind).toBe("redirect");
    if (result.kind !== "redirect") return;
    expect(result.location).toBe("/me?welcome=1");
    const cookie = cookieFromResponse(result.response)!;
    const session = await validateSessionToken(tokenOf(cookie));
    expect(session?.user).toMatchObject({
      phone: "+84905765432",
      role: "resident",
      displayName: "Lê Thị Hoa",
    });
    const db = await getDb();
    const [row] = await db
      .select({ consentAt: users.consentAt, hash: users.passwordHash })
      .from(users)
      .where(eq(users.phone, "+84905765432"));
    expect(row!.consentAt).toBeInstanceOf(Date);
    expect(row!.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityId, String(session!.user.id)));
    expect(audit.map((a) => a.action)).toContain("user.signed_up");
  });

  it("says the number already has an account, and keeps what was typed but the password", async () => {
    await signUpVia({ identifier: "0905 111 222" });
    const again = await signUpVia({ identifier: "0905111222", displayName: "Người Khác" });
    expect(again.kind).toBe("page");
    const data = (again as { data: { values: Record<string, unknown>; errors: Record<string, string> } })
      .data;
    expect(data.errors.identifier).toMatch(/đã có tài khoản/);
    expect(data.values).toEqual({ displayName: "Người Khác", identifier: "0905111222", consent: true });
    expect(JSON.stringify(data.values)).not.toContain("nha toi");
  });

  it("explains a wrong number and a missing consent in Vietnamese", async () => {
    const result = await signUpVia({ identifier: "12345", consent: "" });
    const data = (result as { data: { errors: Record<string, string> } }).data;
    expect(data.errors.identifier).toMatch(/Số di động có 10 chữ số/);
    expect(data.errors.consent).toMatch(/đồng ý/);
  });

  it("quietly refuses a form a bot filled in (honeypot)", async () => {
    const result = await signUpVia({ identifier: "0905 222 333", website: "http://spam.example" });
    expect(result.kind).toBe("page");
    const db = await getDb();
    expect(await db.select({ id: users.id }).from(users).where(eq(users.phone, "+84905222333"))).toEqual([]);
  });

  it("an email sign-up gets a verification mail in the outbox, and the link confirms the address once", async () => {
    const result = await signUpVia({ identifier: "Hoa.Le@Example.vn" });
    expect(result.kind).toBe("redirect");
    const db = await getDb();
    const [mail] = await db
      .select({ text: mailOutbox.text, kind: mailOutbox.kind })
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, "hoa.le@example.vn"))
      .orderBy(desc(mailOutbox.id));
    expect(mail!.kind).toBe("verify_email");
    const link = new URL(mail!.text.match(/https?:\/\/\S+/)![0]);
    expect(link.pathname).toBe("/verify-email");
    const first = await verifyLoader(loaderArgs(getRequest(link.pathname + link.search)));
    expect(first).toEqual({ verified: true });
    const [user] = await db
      .select({ verified: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.email, "hoa.le@example.vn"));
    expect(user!.verified).toBeInstanceOf(Date);
    expect(await verifyLoader(loaderArgs(getRequest(link.pathname + link.search)))).toEqual({
      verified: false,
    });
  });

  it("sends a signed-in person from the sign-up page to their account", async () => {
    const user = await createUser();
    const result = await outcome(() => signupLoader(loaderArgs(getRequest("/signup", "x"))));
    expect(result.kind).toBe("page");
    const signedIn = await outcome(async () =>
      signupLoader(loaderArgs(getRequest("/signup", await cookieFor(user)))),
    );
    expect(signedIn).toMatchObject({ kind: "redirect", location: "/me" });
  });
});

describe("signing in", () => {
  it("signs in with the number in any spelling and sets an HttpOnly, SameSite=Lax cookie", async () => {
    await createUser({ phone: "+84905333444", email: null });
    const result = await signInVia("0905.333.444", TEST_PASSWORD);
    expect(result.kind).toBe("redirect");
    const header = (result as { response: Response }).response.headers.get("Set-Cookie")!;
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
  });

  it("after a few wrong passwords, says at what time to try again, even with the right one", async () => {
    await createUser({ phone: "+84905444555", email: null });
    const messages: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await signInVia("0905444555", "sai mat khau", `203.0.113.${10 + i}`);
      messages.push((r as { data: { errors: { form: string } } }).data.errors.form);
    }
    expect(messages.slice(0, 5).every((m) => /không đúng/.test(m))).toBe(true);
    expect(messages[5]).toMatch(/hãy thử lại lúc \d{2}:\d{2}/);
    const blocked = await signInVia("0905444555", TEST_PASSWORD, "203.0.113.99");
    expect(blocked.kind).toBe("page");
    expect((blocked as { data: { errors: { form: string } } }).data.errors.form).toMatch(/thử lại lúc/);
    // The counter lives in the database, so every app instance sees it.
    const db = await getDb();
    const [row] = await db
      .select({ failures: rateLimits.failures })
      .from(rateLimits)
      .where(eq(rateLimits.key, "login:account:+84905444555"));
    expect(row!.failures).toBe(6);
  });

  it("slows one address guessing many accounts", async () => {
    const address = "192.0.2.44";
    let last = "";
    for (let i = 0; i < 21; i++) {
      const r = await signInVia(`09056660${String(i).padStart(2, "0")}`, "doan bua", address);
      last = (r as { data: { errors: { form: string } } }).data.errors.form;
    }
    expect(last).toMatch(/thử lại lúc/);
  });

  it("a right password clears the account's earlier failures", async () => {
    await createUser({ phone: "+84905555666", email: null });
    for (let i = 0; i < 3; i++) await signInVia("0905555666", "sai", `198.51.100.${i + 1}`);
    expect((await signInVia("0905555666", TEST_PASSWORD)).kind).toBe("redirect");
    const db = await getDb();
    expect(
      await db
        .select({ k: rateLimits.key })
        .from(rateLimits)
        .where(eq(rateLimits.key, "login:account:+84905555666")),
    ).toEqual([]);
  });
});

describe("my sessions", () => {
  it("lists my devices and ends one of them", async () => {
    const user = await createUser();
    const here = await cookieFor(user);
    const phone = await cookieFor(user);
    const page = (await sessionsLoader(loaderArgs(getRequest("/me/sessions", here)))) as {
      sessions: { id: string; current: boolean; device: string }[];
    };
    expect(page.sessions).toHaveLength(2);
    expect(page.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(page.sessions[0]!.device).toBe("Chrome trên Android");
    const other = page.sessions.find((s) => !s.current)!;
    await outcome(() =>
      sessionsAction(
        actionArgs(postRequest("/me/sessions", { intent: "end", sessionId: other.id }, { cookie: here })),
      ),
    );
    expect(await validateSessionToken(tokenOf(phone))).toBeNull();
    expect(await validateSessionToken(tokenOf(here))).not.toBeNull();
  });

  it("cannot end someone else's session", async () => {
    const me = await createUser();
    const someone = await createUser();
    const mine = await cookieFor(me);
    const theirs = await cookieFor(someone);
    const { sessionIdFromToken } = await import("~/session.server");
    await outcome(() =>
      sessionsAction(
        actionArgs(
          postRequest(
            "/me/sessions",
            { intent: "end", sessionId: sessionIdFromToken(tokenOf(theirs)) },
            { cookie: mine },
          ),
        ),
      ),
    );
    expect(await validateSessionToken(tokenOf(theirs))).not.toBeNull();
  });

  it("signs out of every device at once", async () => {
    const user = await createUser();
    const cookies = [await cookieFor(user), await cookieFor(user), await cookieFor(user)];
    const result = await outcome(() =>
      sessionsAction(actionArgs(postRequest("/me/sessions", { intent: "end-all" }, { cookie: cookies[0] }))),
    );
    expect(result).toMatchObject({ kind: "redirect", location: "/login?signedOut=all" });
    for (const c of cookies) expect(await validateSessionToken(tokenOf(c))).toBeNull();
  });
});

describe("changing the password", () => {
  it("ends every session and keeps this device signed in with a new one", async () => {
    const user = await createUser();
    const here = await cookieFor(user);
    const elsewhere = await cookieFor(user);
    const result = await outcome(() =>
      passwordAction(
        actionArgs(
          postRequest(
            "/me/password",
            {
              currentPassword: TEST_PASSWORD,
              password: "mot cau rat dai",
              confirmPassword: "mot cau rat dai",
            },
            { cookie: here },
          ),
        ),
      ),
    );
    expect(result).toMatchObject({ kind: "redirect", location: "/me?done=password" });
    expect(await validateSessionToken(tokenOf(here))).toBeNull();
    expect(await validateSessionToken(tokenOf(elsewhere))).toBeNull();
    const fresh = cookieFromResponse((result as { response: Response }).response)!;
    expect((await validateSessionToken(tokenOf(fresh)))?.user.id).toBe(user.id);
    const db = await getDb();
    const audit = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.password_changed"), eq(auditLog.entityId, String(user.id))));
    expect(audit).toHaveLength(1);
  });

  it("refuses a wrong current password", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user);
    const result = await outcome(() =>
      passwordAction(
        actionArgs(
          postRequest(
            "/me/password",
            {
              currentPassword: "khong phai",
              password: "mot cau rat dai",
              confirmPassword: "mot cau rat dai",
            },
            { cookie },
          ),
        ),
      ),
    );
    expect((result as { data: { errors: Record<string, string> } }).data.errors.currentPassword).toMatch(
      /không đúng/,
    );
    expect(await validateSessionToken(tokenOf(cookie))).not.toBeNull();
  });
});

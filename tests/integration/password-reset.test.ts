/** Forgotten passwords: a link by email through the outbox, or a code handed over in person. */
import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import { mailOutbox, userTokens } from "@db/schema";
import { checkCredentials, parseIdentifier } from "~/auth.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password";
import { action as codeAction } from "~/routes/reset-code";
import { action as issueAction, loader as issueLoader } from "~/routes/reset-codes";
import { validateSessionToken } from "~/session.server";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
} from "../support/factories";
import { actionArgs, cookieFor, getRequest, loaderArgs, outcome, postRequest } from "../support/http";

const NEW_PASSWORD = "hai con meo tren mai nha";

async function latestMailTo(address: string) {
  const db = await getDb();
  const [mail] = await db
    .select({ text: mailOutbox.text, kind: mailOutbox.kind, subject: mailOutbox.subject })
    .from(mailOutbox)
    .where(eq(mailOutbox.toAddress, address))
    .orderBy(desc(mailOutbox.id));
  return mail;
}

describe("reset by email", () => {
  it("a resident resets by the link in the mail: once, then the link is dead and old sessions are over", async () => {
    const user = await createUser({ email: "binh@example.vn" });
    const oldCookie = await cookieFor(user);
    const asked = await outcome(() =>
      forgotAction(actionArgs(postRequest("/forgot-password", { identifier: "Binh@example.vn" }))),
    );
    expect((asked as { data: { done: string } }).data.done).toBe("email");
    const mail = await latestMailTo("binh@example.vn");
    expect(mail).toMatchObject({ kind: "reset_password", subject: "Đặt lại mật khẩu HọcSố" });
    expect(mail!.text).toMatch(/hết hạn sau 1 giờ/);
    const link = new URL(mail!.text.match(/https?:\/\/\S+/)![0]);
    const token = link.searchParams.get("token")!;

    expect(await resetLoader(loaderArgs(getRequest(`/reset-password?token=${token}`)))).toEqual({
      token,
      valid: true,
    });
    const done = await outcome(() =>
      resetAction(
        actionArgs(
          postRequest("/reset-password", { token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
        ),
      ),
    );
    expect(done).toMatchObject({ kind: "redirect", location: "/login?done=password" });
    expect(await checkCredentials(parseIdentifier("binh@example.vn")!, NEW_PASSWORD)).not.toBeNull();
    expect(await validateSessionToken(oldCookie.split("=")[1]!)).toBeNull();

    // Single use.
    const again = await outcome(() =>
      resetAction(
        actionArgs(
          postRequest("/reset-password", { token, password: "ba con ga", confirmPassword: "ba con ga" }),
        ),
      ),
    );
    expect((again as { data: { errors: { form?: string; password?: string } } }).data.errors).toBeTruthy();
    const twice = await outcome(() =>
      resetAction(
        actionArgs(
          postRequest("/reset-password", {
            token,
            password: "ba con ga trong vuon",
            confirmPassword: "ba con ga trong vuon",
          }),
        ),
      ),
    );
    expect((twice as { data: { errors: { form: string } } }).data.errors.form).toMatch(
      /đã được dùng hoặc đã hết hạn/,
    );
    expect(await resetLoader(loaderArgs(getRequest(`/reset-password?token=${token}`)))).toEqual({
      token,
      valid: false,
    });
  });

  it("a link older than one hour no longer works", async () => {
    await createUser({ email: "cuong@example.vn" });
    await forgotAction(actionArgs(postRequest("/forgot-password", { identifier: "cuong@example.vn" })));
    const mail = await latestMailTo("cuong@example.vn");
    const token = new URL(mail!.text.match(/https?:\/\/\S+/)![0]).searchParams.get("token")!;
    const db = await getDb();
    await db
      .update(userTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(userTokens.purpose, "reset_password"));
    const result = await outcome(() =>
      resetAction(
        actionArgs(
          postRequest("/reset-password", { token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
        ),
      ),
    );
    expect((result as { data: { errors: { form: string } } }).data.errors.form).toMatch(/hết hạn/);
  });

  it("answers the same whether or not the address has an account, and mails nobody", async () => {
    const result = await outcome(() =>
      forgotAction(actionArgs(postRequest("/forgot-password", { identifier: "khongco@example.vn" }))),
    );
    expect((result as { data: { done: string } }).data.done).toBe("email");
    expect(await latestMailTo("khongco@example.vn")).toBeUndefined();
  });

  it("tells someone who signs in by phone to ask their leader for a code", async () => {
    await createUser({ phone: "+84905000999", email: null });
    const result = await outcome(() =>
      forgotAction(actionArgs(postRequest("/forgot-password", { identifier: "0905 000 999" }))),
    );
    expect((result as { data: { done: string } }).data.done).toBe("phone");
  });
});

describe("reset by a code handed over in person", () => {
  async function setup(phone: string) {
    const ward = await createWard();
    const { group, team } = await createGroup(ward.id);
    const other = await createGroup(ward.id);
    const household = await createHousehold(group.id);
    const resident = await createResident(household.id);
    // Linked with the owner's consent (registered at the door, or linked by themselves).
    const residentUser = await createUser({
      phone,
      email: null,
      residentId: resident.id,
      residentLinkConfirmedAt: new Date(),
    });
    const leader = await createUser();
    await addMember(team.id, leader.id, "leader");
    const otherLeader = await createUser();
    await addMember(other.team.id, otherLeader.id, "leader");
    return { ward, leader, otherLeader, residentUser };
  }

  it("a leader gives a resident of their group a code, and the resident sets a new password with it once", async () => {
    const { leader, residentUser } = await setup("+84912345678");
    const cookie = await cookieFor({ ...leader, role: "leader" });
    expect(await outcome(() => issueLoader(loaderArgs(getRequest("/reset-codes", cookie))))).toMatchObject({
      kind: "page",
    });
    const issued = await outcome(() =>
      issueAction(actionArgs(postRequest("/reset-codes", { identifier: "0912 345 678" }, { cookie }))),
    );
    const code = (issued as { data: { issued: { code: string; name: string } } }).data.issued.code;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const used = await outcome(() =>
      codeAction(
        actionArgs(
          postRequest("/reset-code", {
            identifier: "0912345678",
            code: code.toLowerCase(),
            password: NEW_PASSWORD,
            confirmPassword: NEW_PASSWORD,
          }),
        ),
      ),
    );
    expect(used).toMatchObject({ kind: "redirect", location: "/login?done=password" });
    expect((await checkCredentials(parseIdentifier("0912345678")!, NEW_PASSWORD))?.id).toBe(residentUser.id);

    const reused = await outcome(() =>
      codeAction(
        actionArgs(
          postRequest("/reset-code", {
            identifier: "0912345678",
            code,
            password: "ba con ga trong vuon",
            confirmPassword: "ba con ga trong vuon",
          }),
        ),
      ),
    );
    expect((reused as { data: { errors: { form: string } } }).data.errors.form).toMatch(
      /Mã không đúng, đã dùng hoặc đã hết hạn/,
    );
  });

  it("a leader cannot give a code to a resident of another group, and a member cannot give codes at all", async () => {
    const { otherLeader } = await setup("+84912345600");
    const cookie = await cookieFor({ ...otherLeader, role: "leader" });
    const refused = await outcome(() =>
      issueAction(actionArgs(postRequest("/reset-codes", { identifier: "0912345600" }, { cookie }))),
    );
    expect((refused as { data: { errors: { identifier: string }; issued: unknown } }).data.issued).toBeNull();
    const member = await createUser({ role: "member" });
    const memberCookie = await cookieFor(member);
    expect(
      await outcome(() => issueLoader(loaderArgs(getRequest("/reset-codes", memberCookie)))),
    ).toMatchObject({ kind: "status", status: 403 });
  });

  it("the ward office can give its ward's residents and members a code, but not another office account", async () => {
    const { ward } = await setup("+84912345611");
    const office = await createUser({ role: "office", wardId: ward.id });
    const otherOffice = await createUser({ role: "office", email: "office2@example.vn" });
    const cookie = await cookieFor(office);
    const ok = await outcome(() =>
      issueAction(actionArgs(postRequest("/reset-codes", { identifier: "0912345611" }, { cookie }))),
    );
    expect((ok as { data: { issued: { code: string } | null } }).data.issued?.code).toBeTruthy();
    const no = await outcome(() =>
      issueAction(actionArgs(postRequest("/reset-codes", { identifier: otherOffice.email! }, { cookie }))),
    );
    expect((no as { data: { issued: unknown } }).data.issued).toBeNull();
  });

  it("guessing codes is slowed down and says when to try again", async () => {
    await createUser({ phone: "+84933000111", email: null });
    let last = "";
    for (let i = 0; i < 6; i++) {
      const r = await outcome(() =>
        codeAction(
          actionArgs(
            postRequest(
              "/reset-code",
              {
                identifier: "0933000111",
                code: "AAAA-BBBB",
                password: NEW_PASSWORD,
                confirmPassword: NEW_PASSWORD,
              },
              { address: `10.0.0.${i}` },
            ),
          ),
        ),
      );
      last = (r as { data: { errors: { form: string } } }).data.errors.form;
    }
    expect(last).toMatch(/thử lại lúc \d{2}:\d{2}/);
  });
});

/** People someone else brings in: invited members, residents registered at the door, linked accounts. */
import { and, desc, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import {
  auditLog,
  certificates,
  lessonProgress,
  mailOutbox,
  residents,
  teamMembers,
  users,
} from "@db/schema";
import { checkCredentials, parseIdentifier } from "~/auth.server";
import { memberScope } from "~/access.server";
import { action as acceptAction, loader as acceptLoader } from "~/routes/accept-invite";
import { action as membersAction, loader as membersLoader } from "~/routes/office.members";
import { action as registerAction, loader as registerLoader } from "~/routes/field.register";
import { loader as fieldLinkLoader } from "~/routes/field.link";
import { action as meLinkAction } from "~/routes/me.link";
import { action as codeAction } from "~/routes/reset-code";
import { validateSessionToken } from "~/session.server";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
} from "../support/factories";
import {
  actionArgs,
  cookieFor,
  cookieFromResponse,
  getRequest,
  loaderArgs,
  outcome,
  postRequest,
} from "../support/http";

const PASSWORD = "toi di day hoc so";

async function wardWithTeam() {
  const ward = await createWard();
  const { group, team } = await createGroup(ward.id);
  const office = await createUser({ role: "office", wardId: ward.id });
  return { ward, group, team, office, officeCookie: await cookieFor(office) };
}

describe("the office adds team members", () => {
  it("invites a member by email; the link lets them set a password and join the team", async () => {
    const { team, officeCookie } = await wardWithTeam();
    const page = (await membersLoader(loaderArgs(getRequest("/office/members", officeCookie)))) as {
      teams: { id: number }[];
    };
    expect(page.teams.map((t) => t.id)).toContain(team.id);
    const sent = await outcome(() =>
      membersAction(
        actionArgs(
          postRequest(
            "/office/members",
            {
              intent: "invite",
              displayName: "Phạm Minh Tuấn",
              identifier: "tuan@example.vn",
              teamId: String(team.id),
              teamRole: "member",
              affiliation: "Đoàn Thanh niên",
            },
            { cookie: officeCookie },
          ),
        ),
      ),
    );
    expect((sent as { data: { done: { code: string | null } } }).data.done).toEqual({
      name: "Phạm Minh Tuấn",
      code: null,
    });
    const db = await getDb();
    const [mail] = await db
      .select({ text: mailOutbox.text, kind: mailOutbox.kind })
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, "tuan@example.vn"))
      .orderBy(desc(mailOutbox.id));
    expect(mail!.kind).toBe("invitation");
    const token = new URL(mail!.text.match(/https?:\/\/\S+/)![0]).searchParams.get("token")!;
    expect(await acceptLoader(loaderArgs(getRequest(`/accept-invite?token=${token}`)))).toMatchObject({
      invitation: { displayName: "Phạm Minh Tuấn", email: "tuan@example.vn" },
    });

    const accepted = await outcome(() =>
      acceptAction(
        actionArgs(
          postRequest("/accept-invite", {
            token,
            displayName: "Phạm Minh Tuấn",
            password: PASSWORD,
            confirmPassword: PASSWORD,
            consent: "on",
          }),
        ),
      ),
    );
    expect(accepted.kind).toBe("redirect");
    const session = await validateSessionToken(
      cookieFromResponse((accepted as { response: Response }).response)!.split("=")[1]!,
    );
    expect(session?.user.role).toBe("member");
    expect((await memberScope(session!.user.id))?.teamId).toBe(team.id);
    const [membership] = await db
      .select({ badge: teamMembers.badgeCode, affiliation: teamMembers.affiliation })
      .from(teamMembers)
      .where(eq(teamMembers.userId, session!.user.id));
    expect(membership!.badge).toMatch(/^[A-Z2-9]{12}$/);
    expect(membership!.affiliation).toBe("Đoàn Thanh niên");
    // The link worked once.
    expect(await acceptLoader(loaderArgs(getRequest(`/accept-invite?token=${token}`)))).toMatchObject({
      invitation: null,
    });
  });

  it("creates a member directly and gets a one-time code the member uses to set their password", async () => {
    const { team, officeCookie } = await wardWithTeam();
    const created = await outcome(() =>
      membersAction(
        actionArgs(
          postRequest(
            "/office/members",
            {
              intent: "create",
              displayName: "Võ Thị Hạnh",
              identifier: "0935 222 111",
              teamId: String(team.id),
              teamRole: "leader",
            },
            { cookie: officeCookie },
          ),
        ),
      ),
    );
    const code = (created as { data: { done: { code: string } } }).data.done.code;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await codeAction(
      actionArgs(
        postRequest("/reset-code", {
          identifier: "0935222111",
          code,
          password: PASSWORD,
          confirmPassword: PASSWORD,
        }),
      ),
    );
    const user = await checkCredentials(parseIdentifier("0935222111")!, PASSWORD);
    expect(user?.role).toBe("leader");
    expect((await memberScope(user!.id))?.teamRole).toBe("leader");
  });

  it("refuses an invitation to a phone number and to another ward's team, with the reason", async () => {
    const { team, officeCookie } = await wardWithTeam();
    const other = await wardWithTeam();
    const byPhone = await outcome(() =>
      membersAction(
        actionArgs(
          postRequest(
            "/office/members",
            {
              intent: "invite",
              displayName: "Lê Văn Tám",
              identifier: "0935 000 888",
              teamId: String(team.id),
            },
            { cookie: officeCookie },
          ),
        ),
      ),
    );
    expect((byPhone as { data: { errors: Record<string, string> } }).data.errors.identifier).toMatch(
      /cần địa chỉ email/,
    );
    const otherWard = await outcome(() =>
      membersAction(
        actionArgs(
          postRequest(
            "/office/members",
            {
              intent: "create",
              displayName: "Lê Văn Tám",
              identifier: "0935 000 888",
              teamId: String(other.team.id),
            },
            { cookie: officeCookie },
          ),
        ),
      ),
    );
    expect((otherWard as { data: { errors: Record<string, string> } }).data.errors.teamId).toMatch(
      /tổ của phường bạn/,
    );
  });
});

describe("a member in the field", () => {
  async function field() {
    const base = await wardWithTeam();
    const member = await createUser({ role: "member" });
    await addMember(base.team.id, member.id, "member");
    const household = await createHousehold(base.group.id, {
      linkCode: `HH${Date.now().toString(36).toUpperCase()}`,
    });
    const elsewhere = await createGroup(base.ward.id);
    const foreignHousehold = await createHousehold(elsewhere.group.id);
    return {
      ...base,
      member,
      cookie: await cookieFor({ ...member, role: "member" }),
      household,
      foreignHousehold,
    };
  }

  it("registers a resident with consent and a managed account, only in their own group", async () => {
    const { cookie, household, foreignHousehold, member } = await field();
    const page = (await registerLoader(loaderArgs(getRequest("/field/register", cookie)))) as {
      households: { id: number }[];
    };
    expect(page.households.map((h) => h.id)).toEqual([household.id]);
    const done = await outcome(() =>
      registerAction(
        actionArgs(
          postRequest(
            "/field/register",
            {
              householdId: String(household.id),
              fullName: "Trần Văn Bảy",
              birthYear: "1950",
              account: "managed",
              consent: "on",
              isSmallTrader: "on",
            },
            { cookie },
          ),
        ),
      ),
    );
    expect((done as { data: { done: { name: string } } }).data.done.name).toBe("Trần Văn Bảy");
    const db = await getDb();
    const [resident] = await db
      .select({
        id: residents.id,
        consentAt: residents.consentAt,
        by: residents.consentRecordedBy,
        trader: residents.isSmallTrader,
      })
      .from(residents)
      .where(eq(residents.fullName, "Trần Văn Bảy"));
    expect(resident).toMatchObject({ by: member.id, trader: true });
    expect(resident!.consentAt).toBeInstanceOf(Date);
    const [managed] = await db
      .select({ hash: users.passwordHash, phone: users.phone })
      .from(users)
      .where(eq(users.residentId, resident!.id));
    expect(managed).toEqual({ hash: null, phone: null });
    const audit = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, "resident"), eq(auditLog.entityId, String(resident!.id))));
    expect(audit.map((a) => a.action)).toEqual(["resident.created"]);

    const foreign = await outcome(() =>
      registerAction(
        actionArgs(
          postRequest(
            "/field/register",
            {
              householdId: String(foreignHousehold.id),
              fullName: "Người Ngoài",
              birthYear: "1970",
              consent: "on",
            },
            { cookie },
          ),
        ),
      ),
    );
    expect((foreign as { data: { errors: Record<string, string> } }).data.errors.householdId).toMatch(
      /tổ dân phố của bạn/,
    );
  });

  it("will not register anyone without consent", async () => {
    const { cookie, household } = await field();
    const result = await outcome(() =>
      registerAction(
        actionArgs(
          postRequest(
            "/field/register",
            { householdId: String(household.id), fullName: "Đỗ Thị Na", birthYear: "1960" },
            { cookie },
          ),
        ),
      ),
    );
    expect((result as { data: { errors: Record<string, string> } }).data.errors.consent).toMatch(/đồng ý/);
  });

  it("registers a resident who will sign in with their phone, handing over a code", async () => {
    const { cookie, household } = await field();
    const result = await outcome(() =>
      registerAction(
        actionArgs(
          postRequest(
            "/field/register",
            {
              householdId: String(household.id),
              fullName: "Hồ Thị Mười",
              birthYear: "1962",
              phone: "0977 123 321",
              account: "login",
              consent: "on",
            },
            { cookie },
          ),
        ),
      ),
    );
    const code = (result as { data: { done: { code: string } } }).data.done.code;
    await codeAction(
      actionArgs(
        postRequest("/reset-code", {
          identifier: "0977123321",
          code,
          password: PASSWORD,
          confirmPassword: PASSWORD,
        }),
      ),
    );
    const user = await checkCredentials(parseIdentifier("0977123321")!, PASSWORD);
    expect(user?.residentId).not.toBeNull();
  });

  it("shows the member the household's code, with which the resident links their own account and keeps what they learned with the team", async () => {
    const { cookie, household } = await field();
    const resident = await createResident(household.id, { fullName: "Lý Thị Hai" });
    const db = await getDb();
    const [managed] = await db
      .insert(users)
      .values({ displayName: "Lý Thị Hai", residentId: resident.id })
      .returning({ id: users.id });
    await db.insert(lessonProgress).values({
      userId: managed!.id,
      courseId: "an-toan-thong-tin",
      lessonId: "nhan-dien-gia-danh",
      readAt: new Date(),
    });
    const own = await createUser({ phone: "+84977000222", email: null });

    const page = (await fieldLinkLoader(
      loaderArgs(getRequest(`/field/link?household=${household.id}`, cookie)),
    )) as {
      residents: { id: number; managed: boolean }[];
      linkCode: string;
    };
    expect(page.residents.find((r) => r.id === resident.id)?.managed).toBe(true);
    expect(page.linkCode).toBe(household.linkCode);
    const ownCookie = await cookieFor(own);
    const linked = await outcome(() =>
      meLinkAction(
        actionArgs(
          postRequest(
            "/me/link",
            { intent: "link", code: page.linkCode, residentId: String(resident.id) },
            { cookie: ownCookie },
          ),
        ),
      ),
    );
    expect(linked).toMatchObject({ kind: "redirect", location: "/me?done=linked" });
    const [after] = await db.select({ residentId: users.residentId }).from(users).where(eq(users.id, own.id));
    expect(after!.residentId).toBe(resident.id);
    expect(await db.select({ id: users.id }).from(users).where(eq(users.id, managed!.id))).toEqual([]);
    expect(
      await db
        .select({ lesson: lessonProgress.lessonId })
        .from(lessonProgress)
        .where(eq(lessonProgress.userId, own.id)),
    ).toEqual([{ lesson: "nhan-dien-gia-danh" }]);
  });
});

describe("a resident links their own account with the household code", () => {
  it("attaches to the managed account's history in one step, with no duplicate account", async () => {
    const ward = await createWard();
    const { group } = await createGroup(ward.id);
    const household = await createHousehold(group.id, { linkCode: "K7PMQ2X9" });
    const resident = await createResident(household.id, { fullName: "Bùi Văn Ba", birthYear: 1955 });
    const db = await getDb();
    const [managed] = await db
      .insert(users)
      .values({ displayName: "Bùi Văn Ba", residentId: resident.id })
      .returning({ id: users.id });
    await db.insert(lessonProgress).values([
      {
        userId: managed!.id,
        courseId: "nen-tang-so",
        lessonId: "danang-smart-city",
        readAt: new Date("2026-01-10"),
        passedAt: new Date("2026-01-10"),
      },
      {
        userId: managed!.id,
        courseId: "nen-tang-so",
        lessonId: "cai-dat-va-kich-hoat-vneid",
        readAt: new Date("2026-01-12"),
      },
    ]);
    await db
      .insert(certificates)
      .values({ code: "ABCD-2345", userId: managed!.id, courseKey: "nen-tang-so", holderName: "Bùi Văn Ba" });
    const me = await createUser({ phone: "+84988111222", email: null });
    await db.insert(lessonProgress).values({
      userId: me.id,
      courseId: "nen-tang-so",
      lessonId: "danang-smart-city",
      readAt: new Date("2026-02-01"),
    });
    const cookie = await cookieFor(me);

    const found = await outcome(() =>
      meLinkAction(actionArgs(postRequest("/me/link", { intent: "find", code: "k7pm-q2x9" }, { cookie }))),
    );
    const household$ = (
      found as { data: { household: { residents: { id: number; fullName: string; taken: boolean }[] } } }
    ).data.household;
    expect(household$.residents).toEqual([
      { id: resident.id, fullName: "Bùi Văn Ba", birthYear: 1955, taken: false },
    ]);

    const linked = await outcome(() =>
      meLinkAction(
        actionArgs(
          postRequest(
            "/me/link",
            { intent: "link", code: "K7PMQ2X9", residentId: String(resident.id) },
            { cookie },
          ),
        ),
      ),
    );
    expect(linked).toMatchObject({ kind: "redirect", location: "/me?done=linked" });
    const accounts = await db.select({ id: users.id }).from(users).where(eq(users.residentId, resident.id));
    expect(accounts).toEqual([{ id: me.id }]);
    const progress = await db
      .select({
        lesson: lessonProgress.lessonId,
        readAt: lessonProgress.readAt,
        passedAt: lessonProgress.passedAt,
      })
      .from(lessonProgress)
      .where(eq(lessonProgress.userId, me.id))
      .orderBy(lessonProgress.lessonId);
    expect(progress.map((p) => p.lesson)).toEqual(["cai-dat-va-kich-hoat-vneid", "danang-smart-city"]);
    // The earliest reading and the pass both survive.
    expect(progress[1]!.readAt!.toISOString().slice(0, 10)).toBe("2026-01-10");
    expect(progress[1]!.passedAt).not.toBeNull();
    expect(
      await db.select({ code: certificates.code }).from(certificates).where(eq(certificates.userId, me.id)),
    ).toEqual([{ code: "ABCD-2345" }]);
  });

  it("a wrong code says so and is counted against guessing", async () => {
    const me = await createUser();
    const cookie = await cookieFor(me);
    const result = await outcome(() =>
      meLinkAction(actionArgs(postRequest("/me/link", { intent: "find", code: "ZZZZ9999" }, { cookie }))),
    );
    expect((result as { data: { errors: Record<string, string> } }).data.errors.code).toMatch(
      /Không tìm thấy hộ/,
    );
  });

  it("cannot take a resident who already has their own account", async () => {
    const ward = await createWard();
    const { group } = await createGroup(ward.id);
    const household = await createHousehold(group.id, { linkCode: "TAKEN234" });
    const resident = await createResident(household.id);
    await createUser({ residentId: resident.id });
    const me = await createUser();
    const cookie = await cookieFor(me);
    const result = await outcome(() =>
      meLinkAction(
        actionArgs(
          postRequest(
            "/me/link",
            { intent: "link", code: "TAKEN234", residentId: String(resident.id) },
            { cookie },
          ),
        ),
      ),
    );
    expect((result as { data: { errors: Record<string, string> } }).data.errors.form).toMatch(
      /đã có tài khoản riêng/,
    );
    const db = await getDb();
    const [row] = await db
      .select({ residentId: users.residentId })
      .from(users)
      .where(and(eq(users.id, me.id), isNull(users.residentId)));
    expect(row).toBeTruthy();
  });
});

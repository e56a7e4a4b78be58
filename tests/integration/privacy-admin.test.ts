/** Personal data rights, the office's view of requests, and role changes with their audit trail. */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import {
  auditLog,
  certificates,
  dataRequests,
  householdAssignments,
  lessonProgress,
  residents,
  residentSkills,
  sessions,
  skillRecords,
  teamMembers,
  visits,
} from "@db/schema";
import { findCertificateByCode } from "~/certificates.server";
import { ERASED_NAME } from "~/privacy.server";
import { loader as dataJsonLoader } from "~/routes/me.data[.]json";
import { action as dataAction, loader as dataLoader } from "~/routes/me.data";
import { action as requestsAction, loader as requestsLoader } from "~/routes/office.data-requests";
import { action as adminAction, loader as adminLoader } from "~/routes/admin._index";
import { action as profileAction } from "~/routes/me.profile";
import { mailOutbox, users } from "@db/schema";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
} from "../support/factories";
import { actionArgs, cookieFor, getRequest, loaderArgs, outcome, postRequest } from "../support/http";

describe("my data", () => {
  it("downloads everything stored about me as JSON, without the password hash", async () => {
    const ward = await createWard();
    const { group } = await createGroup(ward.id);
    const household = await createHousehold(group.id, { address: "12 Hà Bổng" });
    const resident = await createResident(household.id, { fullName: "Ngô Thị Tư", birthYear: 1961 });
    const user = await createUser({ displayName: "Ngô Thị Tư", residentId: resident.id });
    const cookie = await cookieFor(user);
    const response = (await dataJsonLoader(loaderArgs(getRequest("/me/data.json", cookie)))) as Response;
    expect(response.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment/);
    const text = await response.text();
    expect(text).not.toMatch(/argon2|password/i);
    const data = JSON.parse(text);
    expect(data.account).toMatchObject({ id: user.id, displayName: "Ngô Thị Tư", email: user.email });
    expect(data.resident).toMatchObject({
      fullName: "Ngô Thị Tư",
      birthYear: 1961,
      householdAddress: "12 Hà Bổng",
    });
    expect(data.sessions).toHaveLength(1);
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining([
        "account",
        "resident",
        "skills",
        "lessonProgress",
        "quizAttempts",
        "certificates",
        "dataRequests",
        "changeHistory",
      ]),
    );
  });

  it("asks for deletion once, and the office sees and closes the request", async () => {
    const user = await createUser({ displayName: "Đặng Văn Năm" });
    const cookie = await cookieFor(user);
    expect(await dataLoader(loaderArgs(getRequest("/me/data", cookie)))).toEqual({ openRequestAt: null });
    const first = await outcome(() =>
      dataAction(
        actionArgs(
          postRequest("/me/data", { intent: "request-deletion", note: "Tôi không dùng nữa" }, { cookie }),
        ),
      ),
    );
    expect((first as { data: { created: boolean } }).data.created).toBe(true);
    const second = await outcome(() =>
      dataAction(actionArgs(postRequest("/me/data", { intent: "request-deletion" }, { cookie }))),
    );
    expect((second as { data: { created: boolean } }).data.created).toBe(false);
    expect(
      ((await dataLoader(loaderArgs(getRequest("/me/data", cookie)))) as { openRequestAt: string | null })
        .openRequestAt,
    ).not.toBeNull();

    // A ward's office (a city office reads but erases nothing); an account tied to no ward is every office's.
    const office = await createUser({ role: "office", wardId: (await createWard()).id });
    const officeCookie = await cookieFor(office);
    const list = (await requestsLoader(loaderArgs(getRequest("/office/data-requests", officeCookie)))) as {
      requests: { id: number; who: string; note: string; status: string }[];
    };
    const mine = list.requests.find((r) => r.who === "Đặng Văn Năm")!;
    expect(mine).toMatchObject({ note: "Tôi không dùng nữa", status: "open" });
    // Without the confirmation box ticked nothing is erased, and the office is told why.
    const unconfirmed = await outcome(() =>
      requestsAction(
        actionArgs(
          postRequest(
            "/office/data-requests",
            { intent: "erase", requestId: String(mine.id) },
            { cookie: officeCookie },
          ),
        ),
      ),
    );
    expect(unconfirmed).toMatchObject({
      kind: "page",
      data: { requestId: mine.id, error: expect.stringContaining("ô xác nhận") },
    });
    const db = await getDb();
    expect(
      (
        await db
          .select({ status: dataRequests.status })
          .from(dataRequests)
          .where(eq(dataRequests.id, mine.id))
      )[0]?.status,
    ).toBe("open");
    await outcome(() =>
      requestsAction(
        actionArgs(
          postRequest(
            "/office/data-requests",
            { intent: "erase", confirm: "yes", requestId: String(mine.id) },
            { cookie: officeCookie },
          ),
        ),
      ),
    );
    const [row] = await db
      .select({ status: dataRequests.status, by: dataRequests.handledBy })
      .from(dataRequests)
      .where(eq(dataRequests.id, mine.id));
    expect(row).toEqual({ status: "done", by: office.id });

    const resident = await cookieFor(await createUser());
    expect(
      await outcome(() => requestsLoader(loaderArgs(getRequest("/office/data-requests", resident)))),
    ).toMatchObject({ kind: "status", status: 403 });
  });
});

describe("erasing a person's data on request", () => {
  it("removes their learning, certificates, roster record and sessions, keeps visits under an erased name", async () => {
    const db = await getDb();
    const ward = await createWard();
    const { group, team } = await createGroup(ward.id);
    const household = await createHousehold(group.id, { address: "9 Nguyễn Công Trứ" });
    const person = await createResident(household.id, {
      fullName: "Phan Thị Mười",
      birthYear: 1958,
      phone: "+84905777888",
    });
    const neighbour = await createResident(household.id, { fullName: "Phan Văn Một", birthYear: 1955 });
    const user = await createUser({
      displayName: "Phan Thị Mười",
      residentId: person.id,
      phone: "+84905777888",
    });
    const member = await createUser({ displayName: "Lý Văn Hai", role: "member" });
    await addMember(team.id, member.id, "member");
    const [visit] = await db
      .insert(visits)
      .values({
        householdId: household.id,
        memberUserId: member.id,
        visitedOn: "2026-11-20",
        topics: ["vneid"],
      })
      .returning();
    await db.insert(skillRecords).values({
      residentId: person.id,
      skill: "vneid_installed",
      method: "assisted",
      recordedBy: member.id,
      visitId: visit!.id,
    });
    await db.insert(residentSkills).values({
      residentId: person.id,
      skill: "vneid_installed",
      method: "assisted",
      recordedAt: new Date(),
    });
    await db.insert(lessonProgress).values({
      userId: user.id,
      courseId: "nen-tang-so",
      lessonId: "vneid",
      readAt: new Date(),
      passedAt: new Date(),
    });
    await db.insert(certificates).values({
      code: "XOA-TEST-0001",
      userId: user.id,
      courseKey: "nen-tang-so",
      holderName: "Phan Thị Mười",
    });
    const cookie = await cookieFor(user);
    await outcome(() =>
      dataAction(actionArgs(postRequest("/me/data", { intent: "request-deletion" }, { cookie }))),
    );
    const [request] = await db
      .select({ id: dataRequests.id })
      .from(dataRequests)
      .where(eq(dataRequests.userId, user.id));
    // The member asks for deletion too: their badge ends, their visits stay under an erased name.
    await db.insert(householdAssignments).values({ householdId: household.id, memberUserId: member.id });
    const [memberRequest] = await db
      .insert(dataRequests)
      .values({ userId: member.id, kind: "deletion" })
      .returning();

    // Another ward's office neither sees nor handles these requests.
    const elsewhere = await createWard();
    const otherOfficeCookie = await cookieFor(await createUser({ role: "office", wardId: elsewhere.id }));
    const theirList = (await requestsLoader(
      loaderArgs(getRequest("/office/data-requests", otherOfficeCookie)),
    )) as { requests: { id: number }[] };
    expect(theirList.requests.map((r) => r.id)).not.toContain(request!.id);
    await outcome(() =>
      requestsAction(
        actionArgs(
          postRequest(
            "/office/data-requests",
            { intent: "erase", confirm: "yes", requestId: String(request!.id) },
            { cookie: otherOfficeCookie },
          ),
        ),
      ),
    );
    expect(
      (
        await db
          .select({ status: dataRequests.status })
          .from(dataRequests)
          .where(eq(dataRequests.id, request!.id))
      )[0]?.status,
    ).toBe("open");

    const office = await createUser({ role: "office", wardId: ward.id });
    const officeCookie = await cookieFor(office);
    const ourList = (await requestsLoader(loaderArgs(getRequest("/office/data-requests", officeCookie)))) as {
      requests: { id: number }[];
    };
    expect(ourList.requests.map((r) => r.id)).toEqual(
      expect.arrayContaining([request!.id, memberRequest!.id]),
    );
    for (const id of [request!.id, memberRequest!.id]) {
      const erased = await outcome(() =>
        requestsAction(
          actionArgs(
            postRequest(
              "/office/data-requests",
              { intent: "erase", confirm: "yes", requestId: String(id) },
              { cookie: officeCookie },
            ),
          ),
        ),
      );
      expect(erased).toMatchObject({ kind: "redirect", location: "/office/data-requests?erased=1" });
    }

    const [account] = await db.select().from(users).where(eq(users.id, user.id));
    expect(account).toMatchObject({
      displayName: ERASED_NAME,
      email: null,
      phone: null,
      passwordHash: null,
      residentId: null,
    });
    expect(account!.disabledAt).not.toBeNull();
    expect(await db.select().from(residents).where(eq(residents.id, person.id))).toEqual([]);
    expect(await db.select().from(residents).where(eq(residents.id, neighbour.id))).toHaveLength(1);
    expect(await db.select().from(skillRecords).where(eq(skillRecords.residentId, person.id))).toEqual([]);
    expect(await db.select().from(lessonProgress).where(eq(lessonProgress.userId, user.id))).toEqual([]);
    expect(await findCertificateByCode("XOA-TEST-0001")).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    // Their old cookie no longer signs anyone in.
    expect(await outcome(() => dataLoader(loaderArgs(getRequest("/me/data", cookie))))).toMatchObject({
      kind: "redirect",
    });

    const [memberAccount] = await db.select().from(users).where(eq(users.id, member.id));
    expect(memberAccount!.displayName).toBe(ERASED_NAME);
    expect(await db.select().from(visits).where(eq(visits.householdId, household.id))).toHaveLength(1);
    expect(
      await db.select().from(householdAssignments).where(eq(householdAssignments.memberUserId, member.id)),
    ).toEqual([]);
    const [membership] = await db.select().from(teamMembers).where(eq(teamMembers.userId, member.id));
    expect(membership!.endedAt).not.toBeNull();

    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "data_request.erased"), eq(auditLog.entityId, String(request!.id))));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain("Mười");
    // A request already handled cannot be erased twice.
    expect(
      await outcome(() =>
        requestsAction(
          actionArgs(
            postRequest(
              "/office/data-requests",
              { intent: "erase", confirm: "yes", requestId: String(request!.id) },
              { cookie: officeCookie },
            ),
          ),
        ),
      ),
    ).toMatchObject({ kind: "redirect", location: "/office/data-requests" });
  });
});

describe("users and roles", () => {
  it("an admin makes a member a leader: audited, their sessions end, the team role follows", async () => {
    const admin = await createUser({ role: "admin" });
    const adminCookie = await cookieFor(admin);
    const ward = await createWard();
    const { team } = await createGroup(ward.id);
    const member = await createUser({ displayName: "Trương Thị Sáu" });
    await addMember(team.id, member.id, "member");
    await cookieFor({ ...member, role: "member" });

    const page = (await adminLoader(loaderArgs(getRequest("/admin?q=Trương", adminCookie)))) as {
      users: { id: number; role: string }[];
    };
    expect(page.users).toEqual([expect.objectContaining({ id: member.id, role: "member" })]);
    const result = await outcome(() =>
      adminAction(
        actionArgs(
          postRequest(
            "/admin?q=Trương",
            { userId: String(member.id), role: "leader" },
            { cookie: adminCookie },
          ),
        ),
      ),
    );
    expect(result.kind).toBe("redirect");

    const db = await getDb();
    const [audit] = await db
      .select({ actor: auditLog.actorUserId, details: auditLog.details, at: auditLog.createdAt })
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.role_changed"), eq(auditLog.entityId, String(member.id))));
    expect(audit).toMatchObject({ actor: admin.id, details: { from: "member", to: "leader" } });
    expect(await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, member.id))).toEqual(
      [],
    );
    const [membership] = await db
      .select({ role: teamMembers.role })
      .from(teamMembers)
      .where(eq(teamMembers.userId, member.id));
    expect(membership!.role).toBe("leader");
  });

  it("an admin cannot change their own role; the office cannot open the admin page", async () => {
    const admin = await createUser({ role: "admin" });
    const cookie = await cookieFor(admin);
    const self = await outcome(() =>
      adminAction(
        actionArgs(postRequest("/admin", { userId: String(admin.id), role: "resident" }, { cookie })),
      ),
    );
    expect((self as { data: { error: string } }).data.error).toMatch(/tự đổi vai trò/);
    const office = await cookieFor(await createUser({ role: "office", wardId: (await createWard()).id }));
    expect(await outcome(() => adminLoader(loaderArgs(getRequest("/admin", office))))).toMatchObject({
      kind: "status",
      status: 403,
    });
  });
});

describe("correcting my own details", () => {
  it("a new email must be confirmed again, and the change is logged without the values", async () => {
    const user = await createUser({
      email: "cu@example.vn",
      emailVerifiedAt: new Date(),
      phone: "+84905888777",
    });
    const cookie = await cookieFor(user);
    const result = await outcome(() =>
      profileAction(
        actionArgs(
          postRequest("/me/profile", { displayName: "Tên Mới", email: "Moi@Example.vn" }, { cookie }),
        ),
      ),
    );
    expect(result).toMatchObject({ kind: "redirect", location: "/me?done=profile-email" });
    const db = await getDb();
    const [row] = await db
      .select({ name: users.displayName, email: users.email, verified: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, user.id));
    expect(row).toEqual({ name: "Tên Mới", email: "moi@example.vn", verified: null });
    const mails = await db
      .select({ kind: mailOutbox.kind })
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, "moi@example.vn"));
    expect(mails).toEqual([{ kind: "verify_email" }]);
    const [audit] = await db
      .select({ details: auditLog.details, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.updated"), eq(auditLog.entityId, String(user.id))));
    expect(audit).toEqual({ actor: user.id, details: { fields: ["displayName", "email"] } });
    expect(JSON.stringify(audit)).not.toContain("moi@example.vn");
  });

  it("refuses an email another account uses", async () => {
    await createUser({ email: "da-co@example.vn" });
    const user = await createUser();
    const cookie = await cookieFor(user);
    const result = await outcome(() =>
      profileAction(
        actionArgs(
          postRequest("/me/profile", { displayName: "Ai Đó", email: "da-co@example.vn" }, { cookie }),
        ),
      ),
    );
    expect((result as { data: { errors: Record<string, string> } }).data.errors.email).toMatch(
      /tài khoản khác/,
    );
  });
});

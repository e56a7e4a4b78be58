import { and, count, eq } from "drizzle-orm";
import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { renderCertificatePdf } from "~/certificate-pdf.server";
import {
  findCertificateByCode,
  issueEarnedCertificates,
  listCertificatesForUser,
  certificateCounts,
  revokeCertificate,
  searchCertificates,
} from "~/certificates.server";
import type { CompletionCourse } from "~/completion";
import { getMembersTraining, getAssistedShare } from "~/my-learning.server";
import {
  actorOf,
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
  fieldActorOf,
} from "../support/factories";

const courses: CompletionCourse[] = [
  {
    id: "nen-tang-so",
    core: true,
    lessons: [
      { id: "a", audience: "all", hasQuiz: true },
      { id: "b", audience: "all", hasQuiz: false },
    ],
  },
  { id: "dich-vu-cong-truc-tuyen", core: true, lessons: [{ id: "c", audience: "all", hasQuiz: true }] },
  {
    id: "an-toan-thong-tin",
    core: true,
    lessons: [
      { id: "d", audience: "all", hasQuiz: true },
      { id: "e", audience: "members", hasQuiz: true },
    ],
  },
];
const catalog = {
  courses,
  titleOf: (key: string) => (key === s.PROGRAMME_KEY ? "Chương trình" : `Khoá ${key}`),
};

async function finish(
  userId: number,
  courseId: string,
  lessonIds: string[],
  assistedBy: number | null = null,
) {
  const db = await getDb();
  const now = new Date();
  await db
    .insert(s.lessonProgress)
    .values(
      lessonIds.map((lessonId) => ({ userId, courseId, lessonId, readAt: now, passedAt: now, assistedBy })),
    )
    .onConflictDoNothing();
}

describe("certificates", () => {
  it("a resident who passes the last quiz of a course receives exactly one certificate, even from 20 submissions at once", async () => {
    const user = await createUser({ displayName: "Phạm Thị Hồng Nhung" });
    await finish(user.id, "nen-tang-so", ["a", "b"]);
    const db = await getDb();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => db.transaction((tx) => issueEarnedCertificates(tx, user.id, catalog))),
    );
    expect(results.flat()).toHaveLength(1);
    const held = await listCertificatesForUser(user.id);
    expect(held.map((c) => c.courseKey)).toEqual(["nen-tang-so"]);
    // The holder had an email address: the certificate is in the outbox, once.
    const [mail] = await db
      .select({ n: count() })
      .from(s.mailOutbox)
      .where(and(eq(s.mailOutbox.toAddress, user.email!), eq(s.mailOutbox.kind, "certificate")));
    expect(mail!.n).toBe(1);
  });

  it("completing all three core courses issues the programme certificate once", async () => {
    const user = await createUser();
    await finish(user.id, "nen-tang-so", ["a", "b"]);
    await finish(user.id, "dich-vu-cong-truc-tuyen", ["c"]);
    await finish(user.id, "an-toan-thong-tin", ["d"]);
    const db = await getDb();
    const issued = await db.transaction((tx) => issueEarnedCertificates(tx, user.id, catalog));
    expect(issued.map((c) => c.courseKey).sort()).toEqual([
      "an-toan-thong-tin",
      "dich-vu-cong-truc-tuyen",
      "nen-tang-so",
      "programme",
    ]);
    expect(await db.transaction((tx) => issueEarnedCertificates(tx, user.id, catalog))).toEqual([]);
  });

  it("a team member also needs the members-only lessons", async () => {
    const ward = await createWard();
    const { team } = await createGroup(ward.id);
    const user = await createUser();
    await addMember(team.id, user.id);
    await finish(user.id, "an-toan-thong-tin", ["d"]);
    const db = await getDb();
    expect(await db.transaction((tx) => issueEarnedCertificates(tx, user.id, catalog))).toEqual([]);
    await finish(user.id, "an-toan-thong-tin", ["e"]);
    expect(
      (await db.transaction((tx) => issueEarnedCertificates(tx, user.id, catalog))).map((c) => c.courseKey),
    ).toEqual(["an-toan-thong-tin"]);
  });

  it("a lesson added to a course later leaves existing certificates valid", async () => {
    const user = await createUser();
    await finish(user.id, "dich-vu-cong-truc-tuyen", ["c"]);
    const db = await getDb();
    const [cert] = await db.transaction((tx) => issueEarnedCertificates(tx, user.id, catalog));
    const grown = {
      ...catalog,
      courses: courses.map((c) =>
        c.id === "dich-vu-cong-truc-tuyen"
          ? { ...c, lessons: [...c.lessons, { id: "new", audience: "all" as const, hasQuiz: true }] }
          : c,
      ),
    };
    expect(await db.transaction((tx) => issueEarnedCertificates(tx, user.id, grown))).toEqual([]);
    const verified = await findCertificateByCode(cert!.code);
    expect(verified?.revokedAt).toBeNull();
  });

  it("the office revokes a certificate with a reason and verification says so", async () => {
    // A ward's office: the holder is in no ward, so every ward's office handles their certificates.
    const office = await createUser({ role: "office", wardId: (await createWard()).id });
    const user = await createUser({ displayName: "Lê Văn Tám" });
    await finish(user.id, "dich-vu-cong-truc-tuyen", ["c"]);
    const db = await getDb();
    const [cert] = await db.transaction((tx) => issueEarnedCertificates(tx, user.id, catalog));
    expect(
      await revokeCertificate(await actorOf(office.id), { code: cert!.code, reason: "Cấp nhầm người" }),
    ).toEqual({ ok: true });
    expect(
      await revokeCertificate(await actorOf(office.id), { code: cert!.code, reason: "Lần nữa" }),
    ).toEqual({
      ok: false,
      reason: "already_revoked",
    });
    const verified = await findCertificateByCode(cert!.code);
    expect(verified).toMatchObject({ holderName: "Lê Văn Tám", revokedReason: "Cấp nhầm người" });
    expect(verified?.revokedAt).toBeInstanceOf(Date);
    const [audit] = await db
      .select()
      .from(s.auditLog)
      .where(and(eq(s.auditLog.action, "certificate.revoked"), eq(s.auditLog.entityId, cert!.code)));
    expect(audit?.actorUserId).toBe(office.id);
  });

  it("an office sees and revokes only its own ward's certificates (and those of people in no ward)", async () => {
    const db = await getDb();
    const home = await createWard();
    const away = await createWard();
    const { group } = await createGroup(home.id);
    const household = await createHousehold(group.id);
    const resident = await createResident(household.id, { fullName: "Châu Thị Chín" });
    const ours = await createUser({ displayName: "Châu Thị Chín", residentId: resident.id });
    const unplaced = await createUser({ displayName: "Khưu Văn Mười" });
    const awayHousehold = await createHousehold((await createGroup(away.id)).group.id);
    const theirs = await createUser({ residentId: (await createResident(awayHousehold.id)).id });
    await finish(theirs.id, "dich-vu-cong-truc-tuyen", ["c"]);
    await db.transaction((tx) => issueEarnedCertificates(tx, theirs.id, catalog));
    for (const u of [ours, unplaced]) await finish(u.id, "dich-vu-cong-truc-tuyen", ["c"]);
    const [ourCert] = await db.transaction((tx) => issueEarnedCertificates(tx, ours.id, catalog));
    const [unplacedCert] = await db.transaction((tx) => issueEarnedCertificates(tx, unplaced.id, catalog));

    const awayOffice = await actorOf((await createUser({ role: "office", wardId: away.id })).id);
    const homeOffice = await actorOf((await createUser({ role: "office", wardId: home.id })).id);
    const admin = await actorOf((await createUser({ role: "admin" })).id);
    const awayList = (await searchCertificates(awayOffice, { query: "", limit: 500 })).map((c) => c.code);
    expect(awayList).not.toContain(ourCert!.code);
    expect(awayList).toContain(unplacedCert!.code);
    expect((await searchCertificates(homeOffice, { query: "Châu Thị" })).map((c) => c.code)).toEqual([
      ourCert!.code,
    ]);
    expect((await certificateCounts(homeOffice)).total).toBeLessThan((await certificateCounts(admin)).total);
    expect(await revokeCertificate(awayOffice, { code: ourCert!.code, reason: "Thử" })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect((await findCertificateByCode(ourCert!.code))?.revokedAt).toBeNull();
  });

  it("verification shows only the holder's name, the course, the date and the status", async () => {
    const user = await createUser({ displayName: "Võ Thị Sáu", phone: "+84905999888" });
    await finish(user.id, "dich-vu-cong-truc-tuyen", ["c"]);
    const db = await getDb();
    const [cert] = await db.transaction((tx) => issueEarnedCertificates(tx, user.id, catalog));
    const verified = await findCertificateByCode(cert!.code);
    expect(Object.keys(verified!).sort()).toEqual([
      "code",
      "courseKey",
      "holderName",
      "issuedAt",
      "revokedAt",
      "revokedReason",
    ]);
    expect(JSON.stringify(verified)).not.toContain("905999888");
  });

  it("the printable PDF carries the Vietnamese text with its diacritics", async () => {
    const pdf = await renderCertificatePdf({
      code: "ABCD-2345",
      holderName: "Nguyễn Thị Hồng Nhung",
      title: "An toàn thông tin cơ bản trong cộng đồng",
      subtitle: "Chứng nhận hoàn thành bồi dưỡng kỹ năng số cơ bản",
      issuedAt: new Date("2026-11-20T03:00:00Z"),
      revoked: false,
      verifyUrl: "http://localhost:3000/verify/ABCD-2345",
    });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    for (const phrase of [
      "GIẤY CHỨNG NHẬN",
      "Nguyễn Thị Hồng Nhung",
      "An toàn thông tin cơ bản trong cộng đồng",
      "bồi dưỡng kỹ năng số",
      "ABCD-2345",
    ]) {
      expect(text).toContain(phrase);
    }
  });
});

describe("assisted learning", () => {
  it("a member's help is recorded on the resident's progress, and the office sees the share", async () => {
    const ward = await createWard();
    const { group, team } = await createGroup(ward.id);
    const member = await createUser({ role: "member" });
    await addMember(team.id, member.id);
    const household = await createHousehold(group.id);
    const resident = await createResident(household.id, { fullName: "Hồ Thị Lan" });
    const db = await getDb();
    const [managed] = await db
      .insert(s.users)
      .values({ displayName: resident.fullName, role: "resident", residentId: resident.id })
      .returning();
    await finish(managed!.id, "dich-vu-cong-truc-tuyen", ["c"], member.id);
    const office = await actorOf((await createUser({ role: "office", wardId: ward.id })).id);
    const share = await getAssistedShare(office);
    expect(share.assistedLessons).toBeGreaterThanOrEqual(1);
    expect(share.byMember.some((m) => m.name === member.displayName)).toBe(true);
    const training = await getMembersTraining(office);
    expect(training.map((t) => t.userId)).toEqual([member.id]);
  });
});

describe("learning on behalf of a resident", () => {
  async function memberRequest(userId: number, role: "member" | "leader" = "member") {
    const { createSession, generateSessionToken, SESSION_COOKIE } = await import("~/session.server");
    const token = generateSessionToken();
    await createSession(token, { id: userId, role }, null);
    return new Request("http://localhost/courses", { headers: { Cookie: `${SESSION_COOKIE}=${token}` } });
  }

  it("a member beside a resident of their group learns on the resident's account, recorded as assisted", async () => {
    const { requireLearner, startAssisting, stopAssisting } = await import("~/learner.server");
    const ward = await createWard();
    const { group, team } = await createGroup(ward.id);
    const member = await createUser({ role: "member", displayName: "Đoàn viên Minh" });
    await addMember(team.id, member.id);
    const resident = await createResident((await createHousehold(group.id)).id, {
      fullName: "Trương Văn Bảy",
    });
    const request = await memberRequest(member.id);

    expect((await requireLearner(request)).learner).toMatchObject({ userId: member.id, assistedBy: null });
    expect(
      await startAssisting({ request, actor: await fieldActorOf(member.id), residentId: resident.id }),
    ).toEqual({ ok: true, name: "Trương Văn Bảy" });
    const { learner } = await requireLearner(request);
    expect(learner).toMatchObject({ name: "Trương Văn Bảy", assistedBy: member.id });
    const db = await getDb();
    const [account] = await db
      .select({ id: s.users.id, passwordHash: s.users.passwordHash })
      .from(s.users)
      .where(eq(s.users.residentId, resident.id));
    expect(account).toEqual({ id: learner.userId, passwordHash: null });

    // Starting again reuses the same managed account.
    await startAssisting({ request, actor: await fieldActorOf(member.id), residentId: resident.id });
    const accounts = await db
      .select({ id: s.users.id })
      .from(s.users)
      .where(eq(s.users.residentId, resident.id));
    expect(accounts).toHaveLength(1);

    await stopAssisting(request);
    expect((await requireLearner(request)).learner.userId).toBe(member.id);
  });

  it("a member cannot learn on behalf of a resident of another team's group", async () => {
    const { startAssisting } = await import("~/learner.server");
    const ward = await createWard();
    const mine = await createGroup(ward.id);
    const other = await createGroup(ward.id);
    const member = await createUser({ role: "member" });
    await addMember(mine.team.id, member.id);
    const stranger = await createResident((await createHousehold(other.group.id)).id);
    const request = await memberRequest(member.id);
    expect(
      await startAssisting({ request, actor: await fieldActorOf(member.id), residentId: stranger.id }),
    ).toEqual({ ok: false, reason: "not_in_team" });
  });

  it("ending a membership ends the assistance", async () => {
    const { requireLearner, startAssisting } = await import("~/learner.server");
    const ward = await createWard();
    const { group, team } = await createGroup(ward.id);
    const member = await createUser({ role: "member" });
    const membership = await addMember(team.id, member.id);
    const resident = await createResident((await createHousehold(group.id)).id);
    const request = await memberRequest(member.id);
    await startAssisting({ request, actor: await fieldActorOf(member.id), residentId: resident.id });
    const db = await getDb();
    await db.update(s.teamMembers).set({ endedAt: new Date() }).where(eq(s.teamMembers.id, membership.id));
    expect((await requireLearner(request)).learner).toMatchObject({ userId: member.id, assistedBy: null });
  });
});

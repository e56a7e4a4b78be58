/**
 * The demo ward: Phường An Hải with 8 residential groups, about 640 households and 2,200
 * residents, a Tổ CNSCĐ of 7 per group (a leader and six members), an office user, an admin,
 * and some field work and learning already done, so every page has something to show.
 * Deterministic (a seeded random generator) and idempotent: a second run changes nothing.
 */
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "./client.server";
import * as s from "./schema";
import { seedCertificates } from "./seed-certificates";

export const DEMO_PASSWORD = "AnHai@2026";

export const demoAccounts = [
  { role: "admin", login: "admin@hocso.demo", name: "Quản trị HọcSố" },
  { role: "office", login: "vanhoa@anhai.demo", name: "Trần Thị Thu Hà (Phòng Văn hoá – Xã hội)" },
  { role: "leader", login: "0905000101", name: "Tổ trưởng Tổ dân phố 1" },
  { role: "member", login: "0905000102", name: "Thành viên Tổ dân phố 1" },
  { role: "resident", login: "0905123456", name: "Người dân Tổ dân phố 1" },
] as const;

const SURNAMES = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Huỳnh",
  "Phan",
  "Võ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
  "Đoàn",
  "Trương",
  "Lương",
];
const SURNAME_WEIGHTS = [30, 12, 10, 8, 5, 6, 5, 6, 3, 3, 3, 3, 2, 1, 1, 1, 1, 1];
const MALE_MIDDLE = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Xuân", "Gia"];
const FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Bảo", "Phương"];
const MALE_GIVEN = [
  "Hùng",
  "Dũng",
  "Tuấn",
  "Nam",
  "Long",
  "Phúc",
  "Khánh",
  "Huy",
  "Tài",
  "Sơn",
  "Bình",
  "Trung",
  "Quang",
  "Hải",
  "Thắng",
  "Đạt",
  "Lợi",
  "Phong",
  "Vinh",
  "Tín",
  "Hoà",
  "Cường",
  "An",
  "Bảo",
  "Khoa",
];
const FEMALE_GIVEN = [
  "Lan",
  "Hoa",
  "Hương",
  "Mai",
  "Hạnh",
  "Trang",
  "Thảo",
  "Linh",
  "Nhung",
  "Yến",
  "Vân",
  "Hà",
  "Loan",
  "Oanh",
  "Thuỷ",
  "Tâm",
  "Ngân",
  "Diệu",
  "Quyên",
  "Hằng",
  "Nga",
  "Phượng",
  "Xuân",
  "Châu",
  "Vy",
];
const STREETS = [
  "Ngô Quyền",
  "Phạm Văn Đồng",
  "Hồ Nghinh",
  "Nguyễn Công Trứ",
  "Trần Hưng Đạo",
  "Lê Văn Duyệt",
  "Phan Tứ",
  "Hà Bổng",
  "Dương Vân Nga",
  "Phước Mỹ",
  "An Hải 1",
  "An Hải 5",
  "An Hải 12",
  "An Hải Bắc 3",
  "Lê Hữu Trác",
  "Nguyễn Văn Thoại",
  "Trần Quang Khải",
  "Lý Thường Kiệt",
  "Hoàng Kế Viêm",
  "Chính Hữu",
];
const GROUP_ORIGINS = [
  "An Hải Bắc",
  "An Hải Bắc",
  "An Hải Bắc",
  "An Hải Nam",
  "An Hải Nam",
  "An Hải Nam",
  "Phước Mỹ",
  "Phước Mỹ",
];
const AFFILIATIONS = [
  "Đoàn Thanh niên",
  "Giáo viên",
  "Hội Liên hiệp Phụ nữ",
  "Đảng viên",
  "Công an khu vực",
  "Hội Cựu chiến binh",
];

const GROUP_COUNT = 8;
const HOUSEHOLDS_PER_GROUP = 80;
const MEMBERS_PER_TEAM = 6;
/** The demo's "now": residents' ages and visit dates are relative to it. */
const THIS_YEAR = 2026;

const LESSONS: Record<string, string[]> = {
  "nen-tang-so": [
    "to-cnscd-va-phuong-an-hai",
    "danang-smart-city",
    "tong-dai-1022-va-zalo",
    "cai-dat-va-kich-hoat-vneid",
    "vneid-bhyt-ngan-hang-va-phan-anh",
  ],
  "dich-vu-cong-truc-tuyen": [
    "dang-nhap-cong-dich-vu-cong",
    "nop-va-theo-doi-ho-so",
    "thanh-toan-phi-truc-tuyen",
    "thu-tuc-thuong-gap",
    "vietqr-va-hoa-don-dien-tu",
  ],
  "an-toan-thong-tin": [
    "nhan-dien-gia-danh",
    "duong-link-ung-dung-va-otp",
    "mat-khau-va-xac-thuc-hai-lop",
    "bao-ve-thong-tin-ca-nhan",
    "khi-bi-lua-dao",
    "kiem-tra-the-thanh-vien",
  ],
};

const MEMBER_LESSONS = [
  { courseId: "nen-tang-so", lessonId: "huong-dan-nguoi-dan" },
  { courseId: "an-toan-thong-tin", lessonId: "ghi-nhan-chuyen-tham-ho" },
];

/** mulberry32: small, fast, deterministic. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
    weighted: <T>(list: readonly T[], weights: readonly number[]): T => {
      const total = weights.reduce((x, y) => x + y, 0);
      let r = next() * total;
      for (let i = 0; i < list.length; i++) {
        r -= weights[i]!;
        if (r < 0) return list[i]!;
      }
      return list[list.length - 1]!;
    },
  };
}

type Rng = ReturnType<typeof rng>;

function personName(r: Rng, surname: string, female: boolean): string {
  const middle = r.pick(female ? FEMALE_MIDDLE : MALE_MIDDLE);
  const given = r.pick(female ? FEMALE_GIVEN : MALE_GIVEN);
  return `${surname} ${middle} ${given}`;
}

const LINK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
function linkCode(r: Rng): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += LINK_ALPHABET[Math.floor(r.next() * LINK_ALPHABET.length)];
  return code;
}

async function insertChunked<T extends Record<string, unknown>>(
  tx: Tx,
  table: Parameters<Tx["insert"]>[0],
  rows: T[],
  size = 500,
) {
  for (let i = 0; i < rows.length; i += size) {
    await tx.insert(table).values(rows.slice(i, i + size) as never);
  }
}

export interface SeedResult {
  created: boolean;
  households: number;
  residents: number;
}

/** Seeds the demo ward unless it is already there. One transaction: all or nothing. */
export async function seedDemo(db: Db, passwordHash: string): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: s.wards.id }).from(s.wards).where(eq(s.wards.code, "an-hai"));
    if (existing.length > 0) {
      const [counts] = await tx
        .select({
          households: sql<number>`(select count(*)::int from ${s.households})`,
          residents: sql<number>`(select count(*)::int from ${s.residents})`,
        })
        .from(s.wards)
        .limit(1);
      return { created: false, households: counts?.households ?? 0, residents: counts?.residents ?? 0 };
    }
    const r = rng(20251028);
    const now = new Date(`${THIS_YEAR}-11-20T09:00:00+07:00`);

    const [ward] = await tx
      .insert(s.wards)
      .values({ code: "an-hai", name: "Phường An Hải" })
      .returning({ id: s.wards.id });
    const wardId = ward!.id;

    const groups = await tx
      .insert(s.residentialGroups)
      .values(
        Array.from({ length: GROUP_COUNT }, (_, i) => ({
          wardId,
          code: `TDP${String(i + 1).padStart(2, "0")}`,
          name: `Tổ dân phố ${i + 1}`,
        })),
      )
      .returning({ id: s.residentialGroups.id, code: s.residentialGroups.code });

    // Households and residents.
    const householdRows: (typeof s.households.$inferInsert)[] = [];
    const householdSurname: string[] = [];
    groups.forEach((group, gi) => {
      for (let h = 0; h < HOUSEHOLDS_PER_GROUP; h++) {
        const poverty = r.chance(0.05) ? "poor" : r.chance(0.07) ? "near_poor" : "none";
        householdRows.push({
          groupId: group.id,
          code: `AH-${group.code}-${String(h + 1).padStart(3, "0")}`,
          linkCode: linkCode(r),
          address: `${r.int(1, 220)} ${r.pick(STREETS)}, ${GROUP_ORIGINS[gi]}`,
          povertyStatus: poverty,
        });
        householdSurname.push(r.weighted(SURNAMES, SURNAME_WEIGHTS));
      }
    });
    const insertedHouseholds: { id: number; groupId: number }[] = [];
    for (let i = 0; i < householdRows.length; i += 500) {
      insertedHouseholds.push(
        ...(await tx
          .insert(s.households)
          .values(householdRows.slice(i, i + 500))
          .returning({ id: s.households.id, groupId: s.households.groupId })),
      );
    }

    const residentRows: (typeof s.residents.$inferInsert)[] = [];
    insertedHouseholds.forEach((household, hi) => {
      const surname = householdSurname[hi]!;
      const size = r.weighted([1, 2, 3, 4, 5, 6], [6, 18, 26, 30, 14, 6]);
      const headAge = r.int(28, 88);
      for (let p = 0; p < size; p++) {
        const female = p === 1 ? true : r.chance(0.5);
        let age: number;
        if (p === 0) age = headAge;
        else if (p === 1) age = Math.max(20, headAge + r.int(-6, 4));
        else if (headAge > 65 && r.chance(0.5)) age = r.int(30, headAge - 20);
        else age = r.int(1, Math.max(2, headAge - 20));
        const adult = age >= 18;
        residentRows.push({
          householdId: household.id,
          fullName: personName(r, p === 1 ? r.weighted(SURNAMES, SURNAME_WEIGHTS) : surname, female),
          birthYear: THIS_YEAR - age,
          isHighSchoolStudent: age >= 15 && age <= 17,
          isEnterpriseWorker: adult && age < 60 && r.chance(0.3),
          isFreelanceWorker: adult && age < 65 && r.chance(0.12),
          isSmallTrader: adult && age < 70 && r.chance(0.1),
          consentAt: now,
        });
      }
    });
    const insertedResidents: { id: number; householdId: number; fullName: string; birthYear: number }[] = [];
    for (let i = 0; i < residentRows.length; i += 500) {
      insertedResidents.push(
        ...(await tx
          .insert(s.residents)
          .values(residentRows.slice(i, i + 500))
          .returning({
            id: s.residents.id,
            householdId: s.residents.householdId,
            fullName: s.residents.fullName,
            birthYear: s.residents.birthYear,
          })),
      );
    }

    // Staff accounts.
    await tx.insert(s.users).values([
      {
        email: "admin@hocso.demo",
        displayName: demoAccounts[0].name,
        role: "admin",
        passwordHash,
        consentAt: now,
        emailVerifiedAt: now,
      },
      {
        email: "vanhoa@anhai.demo",
        displayName: demoAccounts[1].name,
        role: "office",
        wardId,
        passwordHash,
        consentAt: now,
        emailVerifiedAt: now,
      },
    ]);

    // Teams: a leader and six members per residential group. Group 1's leader and first member
    // are the demo accounts; the others get numbers 0905 0GG 1NN so they can sign in too.
    const memberUserIdsByGroup = new Map<number, number[]>();
    for (const [gi, group] of groups.entries()) {
      const [team] = await tx
        .insert(s.teams)
        .values({ groupId: group.id, name: `Tổ Công nghệ số cộng đồng – Tổ dân phố ${gi + 1}` })
        .returning({ id: s.teams.id });
      const people = Array.from({ length: MEMBERS_PER_TEAM + 1 }, (_, mi) => {
        const female = r.chance(0.5);
        const name = personName(r, r.weighted(SURNAMES, SURNAME_WEIGHTS), female);
        return {
          phone: `+84905${String(gi).padStart(3, "0")}${String(101 + mi).padStart(3, "0")}`,
          displayName: name,
          role: (mi === 0 ? "leader" : "member") as s.Role,
          passwordHash,
          consentAt: now,
        };
      });
      const inserted = await tx
        .insert(s.users)
        .values(people)
        .returning({ id: s.users.id, role: s.users.role });
      await tx.insert(s.teamMembers).values(
        inserted.map((u, mi) => ({
          teamId: team!.id,
          userId: u.id,
          role: (u.role === "leader" ? "leader" : "member") as "leader" | "member",
          affiliation: mi === 0 ? "Tổ trưởng tổ dân phố" : AFFILIATIONS[(mi - 1) % AFFILIATIONS.length],
          badgeCode: linkCode(r) + linkCode(r).slice(0, 4),
          startedAt: new Date(`${THIS_YEAR - 1}-11-01T08:00:00+07:00`),
        })),
      );
      memberUserIdsByGroup.set(
        group.id,
        inserted.map((u) => u.id),
      );
    }

    // The demo resident: the first adult of group 1's first household, with an account.
    const firstHousehold = insertedHouseholds[0]!;
    const demoResident = insertedResidents.find(
      (p) => p.householdId === firstHousehold.id && THIS_YEAR - p.birthYear >= 18,
    )!;
    await tx.update(s.residents).set({ phone: "+84905123456" }).where(eq(s.residents.id, demoResident.id));
    await tx.insert(s.users).values({
      phone: "+84905123456",
      displayName: demoResident.fullName,
      role: "resident",
      residentId: demoResident.id,
      passwordHash,
      consentAt: now,
      residentLinkConfirmedAt: now,
    });

    // Assignments: each household to one member of its group's team, round robin.
    const assignmentRows: (typeof s.householdAssignments.$inferInsert)[] = [];
    const counters = new Map<number, number>();
    for (const household of insertedHouseholds) {
      const memberIds = memberUserIdsByGroup.get(household.groupId)!;
      const n = counters.get(household.groupId) ?? 0;
      counters.set(household.groupId, n + 1);
      assignmentRows.push({
        householdId: household.id,
        memberUserId: memberIds[1 + (n % MEMBERS_PER_TEAM)]!,
        assignedBy: memberIds[0]!,
      });
    }
    await insertChunked(tx, s.householdAssignments, assignmentRows);

    // Field work so far: earlier groups are further along, so the dashboard has a spread.
    const householdById = new Map(insertedHouseholds.map((h) => [h.id, h]));
    const groupIndex = new Map(groups.map((g, i) => [g.id, i]));
    const assignedTo = new Map(assignmentRows.map((a) => [a.householdId, a.memberUserId]));
    const visitRows: (typeof s.visits.$inferInsert)[] = [];
    const visitedHouseholds = new Set<number>();
    for (const household of insertedHouseholds) {
      const progress = 0.85 - 0.08 * groupIndex.get(household.groupId)!;
      if (!r.chance(progress)) continue;
      visitedHouseholds.add(household.id);
      const visitsHere = r.weighted([1, 2, 3], [60, 30, 10]);
      for (let v = 0; v < visitsHere; v++) {
        const day = new Date(now.getTime() - r.int(1, 120) * 86400000);
        visitRows.push({
          householdId: household.id,
          memberUserId: assignedTo.get(household.id)!,
          visitedOn: day.toISOString().slice(0, 10),
          topics: v === 0 ? ["vneid", "dsc", "an_toan"] : [r.pick(["dvc", "thanh_toan", "bdhvs", "an_toan"])],
          notes:
            v === 0
              ? "Giới thiệu Tổ CNSCĐ, hướng dẫn cài Danang Smart City."
              : "Hướng dẫn thêm theo yêu cầu của gia đình.",
        });
      }
    }
    await insertChunked(tx, s.visits, visitRows);

    const skillEvents: (typeof s.skillRecords.$inferInsert)[] = [];
    for (const person of insertedResidents) {
      const age = THIS_YEAR - person.birthYear;
      if (age < 14 || !visitedHouseholds.has(person.householdId)) continue;
      const household = householdById.get(person.householdId)!;
      const recorder = assignedTo.get(household.id)!;
      const elderly = age >= 60;
      const add = (skill: s.SkillKey, p: number) => {
        if (!r.chance(elderly ? p * 0.7 : p)) return false;
        skillEvents.push({
          residentId: person.id,
          skill,
          method: r.weighted(["assisted", "confirmed", "self"] as const, [50, 35, 15]),
          recordedBy: recorder,
          recordedAt: new Date(now.getTime() - r.int(1, 90) * 86400000),
        });
        return true;
      };
      if (age >= 16 && add("vneid_installed", 0.85)) {
        if (add("vneid_level2", 0.85)) {
          add("bhyt_in_vneid", 0.6);
          add("dvc_account", 0.55);
        }
        add("bdhvs_confirmed", 0.4);
      }
      add("dsc_installed", 0.6);
      add("cashless_payment", 0.55);
    }
    await insertChunked(tx, s.skillRecords, skillEvents);
    await insertChunked(
      tx,
      s.residentSkills,
      skillEvents.map((e) => ({
        residentId: e.residentId,
        skill: e.skill,
        method: e.method,
        recordedAt: e.recordedAt!,
      })),
    );

    // Learning so far: members are well into the first training round; some residents
    // (helped at the door, so with managed accounts) have started.
    const allLessons = Object.entries(LESSONS).flatMap(([courseId, ids]) =>
      ids.map((lessonId) => ({ courseId, lessonId })),
    );
    const progressRows: (typeof s.lessonProgress.$inferInsert)[] = [];
    const learnerDone = (userId: number, share: number, assistedBy: number | null) => {
      const count = Math.round(allLessons.length * share);
      for (const lesson of allLessons.slice(0, count)) {
        const at = new Date(now.getTime() - r.int(1, 60) * 86400000);
        progressRows.push({ userId, ...lesson, readAt: at, passedAt: at, assistedBy, updatedAt: at });
      }
    };
    for (const ids of memberUserIdsByGroup.values()) {
      for (const id of ids) {
        const share = r.pick([0.4, 0.6, 0.8, 0.8, 1]);
        learnerDone(id, share, null);
        // Members also take the members-only lessons; those who finished everything did these too.
        if (share === 1) {
          for (const lesson of MEMBER_LESSONS) {
            const at = new Date(now.getTime() - r.int(1, 60) * 86400000);
            progressRows.push({
              userId: id,
              ...lesson,
              readAt: at,
              passedAt: at,
              assistedBy: null,
              updatedAt: at,
            });
          }
        }
      }
    }
    const learners = insertedResidents.filter(
      (p) => THIS_YEAR - p.birthYear >= 15 && visitedHouseholds.has(p.householdId) && r.chance(0.25),
    );
    for (let i = 0; i < learners.length; i += 500) {
      const slice = learners.slice(i, i + 500);
      const managed = await tx
        .insert(s.users)
        .values(
          slice.map((p) => ({
            displayName: p.fullName,
            role: "resident" as const,
            residentId: p.id,
            consentAt: now,
            residentLinkConfirmedAt: now,
          })),
        )
        .returning({ id: s.users.id, residentId: s.users.residentId });
      for (const account of managed) {
        const person = slice.find((p) => p.id === account.residentId)!;
        learnerDone(account.id, r.pick([0.2, 0.4, 0.6, 1]), assignedTo.get(person.householdId)!);
      }
    }
    await insertChunked(tx, s.lessonProgress, progressRows);
    await seedCertificates(tx);

    return { created: true, households: insertedHouseholds.length, residents: insertedResidents.length };
  });
}

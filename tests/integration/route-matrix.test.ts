/**
 * Every route × every role: what each kind of visitor gets from the route's loader, called
 * with a real session cookie. One row per route; add a row when you add a route (the last
 * test fails when a route file has no row).
 *
 *   "page"        the page (200)
 *   "login"       redirect to the sign-in page, coming back afterwards
 *   "forbidden"   403, "Bạn không có quyền…"
 *   "not-found"   404
 *   "→/path"      redirect elsewhere (e.g. a signed-in visitor on the sign-up page)
 *   "refused"     (actions) the form came back with an error: nothing was done
 *
 * `actionMatrix` does the same for every action (a POST from the site itself), and both have
 * IDOR rows: another residential group's and another ward's records ({householdB}, {wardB}, …
 * are filled in once the second ward exists). A route that exports an action needs a POST row.
 */
import fs from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@db/schema";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { saveUpload } from "~/uploads.server";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
  createWardWorld,
} from "../support/factories";
import { cookieFor, getRequest, outcome, postRequest } from "../support/http";

type Who = "anonymous" | Role;
type Answer = "page" | "login" | "forbidden" | "not-found" | "bad-request" | "refused" | `→${string}`;
type Expectations = Record<Who, Answer>;

interface Row {
  /** The route file in app/routes, without extension. */
  file: string;
  /** An address it answers (with any params filled in). */
  path: string;
  /** The route params of that address. */
  params?: Record<string, string>;
  expect: Expectations;
}

const everyone = (answer: Answer): Expectations => ({
  anonymous: answer,
  resident: answer,
  member: answer,
  leader: answer,
  office: answer,
  admin: answer,
});
const signedIn = (answer: Answer = "page"): Expectations => ({ ...everyone(answer), anonymous: "login" });
/**
 * Signed-in people with one of `roles` get the page; other signed-in people 403;
 * anonymous visitors sign in first.
 */
const only = (...roles: Role[]): Expectations => {
  const e = signedIn("forbidden");
  for (const r of roles) e[r] = "page";
  return e;
};
const anonymousOnly = (elsewhere: Answer): Expectations => ({ ...everyone(elsewhere), anonymous: "page" });

const routeMatrix: Row[] = [
  // Public
  { file: "_index", path: "/", expect: everyone("page") },
  { file: "healthz", path: "/healthz", expect: everyone("page") },
  { file: "readyz", path: "/readyz", expect: everyone("page") },
  { file: "$", path: "/khong-co-trang-nay", expect: everyone("not-found") },
  { file: "privacy", path: "/privacy", expect: everyone("page") },
  { file: "login", path: "/login", expect: anonymousOnly("→/") },
  { file: "logout", path: "/logout", expect: everyone("→/") },
  { file: "signup", path: "/signup", expect: anonymousOnly("→/me") },
  { file: "forgot-password", path: "/forgot-password", expect: everyone("page") },
  { file: "reset-password", path: "/reset-password?token=abc", expect: everyone("page") },
  { file: "reset-code", path: "/reset-code", expect: everyone("page") },
  { file: "verify-email", path: "/verify-email?token=abc", expect: everyone("page") },
  { file: "accept-invite", path: "/accept-invite?token=abc", expect: everyone("page") },
  // Development only (404 in production unless DEV_OUTBOX=1),
  // and then only for an admin or a visitor on this machine
  { file: "dev.outbox", path: "/dev/outbox", expect: { ...everyone("not-found"), admin: "page" } },
  // Every signed-in person
  { file: "me._index", path: "/me", expect: signedIn() },
  { file: "me.sessions", path: "/me/sessions", expect: signedIn() },
  { file: "me.password", path: "/me/password", expect: signedIn() },
  { file: "me.profile", path: "/me/profile", expect: signedIn() },
  { file: "me.data", path: "/me/data", expect: signedIn() },
  { file: "me.data[.]json", path: "/me/data.json", expect: signedIn() },
  // Only a resident not yet linked to the roster
  { file: "me.link", path: "/me/link", expect: { ...signedIn("→/me"), resident: "page" } },
  // Field work: members and leaders of a team
  { file: "field.register", path: "/field/register", expect: only("member", "leader") },
  { file: "field.link", path: "/field/link", expect: only("member", "leader") },
  // Reset codes handed over in person
  { file: "reset-codes", path: "/reset-codes", expect: only("leader", "office", "admin") },
  // Ward office
  { file: "office.members", path: "/office/members", expect: only("office", "admin") },
  { file: "office.data-requests", path: "/office/data-requests", expect: only("office", "admin") },
  // Administrator
  { file: "admin._index", path: "/admin", expect: only("admin") },
  // Courses: anyone may read; quizzes need an account; members-only lessons for teams and staff
  { file: "courses._index", path: "/courses", expect: everyone("page") },
  {
    file: "courses.$course._index",
    path: "/courses/nen-tang-so",
    params: { course: "nen-tang-so" },
    expect: everyone("page"),
  },
  {
    file: "courses.$course.$lesson._index",
    path: "/courses/nen-tang-so/danang-smart-city",
    params: { course: "nen-tang-so", lesson: "danang-smart-city" },
    expect: everyone("page"),
  },
  {
    file: "courses.$course.$lesson._index",
    path: "/courses/nen-tang-so/huong-dan-nguoi-dan",
    params: { course: "nen-tang-so", lesson: "huong-dan-nguoi-dan" },
    expect: { ...signedIn("page"), resident: "not-found" },
  },
  {
    file: "courses.$course.$lesson.quiz._index",
    path: "/courses/nen-tang-so/danang-smart-city/quiz",
    params: { course: "nen-tang-so", lesson: "danang-smart-city" },
    expect: signedIn(),
  },
  {
    file: "courses.$course.$lesson.quiz.$attempt",
    path: "/courses/nen-tang-so/danang-smart-city/quiz/999999",
    params: { course: "nen-tang-so", lesson: "danang-smart-city", attempt: "999999" },
    expect: signedIn("not-found"),
  },
  // Practice on simulated screens: anyone may practise; a members-only lesson's task is for teams and staff
  {
    file: "courses.$course.$lesson.practice.$task",
    path: "/courses/nen-tang-so/cai-dat-va-kich-hoat-vneid/practice/tim-vneid-that",
    params: { course: "nen-tang-so", lesson: "cai-dat-va-kich-hoat-vneid", task: "tim-vneid-that" },
    expect: everyone("page"),
  },
  {
    file: "courses.$course.$lesson.practice.$task",
    path: "/courses/an-toan-thong-tin/ghi-nhan-chuyen-tham-ho/practice/ghi-nhan-lan-den-nha",
    params: { course: "an-toan-thong-tin", lesson: "ghi-nhan-chuyen-tham-ho", task: "ghi-nhan-lan-den-nha" },
    expect: { ...signedIn("page"), resident: "not-found" },
  },
  {
    file: "courses.$course.$lesson.practice.$task",
    path: "/courses/nen-tang-so/cai-dat-va-kich-hoat-vneid/practice/khong-co",
    params: { course: "nen-tang-so", lesson: "cai-dat-va-kich-hoat-vneid", task: "khong-co" },
    expect: everyone("not-found"),
  },
  // Progress and certificates
  { file: "learning", path: "/learning", expect: signedIn() },
  // Nobody here has finished the course: the certificate moment sends them back to it.
  {
    file: "courses.$course.certificate",
    path: "/courses/nen-tang-so/certificate",
    params: { course: "nen-tang-so" },
    expect: signedIn("→/courses/nen-tang-so"),
  },
  {
    file: "certificates.$code",
    path: "/certificates/ABCD-2345",
    params: { code: "ABCD-2345" },
    expect: signedIn("not-found"),
  },
  {
    file: "certificates.$code[.]pdf",
    path: "/certificates/ABCD-2345.pdf",
    params: { code: "ABCD-2345" },
    expect: signedIn("not-found"),
  },
  { file: "verify._index", path: "/verify", expect: everyone("page") },
  {
    file: "verify.$code",
    path: "/verify/ABCD-2345",
    params: { code: "ABCD-2345" },
    expect: everyone("page"),
  },
  { file: "assist", path: "/assist", expect: only("member", "leader") },
  { file: "office.certificates", path: "/office/certificates", expect: only("office", "admin") },
  { file: "office.training", path: "/office/training", expect: only("office", "admin") },
  // Field work
  { file: "field._index", path: "/field", expect: only("member", "leader") },
  { file: "field.badge", path: "/field/badge", expect: only("member", "leader") },
  { file: "field.households.new", path: "/field/households/new", expect: only("member", "leader") },
  {
    file: "field.households.$id",
    path: "/field/households/999999",
    params: { id: "999999" },
    expect: { ...only("member", "leader"), member: "not-found", leader: "not-found" },
  },
  {
    file: "field.households.$id_.residents.$residentId",
    path: "/field/households/999999/residents/999999",
    params: { id: "999999", residentId: "999999" },
    expect: { ...only("member", "leader"), member: "not-found", leader: "not-found" },
  },
  { file: "field.sync", path: "/field/sync", expect: only("member", "leader") },
  { file: "team", path: "/team", expect: only("leader") },
  { file: "files.$id", path: "/files/999999", params: { id: "999999" }, expect: signedIn("not-found") },
  { file: "office.roster", path: "/office/roster", expect: only("office", "admin") },
  // Targets, dashboards, exports and quarterly reports
  // (The test's ward is the first one in its fresh database: id 1.)
  {
    file: "office._index",
    path: "/office",
    expect: { ...only("office", "admin"), office: "→/office/wards/1", admin: "→/office/city" },
  },
  // The city-wide view is for the city (admin), not a ward's own office.
  { file: "office.city", path: "/office/city", expect: only("admin") },
  {
    file: "office.wards.$wardId",
    path: "/office/wards/999999",
    params: { wardId: "999999" },
    expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" },
  },
  {
    file: "office.groups.$groupId",
    path: "/office/groups/999999",
    params: { groupId: "999999" },
    expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" },
  },
  {
    file: "office.groups.$groupId_.$target",
    path: "/office/groups/999999/e",
    params: { groupId: "999999", target: "e" },
    expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" },
  },
  { file: "export[.]csv", path: "/export.csv?table=ward-targets&ward=1", expect: only("office", "admin") },
  { file: "export[.]xlsx", path: "/export.xlsx?table=ward-targets&ward=1", expect: only("office", "admin") },
  // Exports check what they are asked for before who asks:
  // an unknown table is a bad request for anyone signed in.
  { file: "export[.]csv", path: "/export.csv?table=khong-co", expect: signedIn("bad-request") },
  { file: "report[.]xlsx", path: "/report.xlsx?ward=1&quarter=2026-Q4", expect: only("office", "admin") },
  {
    file: "report[.]xlsx",
    path: "/report.xlsx?team=1&quarter=2026-Q4",
    expect: only("member", "leader", "office", "admin"),
  },
  {
    file: "reports._index",
    path: "/reports",
    expect: {
      ...signedIn("forbidden"),
      member: "→/reports/teams/1",
      leader: "→/reports/teams/1",
      office: "→/reports/wards/1",
      admin: "→/office/city",
    },
  },
  {
    file: "reports.wards.$wardId",
    path: "/reports/wards/999999",
    params: { wardId: "999999" },
    expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" },
  },
  {
    file: "reports.teams.$teamId",
    path: "/reports/teams/999999",
    params: { teamId: "999999" },
    expect: signedIn("not-found"),
  },
  {
    file: "reports.teams.$teamId",
    path: "/reports/teams/1",
    params: { teamId: "1" },
    expect: { ...only("member", "leader", "office", "admin") },
  },
  // Member badges: anyone at the door can check one
  { file: "badge._index", path: "/badge", expect: everyone("page") },
  {
    file: "badge.$code",
    path: "/badge/ZZZZZZZZZZZZ",
    params: { code: "ZZZZZZZZZZZZ" },
    expect: everyone("page"),
  },
  // IDOR: another residential group of the same ward, and another ward (B)
  {
    file: "field.households.$id",
    path: "/field/households/{householdOtherGroup}",
    params: { id: "{householdOtherGroup}" },
    expect: { ...only("member", "leader"), member: "not-found", leader: "not-found" },
  },
  {
    file: "field.households.$id",
    path: "/field/households/{householdB}",
    params: { id: "{householdB}" },
    expect: { ...only("member", "leader"), member: "not-found", leader: "not-found" },
  },
  {
    file: "field.households.$id",
    path: "/field/households/{householdA}",
    params: { id: "{householdA}" },
    expect: only("member", "leader"),
  },
  {
    file: "field.households.$id_.residents.$residentId",
    path: "/field/households/{householdB}/residents/{residentB}",
    params: { id: "{householdB}", residentId: "{residentB}" },
    expect: { ...only("member", "leader"), member: "not-found", leader: "not-found" },
  },
  {
    file: "office.wards.$wardId",
    path: "/office/wards/{wardB}",
    params: { wardId: "{wardB}" },
    expect: only("admin"),
  },
  {
    file: "office.groups.$groupId",
    path: "/office/groups/{groupB}",
    params: { groupId: "{groupB}" },
    expect: only("admin"),
  },
  {
    file: "office.groups.$groupId_.$target",
    path: "/office/groups/{groupB}/e",
    params: { groupId: "{groupB}", target: "e" },
    expect: only("admin"),
  },
  {
    file: "reports.wards.$wardId",
    path: "/reports/wards/{wardB}",
    params: { wardId: "{wardB}" },
    expect: only("admin"),
  },
  {
    file: "reports.teams.$teamId",
    path: "/reports/teams/{teamB}",
    params: { teamId: "{teamB}" },
    expect: only("admin"),
  },
  { file: "export[.]csv", path: "/export.csv?table=ward-targets&ward={wardB}", expect: only("admin") },
  { file: "report[.]xlsx", path: "/report.xlsx?ward={wardB}&quarter=2026-Q4", expect: only("admin") },
  {
    file: "files.$id",
    path: "/files/{rosterFileB}",
    params: { id: "{rosterFileB}" },
    expect: { ...signedIn("forbidden"), admin: "page" },
  },
  {
    file: "files.$id",
    path: "/files/{rosterFileA}",
    params: { id: "{rosterFileA}" },
    expect: { ...signedIn("forbidden"), office: "page", admin: "page" },
  },
  {
    file: "certificates.$code",
    path: "/certificates/{certificateB}",
    params: { code: "{certificateB}" },
    expect: { ...signedIn("not-found"), admin: "page" },
  },
  {
    file: "certificates.$code[.]pdf",
    path: "/certificates/{certificateB}.pdf",
    params: { code: "{certificateB}" },
    expect: { ...signedIn("not-found"), admin: "page" },
  },
];

interface ActionRow extends Row {
  /** The form posted (placeholders filled in like the path's). */
  fields?: Record<string, string>;
}

/**
 * Every action, posted from the site itself: who is let in,
 * and who reaches another group's or ward's records.
 */
const actionMatrix: ActionRow[] = [
  // Public forms: an empty form comes back with its errors
  { file: "login", path: "/login", expect: everyone("refused") },
  { file: "logout", path: "/logout", expect: everyone("→/") },
  { file: "signup", path: "/signup", expect: everyone("refused") },
  { file: "forgot-password", path: "/forgot-password", expect: everyone("refused") },
  { file: "reset-password", path: "/reset-password", expect: everyone("refused") },
  { file: "reset-code", path: "/reset-code", expect: everyone("refused") },
  { file: "accept-invite", path: "/accept-invite", expect: everyone("refused") },
  // Every signed-in person
  // (An action without a known intent is a bad request.)
  { file: "me._index", path: "/me", expect: signedIn("bad-request") },
  { file: "me.sessions", path: "/me/sessions", expect: signedIn("bad-request") },
  { file: "me.password", path: "/me/password", expect: signedIn("refused") },
  { file: "me.profile", path: "/me/profile", expect: signedIn("refused") },
  { file: "me.data", path: "/me/data", expect: signedIn("bad-request") },
  { file: "me.link", path: "/me/link", expect: signedIn("refused") },
  {
    file: "courses.$course.$lesson._index",
    path: "/courses/nen-tang-so/danang-smart-city",
    params: { course: "nen-tang-so", lesson: "danang-smart-city" },
    expect: signedIn("bad-request"),
  },
  {
    file: "courses.$course.$lesson.quiz._index",
    path: "/courses/nen-tang-so/danang-smart-city/quiz",
    params: { course: "nen-tang-so", lesson: "danang-smart-city" },
    expect: signedIn("page"),
  },
  // Field work
  { file: "assist", path: "/assist", expect: only("member", "leader") },
  {
    file: "field.register",
    path: "/field/register",
    expect: { ...only("member", "leader"), member: "refused", leader: "refused" },
  },
  {
    file: "field.households.new",
    path: "/field/households/new",
    expect: { ...only("member", "leader"), member: "refused", leader: "refused" },
  },
  {
    file: "field.households.$id",
    path: "/field/households/{householdA}",
    params: { id: "{householdA}" },
    expect: { ...only("member", "leader"), member: "bad-request", leader: "bad-request" },
  },
  {
    file: "field.households.$id_.residents.$residentId",
    path: "/field/households/{householdA}/residents/{residentA}",
    params: { id: "{householdA}", residentId: "{residentA}" },
    expect: { ...only("member", "leader"), member: "refused", leader: "refused" },
  },
  { file: "team", path: "/team", expect: { ...only("leader"), leader: "refused" } },
  // Only the team's leader writes its report; the office and members read it.
  {
    file: "reports.teams.$teamId",
    path: "/reports/teams/{teamA}",
    params: { teamId: "{teamA}" },
    expect: { ...only("leader"), leader: "refused" },
  },
  {
    file: "reset-codes",
    path: "/reset-codes",
    expect: { ...only("leader", "office", "admin"), leader: "refused", office: "refused", admin: "refused" },
  },
  // Ward office and administrator
  {
    file: "office.certificates",
    path: "/office/certificates",
    expect: { ...only("office", "admin"), office: "refused", admin: "refused" },
  },
  // An empty form names no request: "not found", never a server error.
  {
    file: "office.data-requests",
    path: "/office/data-requests",
    expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" },
  },
  {
    file: "office.members",
    path: "/office/members",
    expect: { ...only("office", "admin"), office: "refused", admin: "refused" },
  },
  {
    file: "office.roster",
    path: "/office/roster",
    expect: { ...only("office", "admin"), office: "bad-request", admin: "bad-request" },
  },
  {
    file: "office.wards.$wardId",
    path: "/office/wards/{wardA}",
    params: { wardId: "{wardA}" },
    expect: { ...only("office", "admin"), office: "bad-request", admin: "bad-request" },
  },
  {
    file: "office.groups.$groupId",
    path: "/office/groups/{groupA}",
    params: { groupId: "{groupA}" },
    expect: { ...only("office", "admin"), office: "bad-request", admin: "bad-request" },
  },
  { file: "admin._index", path: "/admin", expect: { ...only("admin"), admin: "not-found" } },
  // Anyone may practise; an empty tap is a bad request.
  {
    file: "courses.$course.$lesson.practice.$task",
    path: "/courses/nen-tang-so/cai-dat-va-kich-hoat-vneid/practice/tim-vneid-that",
    params: { course: "nen-tang-so", lesson: "cai-dat-va-kich-hoat-vneid", task: "tim-vneid-that" },
    expect: {
      anonymous: "bad-request",
      resident: "bad-request",
      member: "bad-request",
      leader: "bad-request",
      office: "bad-request",
      admin: "bad-request",
    },
  },
  {
    file: "field.sync",
    path: "/field/sync",
    expect: { ...only("member", "leader"), member: "bad-request", leader: "bad-request" },
  },
  // IDOR: another group's and another ward's records
  {
    file: "field.households.$id",
    path: "/field/households/{householdB}",
    params: { id: "{householdB}" },
    fields: { intent: "visit", visitedOn: "2026-11-02", topics: "vneid" },
    expect: { ...only("member", "leader"), member: "not-found", leader: "not-found" },
  },
  {
    file: "field.households.$id",
    path: "/field/households/{householdOtherGroup}",
    params: { id: "{householdOtherGroup}" },
    fields: { intent: "visit", visitedOn: "2026-11-02", topics: "vneid" },
    expect: { ...only("member", "leader"), member: "not-found", leader: "not-found" },
  },
  {
    file: "field.households.$id_.residents.$residentId",
    path: "/field/households/{householdB}/residents/{residentB}",
    params: { id: "{householdB}", residentId: "{residentB}" },
    fields: { fullName: "Đổi Tên", birthYear: "1970" },
    expect: { ...only("member", "leader"), member: "not-found", leader: "not-found" },
  },
  {
    file: "team",
    path: "/team",
    fields: { householdIds: "{householdB}", memberUserId: "{memberA}" },
    expect: { ...only("leader"), leader: "refused" },
  },
  {
    file: "reset-codes",
    path: "/reset-codes",
    fields: { identifier: "{residentEmailB}" },
    expect: { ...only("leader", "office", "admin"), leader: "refused", office: "refused", admin: "page" },
  },
  {
    file: "reset-codes",
    path: "/reset-codes",
    fields: { identifier: "{memberEmailB}" },
    expect: { ...only("leader", "office", "admin"), leader: "refused", office: "refused", admin: "page" },
  },
  {
    file: "reset-codes",
    path: "/reset-codes",
    fields: { identifier: "{residentEmailA}" },
    expect: only("leader", "office", "admin"),
  },
  {
    file: "office.certificates",
    path: "/office/certificates",
    fields: {
      intent: "revoke",
      code: "{certificateB}",
      reason: "Thử thu hồi chứng nhận phường khác",
      confirm: "on",
    },
    expect: { ...only("office", "admin"), office: "refused" },
  },
  {
    file: "reports.teams.$teamId",
    path: "/reports/teams/{teamB}",
    params: { teamId: "{teamB}" },
    fields: { difficulties: "x", proposals: "y" },
    expect: signedIn("forbidden"),
  },
];

const routesDir = path.resolve(import.meta.dirname, "../../app/routes");
const cookies = {} as Record<Role, string>;
const people = {} as Record<Role, { id: number; role: Role }>;

/** What the placeholders in the rows stand for, once the test's two wards exist. */
const ids: Record<string, string> = {};
const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, key: string) => ids[key] ?? `{${key}}`);

beforeAll(async () => {
  const ward = await createWard();
  const { group, team } = await createGroup(ward.id);
  const other = await createGroup(ward.id);
  const member = await createUser();
  await addMember(team.id, member.id, "member");
  const leader = await createUser();
  await addMember(team.id, leader.id, "leader");
  const office = await createUser({ role: "office", wardId: ward.id });
  people.resident = await createUser({ role: "resident" });
  people.member = { id: member.id, role: "member" };
  people.leader = { id: leader.id, role: "leader" };
  people.office = office;
  people.admin = await createUser({ role: "admin" });
  for (const role of Object.keys(people) as Role[]) cookies[role] = await cookieFor(people[role]);
  // Ward A's own records, another group of ward A, and ward B
  const householdA = await createHousehold(group.id);
  const residentA = await createResident(householdA.id);
  const residentUserA = await createUser({ residentId: residentA.id, residentLinkConfirmedAt: new Date() });
  const householdOtherGroup = await createHousehold(other.group.id);
  const b = await createWardWorld("B");
  const db = await getDb();
  await db.insert(s.certificates).values({
    code: "BWRD-6789",
    userId: b.residentUser.id,
    courseKey: "nen-tang-so",
    holderName: "Người phường B",
  });
  const rosterFileB = await saveUpload(
    "roster_file",
    new TextEncoder().encode("Mã hộ,Họ và tên\r\n"),
    "b.csv",
    b.office.id,
  );
  const rosterFileA = await saveUpload(
    "roster_file",
    new TextEncoder().encode("Mã hộ,Họ và tên\r\n"),
    "a.csv",
    office.id,
  );
  Object.assign(ids, {
    wardA: String(ward.id),
    groupA: String(group.id),
    teamA: String(team.id),
    householdA: String(householdA.id),
    residentA: String(residentA.id),
    residentEmailA: residentUserA.email!,
    memberA: String(member.id),
    householdOtherGroup: String(householdOtherGroup.id),
    wardB: String(b.ward.id),
    groupB: String(b.group.id),
    teamB: String(b.team.id),
    householdB: String(b.household.id),
    residentB: String(b.resident.id),
    residentEmailB: b.residentUser.email!,
    memberEmailB: b.member.email!,
    certificateB: "BWRD-6789",
    rosterFileA: String(rosterFileA),
    rosterFileB: String(rosterFileB),
  });
}, 300_000);

async function routeModule(name: string) {
  const file = fs.readdirSync(routesDir).find((f) => f.replace(/\.(tsx|ts)$/, "") === name);
  if (!file) throw new Error(`no route file ${name}`);
  return (await import(/* @vite-ignore */ path.join(routesDir, file))) as {
    loader?: (args: LoaderFunctionArgs) => unknown;
    action?: (args: ActionFunctionArgs) => unknown;
  };
}

const fillParams = (params: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, fill(v)]));

async function actionAnswerFor(row: ActionRow, who: Who): Promise<Answer> {
  const mod = await routeModule(row.file);
  if (!mod.action) throw new Error(`${row.file} has no action`);
  const fields = Object.fromEntries(Object.entries(row.fields ?? {}).map(([k, v]) => [k, fill(v)]));
  // Signing out ends the session it is sent with: give it one of its own.
  const cookie =
    who === "anonymous" ? undefined : row.file === "logout" ? await cookieFor(people[who]) : cookies[who];
  const request = postRequest(fill(row.path), fields, cookie ? { cookie } : {});
  const result = await outcome(() => mod.action!({ request, params: fillParams(row.params), context: {} }));
  if (result.kind === "page") {
    const data = result.data as { errors?: Record<string, unknown> } | null;
    return data && typeof data === "object" && data.errors && Object.keys(data.errors).length > 0
      ? "refused"
      : "page";
  }
  if (result.kind === "redirect")
    return result.location.startsWith("/login?redirectTo=") ? "login" : `→${result.location}`;
  if (result.status === 403) return "forbidden";
  if (result.status === 404) return "not-found";
  if (result.status === 400) return "bad-request";
  throw new Error(`POST ${row.path} as ${who}: unexpected status ${result.status}`);
}

async function answerFor(row: Row, who: Who): Promise<Answer> {
  const mod = await routeModule(row.file);
  if (!mod.loader) return "page";
  const request = getRequest(fill(row.path), who === "anonymous" ? undefined : cookies[who]);
  const result = await outcome(() => mod.loader!({ request, params: fillParams(row.params), context: {} }));
  if (result.kind === "page") return "page";
  if (result.kind === "redirect")
    return result.location.startsWith("/login?redirectTo=") ? "login" : `→${result.location}`;
  if (result.status === 403) return "forbidden";
  if (result.status === 404) return "not-found";
  if (result.status === 400) return "bad-request";
  throw new Error(`${row.path} as ${who}: unexpected status ${result.status}`);
}

describe("route × role matrix", () => {
  for (const row of routeMatrix) {
    it(`${row.path} (${row.file}): ${Object.entries(row.expect)
      .map(([who, answer]) => `${who} ${answer}`)
      .join(", ")}`, async () => {
      const actual = {} as Expectations;
      for (const who of Object.keys(row.expect) as Who[]) actual[who] = await answerFor(row, who);
      expect(actual, `actual: ${JSON.stringify(actual)}`).toEqual(row.expect);
    });
  }

  for (const row of actionMatrix) {
    it(`POST ${row.path}${row.fields ? ` ${JSON.stringify(row.fields)}` : ""} (${row.file}): ${Object.entries(
      row.expect,
    )
      .map(([who, answer]) => `${who} ${answer}`)
      .join(", ")}`, async () => {
      const actual = {} as Expectations;
      for (const who of Object.keys(row.expect) as Who[]) actual[who] = await actionAnswerFor(row, who);
      expect(actual, `actual: ${JSON.stringify(actual)}`).toEqual(row.expect);
    });
  }

  it("has a POST row for every route with an action", async () => {
    const files = fs.readdirSync(routesDir).map((f) => f.replace(/\.(tsx|ts)$/, ""));
    const covered = new Set(actionMatrix.map((r) => r.file));
    const missing: string[] = [];
    for (const f of files) if ((await routeModule(f)).action && !covered.has(f)) missing.push(f);
    expect(missing).toEqual([]);
  });

  it("a signed-out visitor sent to sign in comes back to the page they asked for", async () => {
    const result = await outcome(async () =>
      (await import("~/routes/me.sessions")).loader({
        request: getRequest("/me/sessions"),
        params: {},
        context: {},
      }),
    );
    expect(result).toMatchObject({ kind: "redirect", location: "/login?redirectTo=%2Fme%2Fsessions" });
  });

  it("has a row for every route file", () => {
    const files = fs.readdirSync(routesDir).map((f) => f.replace(/\.(tsx|ts)$/, ""));
    const covered = new Set(routeMatrix.map((r) => r.file));
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });
});

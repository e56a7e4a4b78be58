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
 */
import fs from "node:fs";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@db/schema";
import { addMember, createGroup, createUser, createWard } from "../support/factories";
import { cookieFor, getRequest, outcome } from "../support/http";

type Who = "anonymous" | Role;
type Answer = "page" | "login" | "forbidden" | "not-found" | "bad-request" | `→${string}`;
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

const everyone = (answer: Answer): Expectations => ({ anonymous: answer, resident: answer, member: answer, leader: answer, office: answer, admin: answer });
const signedIn = (answer: Answer = "page"): Expectations => ({ ...everyone(answer), anonymous: "login" });
/** Signed-in people with one of `roles` get the page; other signed-in people 403; anonymous visitors sign in first. */
const only = (...roles: Role[]): Expectations => {
  const e = signedIn("forbidden");
  for (const r of roles) e[r] = "page";
  return e;
};
const anonymousOnly = (elsewhere: Answer): Expectations => ({ ...everyone(elsewhere), anonymous: "page" });

export const routeMatrix: Row[] = [
  // Public
  { file: "_index", path: "/", expect: everyone("page") },
  { file: "healthz", path: "/healthz", expect: everyone("page") },
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
  // Development only (404 in production, checked in the browser tests' server setup)
  { file: "dev.outbox", path: "/dev/outbox", expect: everyone("page") },
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
  { file: "courses.$course._index", path: "/courses/nen-tang-so", params: { course: "nen-tang-so" }, expect: everyone("page") },
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
  // Progress and certificates
  { file: "learning", path: "/learning", expect: signedIn() },
  { file: "certificates.$code", path: "/certificates/ABCD-2345", params: { code: "ABCD-2345" }, expect: signedIn("not-found") },
  { file: "certificates.$code[.]pdf", path: "/certificates/ABCD-2345.pdf", params: { code: "ABCD-2345" }, expect: signedIn("not-found") },
  { file: "verify._index", path: "/verify", expect: everyone("page") },
  { file: "verify.$code", path: "/verify/ABCD-2345", params: { code: "ABCD-2345" }, expect: everyone("page") },
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
  { file: "office._index", path: "/office", expect: { ...only("office", "admin"), office: "→/office/wards/1", admin: "→/office/city" } },
  // The city-wide view is for the city (admin), not a ward's own office.
  { file: "office.city", path: "/office/city", expect: only("admin") },
  { file: "office.wards.$wardId", path: "/office/wards/999999", params: { wardId: "999999" }, expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" } },
  { file: "office.groups.$groupId", path: "/office/groups/999999", params: { groupId: "999999" }, expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" } },
  {
    file: "office.groups.$groupId_.$target",
    path: "/office/groups/999999/e",
    params: { groupId: "999999", target: "e" },
    expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" },
  },
  { file: "export[.]csv", path: "/export.csv?table=ward-targets&ward=1", expect: only("office", "admin") },
  { file: "export[.]xlsx", path: "/export.xlsx?table=ward-targets&ward=1", expect: only("office", "admin") },
  // Exports check what they are asked for before who asks: an unknown table is a bad request for anyone signed in.
  { file: "export[.]csv", path: "/export.csv?table=khong-co", expect: signedIn("bad-request") },
  { file: "report[.]xlsx", path: "/report.xlsx?ward=1&quarter=2026-Q4", expect: only("office", "admin") },
  { file: "report[.]xlsx", path: "/report.xlsx?team=1&quarter=2026-Q4", expect: only("member", "leader", "office", "admin") },
  {
    file: "reports._index",
    path: "/reports",
    expect: { ...signedIn("forbidden"), member: "→/reports/teams/1", leader: "→/reports/teams/1", office: "→/reports/wards/1", admin: "→/office/city" },
  },
  { file: "reports.wards.$wardId", path: "/reports/wards/999999", params: { wardId: "999999" }, expect: { ...only("office", "admin"), office: "not-found", admin: "not-found" } },
  { file: "reports.teams.$teamId", path: "/reports/teams/999999", params: { teamId: "999999" }, expect: signedIn("not-found") },
  { file: "reports.teams.$teamId", path: "/reports/teams/1", params: { teamId: "1" }, expect: { ...only("member", "leader", "office", "admin") } },
  // Member badges: anyone at the door can check one
  { file: "badge._index", path: "/badge", expect: everyone("page") },
  { file: "badge.$code", path: "/badge/ZZZZZZZZZZZZ", params: { code: "ZZZZZZZZZZZZ" }, expect: everyone("page") },
];

const routesDir = path.resolve(import.meta.dirname, "../../app/routes");
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  const ward = await createWard();
  const { team } = await createGroup(ward.id);
  const member = await createUser();
  await addMember(team.id, member.id, "member");
  const leader = await createUser();
  await addMember(team.id, leader.id, "leader");
  cookies.resident = await cookieFor(await createUser({ role: "resident" }));
  cookies.member = await cookieFor({ id: member.id, role: "member" });
  cookies.leader = await cookieFor({ id: leader.id, role: "leader" });
  cookies.office = await cookieFor(await createUser({ role: "office", wardId: ward.id }));
  cookies.admin = await cookieFor(await createUser({ role: "admin" }));
});

async function answerFor(row: Row, who: Who): Promise<Answer> {
  const file = fs.readdirSync(routesDir).find((f) => f.replace(/\.(tsx|ts)$/, "") === row.file);
  if (!file) throw new Error(`no route file ${row.file}`);
  const mod = (await import(/* @vite-ignore */ path.join(routesDir, file))) as { loader?: (args: LoaderFunctionArgs) => unknown };
  if (!mod.loader) return "page";
  const request = getRequest(row.path, who === "anonymous" ? undefined : cookies[who]);
  const result = await outcome(() => mod.loader!({ request, params: row.params ?? {}, context: {} }));
  if (result.kind === "page") return "page";
  if (result.kind === "redirect") return result.location.startsWith("/login?redirectTo=") ? "login" : `→${result.location}`;
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

  it("a signed-out visitor sent to sign in comes back to the page they asked for", async () => {
    const result = await outcome(async () => (await import("~/routes/me.sessions")).loader({ request: getRequest("/me/sessions"), params: {}, context: {} }));
    expect(result).toMatchObject({ kind: "redirect", location: "/login?redirectTo=%2Fme%2Fsessions" });
  });

  it("has a row for every route file", () => {
    const files = fs.readdirSync(routesDir).map((f) => f.replace(/\.(tsx|ts)$/, ""));
    const covered = new Set(routeMatrix.map((r) => r.file));
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });
});

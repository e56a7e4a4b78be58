/**
 * Files: visit photos and the office's roster files. One interface, two stores: uploadthing
 * (through its server SDK, UTApi) when UPLOADTHING_TOKEN is set, otherwise the local disk under
 * DATA_DIR/uploads. The type is decided by the file's first bytes, never by its name; a file
 * is only ever served through /files/$id, which asks `getUploadForViewer` who may see it.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "@db/client.server";
import { households, residentialGroups, uploads, users, visits } from "@db/schema";
import { dataDir, env } from "~/env.server";
import { logError } from "~/server/logging.mjs";
import { canSeeFile, type Actor } from "~/access.server";
import { PHOTO_MAX_BYTES, PHOTOS_PER_VISIT, ROSTER_MAX_BYTES } from "~/upload-limits";

export type UploadKind = "visit_photo" | "roster_file";

export { PHOTO_MAX_BYTES, PHOTOS_PER_VISIT, ROSTER_MAX_BYTES };

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// ─── Stores ─────────────────────────────────────────────────────────────────

export interface FileStore {
  /** Written into uploads.store so a file is always read back from where it went. */
  readonly name: "local" | "uploadthing";
  /** Saves the bytes and returns the store's key for them. */
  put(bytes: Uint8Array, info: { name: string; mimeType: string }): Promise<string>;
  /** The bytes, or null when the store has no such file. */
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
}

/** Files under one folder, named by a random key; the original name is kept only in the database. */
export class LocalDiskStore implements FileStore {
  readonly name = "local" as const;
  constructor(private readonly root: string) {}

  private pathFor(key: string): string {
    // Keys are ours (yyyy-mm/hex.bin); anything else never reaches the disk.
    if (!/^\d{4}-\d{2}\/[0-9a-f]{32}\.bin$/.test(key)) throw new Error(`Bad local storage key: ${key}`);
    return path.join(this.root, key);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const month = new Date().toISOString().slice(0, 7);
    const key = `${month}/${randomBytes(16).toString("hex")}.bin`;
    const file = this.pathFor(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Written under a temporary name first, so a half-written file is never read.
    const temporary = `${file}.part`;
    await fs.writeFile(temporary, bytes, { flag: "wx" });
    await fs.rename(temporary, file);
    return key;
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(this.pathFor(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathFor(key), { force: true });
  }
}

export interface UploadThingStoreOptions {
  token: string;
  /**
   * These default to uploadthing's own addresses; the SDK also reads UPLOADTHING_API_URL,
   * UPLOADTHING_INGEST_URL, UPLOADTHING_UFS_HOST.
   */
  apiUrl?: string;
  ingestUrl?: string;
  ufsHost?: string;
  ufsAppIdLocation?: "subdomain" | "path";
  fetch?: typeof fetch;
}

/**
 * uploadthing through the real server SDK. Files are uploaded private; reading one asks the SDK
 * for a short-lived signed URL and fetches it on the server, so the browser only ever sees our
 * own access-checked route.
 */
export class UploadThingStore implements FileStore {
  readonly name = "uploadthing" as const;
  private api: Promise<import("uploadthing/server").UTApi> | undefined;
  constructor(private readonly options: UploadThingStoreOptions) {}

  private utapi() {
    this.api ??= import("uploadthing/server").then(({ UTApi }) => {
      const { fetch: customFetch, ...rest } = this.options;
      return new UTApi({ ...rest, logLevel: "Error", ...(customFetch ? { fetch: customFetch } : {}) });
    });
    return this.api;
  }

  async put(bytes: Uint8Array, info: { name: string; mimeType: string }): Promise<string> {
    const { UTFile } = await import("uploadthing/server");
    const api = await this.utapi();
    const file = new UTFile([new Uint8Array(bytes)], safeName(info.name), { type: info.mimeType });
    const result = await api.uploadFiles(file, { acl: "private", contentDisposition: "attachment" });
    if (result.error || !result.data)
      throw new Error(`uploadthing upload failed: ${result.error?.message ?? "no data"}`);
    return result.data.key;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const api = await this.utapi();
    const { ufsUrl } = await api.generateSignedURL(key, { expiresIn: 60 });
    const response = await (this.options.fetch ?? fetch)(ufsUrl);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`uploadthing download failed with HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const api = await this.utapi();
    await api.deleteFiles(key);
  }
}

function safeName(name: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}._ -]/gu, "_")
    .slice(-120);
  return cleaned || "tep";
}

export function localUploadsRoot(): string {
  const dir = dataDir();
  // In-memory databases (tests) still need a folder for files: a temporary one.
  return dir.startsWith("memory://")
    ? path.join(os.tmpdir(), `hocso-uploads-${process.pid}`)
    : path.join(dir, "uploads");
}

let configuredStore: FileStore | undefined;
const storesByName = new Map<string, FileStore>();

/** The store new files go to: uploadthing when UPLOADTHING_TOKEN is set, else the local disk. */
export function currentStore(): FileStore {
  configuredStore ??= env.UPLOADTHING_TOKEN
    ? new UploadThingStore({ token: env.UPLOADTHING_TOKEN })
    : new LocalDiskStore(localUploadsRoot());
  return configuredStore;
}

/** Tests swap the store (a local folder of their own, or uploadthing against a stand-in). */
export function setStoreForTests(store: FileStore | undefined): void {
  configuredStore = store;
  storesByName.clear();
}

function storeNamed(name: string): FileStore {
  const current = currentStore();
  if (current.name === name) return current;
  let store = storesByName.get(name);
  if (!store) {
    if (name === "local") store = new LocalDiskStore(localUploadsRoot());
    else if (name === "uploadthing" && env.UPLOADTHING_TOKEN)
      store = new UploadThingStore({ token: env.UPLOADTHING_TOKEN });
    else throw new Error(`No store "${name}" is configured to read this file`);
    storesByName.set(name, store);
  }
  return store;
}

// ─── Type by content ────────────────────────────────────────────────────────

export type DetectedType = { mimeType: string; extension: string };

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return signature.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

export function detectImage(bytes: Uint8Array): DetectedType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mimeType: "image/jpeg", extension: "jpg" };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { mimeType: "image/png", extension: "png" };
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8))
    return { mimeType: "image/webp", extension: "webp" };
  return null;
}

/** An XLSX workbook is a zip holding xl/workbook.xml; a zip's member names are stored uncompressed. */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return false;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return text.includes("[Content_Types].xml") && text.includes("xl/workbook.xml");
}

/** CSV: UTF-8 text (with or without BOM), no NUL bytes, and not any binary format we know. */
export function looksLikeCsvText(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.includes(0)) return false;
  if (
    detectImage(bytes) ||
    startsWith(bytes, [0x50, 0x4b]) ||
    startsWith(bytes, ascii("MZ")) ||
    startsWith(bytes, ascii("%PDF"))
  ) {
    return false;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Text saved in an old 8-bit code page (Windows-1258): no NUL, no known binary header, mostly printable. */
function looksLikeLegacyText(bytes: Uint8Array): boolean {
  if (
    bytes.length === 0 ||
    bytes.includes(0) ||
    startsWith(bytes, [0x50, 0x4b]) ||
    startsWith(bytes, ascii("MZ")) ||
    detectImage(bytes)
  )
    return false;
  const sample = bytes.subarray(0, 4096);
  const control = sample.filter((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d).length;
  return control === 0 && sample.some((b) => b === 0x2c || b === 0x3b || b === 0x09);
}

export function detectRosterFile(bytes: Uint8Array): DetectedType | null {
  if (looksLikeXlsx(bytes)) return { mimeType: XLSX_MIME, extension: "xlsx" };
  if (looksLikeCsvText(bytes)) return { mimeType: "text/csv", extension: "csv" };
  return null;
}

export class UploadRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UploadRejected";
  }
}

/**
 * Checks a file for its kind and returns its detected type,
 * or throws UploadRejected with a message for the user.
 */
export function checkFile(kind: UploadKind, bytes: Uint8Array, name: string): DetectedType {
  const label = name ? `Tệp “${name.normalize("NFC")}”` : "Tệp";
  if (kind === "visit_photo") {
    if (bytes.length === 0) throw new UploadRejected(`${label} trống.`);
    if (bytes.length > PHOTO_MAX_BYTES)
      throw new UploadRejected(`${label} lớn quá 8 MB. Hãy chụp lại với chất lượng thấp hơn.`);
    const type = detectImage(bytes);
    if (!type) throw new UploadRejected(`${label} không phải ảnh JPEG, PNG hay WebP nên không được nhận.`);
    return type;
  }
  if (bytes.length === 0) throw new UploadRejected(`${label} trống.`);
  if (bytes.length > ROSTER_MAX_BYTES)
    throw new UploadRejected(`${label} lớn quá 5 MB. Hãy chia danh sách thành nhiều tệp.`);
  const type = detectRosterFile(bytes);
  if (!type && looksLikeLegacyText(bytes)) {
    throw new UploadRejected(
      `${label} là tệp CSV nhưng không lưu theo bảng mã UTF-8 nên chữ có dấu sẽ bị lỗi. ` +
        `Trong Excel, chọn “Lưu thành” → “CSV UTF-8”, hoặc lưu dạng .xlsx.`,
    );
  }
  if (!type)
    throw new UploadRejected(`${label} không phải bảng tính XLSX hay tệp CSV (UTF-8) nên không được nhận.`);
  return type;
}

// ─── Location data in photos ────────────────────────────────────────────────

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

/**
 * Phones write where a photo was taken (EXIF GPS) into the JPEG. A visit photo needs no home
 * coordinates, so the GPS block is blanked in place (same length, every other tag, including
 * the orientation the browser needs, kept). Returns a copy; anything unexpected leaves it as is.
 */
export function stripJpegLocation(input: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(input);
  if (!startsWith(bytes, [0xff, 0xd8])) return bytes;
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // image data starts: no more metadata
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    const start = pos + 4;
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) break;
    if (marker === 0xe1 && startsWith(bytes, ascii("Exif\0\0"), start)) blankGps(bytes, start + 6, end);
    pos = end;
  }
  return bytes;
}

function blankGps(bytes: Uint8Array, tiff: number, end: number): void {
  const little = bytes[tiff] === 0x49;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  const inside = (at: number, size: number) => at >= tiff && at + size <= end;
  if (!inside(tiff, 8)) return;
  const ifd0 = tiff + u32(tiff + 4);
  if (!inside(ifd0, 2)) return;
  const entries = u16(ifd0);
  for (let i = 0; i < entries; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (!inside(entry, 12) || u16(entry) !== 0x8825) continue;
    const gps = tiff + u32(entry + 8);
    if (!inside(gps, 2)) return;
    const count = u16(gps);
    for (let j = 0; j < count; j++) {
      const e = gps + 2 + j * 12;
      if (!inside(e, 12)) break;
      const size = (TYPE_SIZES[u16(e + 2)] ?? 1) * u32(e + 4);
      if (size > 4) {
        const data = tiff + u32(e + 8);
        if (inside(data, size)) bytes.fill(0, data, data + size);
      }
      bytes.fill(0, e, e + 12);
    }
    view.setUint16(gps, 0, little);
  }
}

// ─── Saving and serving ─────────────────────────────────────────────────────

export interface StoredFile {
  storageKey: string;
  store: string;
  kind: UploadKind;
  mimeType: string;
  sizeBytes: number;
  originalName: string;
}

/**
 * Checks and stores the bytes, returning what the uploads row needs. The caller inserts the
 * row in its own transaction (`insertUpload`) and calls `discardStoredFile` if that fails.
 */
export async function storeFile(kind: UploadKind, input: Uint8Array, name: string): Promise<StoredFile> {
  const type = checkFile(kind, input, name);
  const bytes = type.mimeType === "image/jpeg" ? stripJpegLocation(input) : input;
  const store = currentStore();
  const storageKey = await store.put(bytes, {
    name: name || `tep.${type.extension}`,
    mimeType: type.mimeType,
  });
  return {
    storageKey,
    store: store.name,
    kind,
    mimeType: type.mimeType,
    sizeBytes: bytes.length,
    originalName: (name || `tep.${type.extension}`).normalize("NFC").slice(0, 200),
  };
}

export async function discardStoredFile(file: Pick<StoredFile, "store" | "storageKey">): Promise<void> {
  await storeNamed(file.store)
    .delete(file.storageKey)
    .catch((error: unknown) => logError("could not remove an orphaned upload", error));
}

export async function insertUpload(
  db: DbOrTx,
  file: StoredFile,
  extra: { visitId?: number | null; uploadedBy: number | null },
): Promise<number> {
  const [row] = await db
    .insert(uploads)
    .values({ ...file, visitId: extra.visitId ?? null, uploadedBy: extra.uploadedBy })
    .returning({ id: uploads.id });
  return row!.id;
}

/** Stores a file and records it on its own (roster files: kept between preview and commit). */
export async function saveUpload(
  kind: UploadKind,
  bytes: Uint8Array,
  name: string,
  uploadedBy: number,
): Promise<number> {
  const file = await storeFile(kind, bytes, name);
  try {
    const db = await getDb();
    return await insertUpload(db, file, { uploadedBy });
  } catch (error) {
    await discardStoredFile(file);
    throw error;
  }
}

export interface UploadMeta {
  id: number;
  kind: UploadKind;
  mimeType: string;
  sizeBytes: number;
  originalName: string;
  store: string;
  storageKey: string;
  uploadedBy: number | null;
  /** The ward of the office user who uploaded it (roster files). */
  uploaderWardId: number | null;
  visitGroupId: number | null;
  visitWardId: number | null;
}

async function uploadMeta(uploadId: number): Promise<UploadMeta | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: uploads.id,
      kind: uploads.kind,
      mimeType: uploads.mimeType,
      sizeBytes: uploads.sizeBytes,
      originalName: uploads.originalName,
      store: uploads.store,
      storageKey: uploads.storageKey,
      uploadedBy: uploads.uploadedBy,
      uploaderWardId: users.wardId,
      visitGroupId: households.groupId,
      visitWardId: residentialGroups.wardId,
    })
    .from(uploads)
    .leftJoin(users, eq(users.id, uploads.uploadedBy))
    .leftJoin(visits, eq(visits.id, uploads.visitId))
    .leftJoin(households, eq(households.id, visits.householdId))
    .leftJoin(residentialGroups, eq(residentialGroups.id, households.groupId))
    .where(eq(uploads.id, uploadId));
  return row ?? null;
}

export type UploadForViewer =
  | { status: "ok"; meta: UploadMeta; bytes: Uint8Array }
  | { status: "not_found" }
  | { status: "forbidden" };

/** A stored file for the request's actor, if they may see it (access.server's `canSeeFile`). */
export async function getUploadForViewer({
  actor,
  uploadId,
}: {
  actor: Actor;
  uploadId: number;
}): Promise<UploadForViewer> {
  const meta = await uploadMeta(uploadId);
  if (!meta) return { status: "not_found" };
  if (!canSeeFile(actor, meta)) return { status: "forbidden" };
  const bytes = await storeNamed(meta.store).get(meta.storageKey);
  if (!bytes) return { status: "not_found" };
  return { status: "ok", meta, bytes };
}

/** The bytes of a roster file the office uploaded (between preview and commit), if the actor may see it. */
export async function readRosterUpload(
  uploadId: number,
  reader: Actor,
): Promise<{ meta: UploadMeta; bytes: Uint8Array } | null> {
  const meta = await uploadMeta(uploadId);
  if (meta?.kind !== "roster_file" || !canSeeFile(reader, meta)) return null;
  const bytes = await storeNamed(meta.store).get(meta.storageKey);
  return bytes ? { meta, bytes } : null;
}

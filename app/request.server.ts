/**
 * Reading what a request carries, once and the same way everywhere: route params and search
 * params that must be ids, and form bodies (size-capped while reading, NUL refused). Every bad
 * value becomes a thrown 400/404/413 response with a Vietnamese message that the shared error
 * boundary shows, so a hostile input never reaches the database as an error.
 */

import { MAX_ID } from "~/forms/ids";

/** A plain form (no files) is a few KB; the longest, a team's quarterly notes, stays under this. */
export const FORM_MAX_BYTES = 64 * 1024;

export const BAD_INPUT_MESSAGE = "Dữ liệu gửi lên có ký tự không hợp lệ. Hãy xoá ký tự lạ rồi gửi lại.";
export const TOO_LARGE_MESSAGE =
  "Dữ liệu gửi lên lớn quá mức cho phép. Hãy gửi ít hơn hoặc chia nhỏ rồi gửi lại.";

/**
 * Throws a response with `message` (shown by the error boundary) unless `condition` holds,
 * like the Epic Stack's helper of the same name.
 */
export function invariantResponse(condition: unknown, message: string, status = 400): asserts condition {
  if (!condition)
    throw new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** A positive database id written in digits only, or null (`12`, never `012`, `1e3`, ` 1` or 2^31). */
export function idFrom(value: unknown): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ID ? id : null;
}

/** An id from the URL (a route param or a search param): anything else is a 404 saying what was not found. */
export function requireId(
  value: FormDataEntryValue | null | undefined,
  notFound = "Không tìm thấy trang này.",
): number {
  const id = idFrom(value ?? undefined);
  invariantResponse(id !== null, notFound, 404);
  return id;
}

/** An id sent in a form field (a hidden input or a choice): anything else is a 400. */
export function requireFormId(
  value: FormDataEntryValue | null | undefined,
  message = "Dữ liệu gửi lên không đúng. Hãy tải lại trang và thử lại.",
): number {
  const id = idFrom(value ?? undefined);
  invariantResponse(id !== null, message, 400);
  return id;
}

/** A positive page number from the URL; an absent, odd or huge value is page 1. */
export function pageFrom(value: string | null): number {
  return idFrom(value ?? undefined) ?? 1;
}

/** True when text holds a NUL, which PostgreSQL refuses in any text column. */
export function hasNul(text: string): boolean {
  return text.includes("\0");
}

/** A search text from the URL, trimmed and cut to `max` letters; a NUL is a 400. */
export function searchText(url: URL, name: string, max = 100): string {
  const value = (url.searchParams.get(name) ?? "").slice(0, max);
  invariantResponse(!hasNul(value), BAD_INPUT_MESSAGE);
  return value.trim();
}

/** The body's bytes, refusing with 413 as soon as more than `maxBytes` arrive (or are announced). */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const announced = Number(request.headers.get("Content-Length") ?? "0");
  invariantResponse(!(announced > maxBytes), TOO_LARGE_MESSAGE, 413);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      invariantResponse(false, TOO_LARGE_MESSAGE, 413);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A form without files (`application/x-www-form-urlencoded`), read at most `maxBytes` and with
 * every value free of NUL. Use it instead of `request.formData()`: the body is never read past
 * the cap, so an anonymous 40 MB "password" is refused before it is read or hashed.
 */
export async function readFormData(
  request: Request,
  { maxBytes = FORM_MAX_BYTES }: { maxBytes?: number } = {},
): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  invariantResponse(!type.startsWith("multipart/form-data"), "Biểu mẫu này không nhận tệp đính kèm.", 415);
  const text = new TextDecoder().decode(await readBodyBytes(request, maxBytes));
  const form = new FormData();
  for (const [name, value] of new URLSearchParams(text)) {
    invariantResponse(!hasNul(name) && !hasNul(value), BAD_INPUT_MESSAGE);
    form.append(name, value);
  }
  return form;
}

/**
 * Reads a form that may carry files, while it streams in: nothing past the caps is ever held.
 * A file larger than its limit is kept only up to one byte past it (the rest is read and
 * dropped), so the action can say "too large" next to the field and still have every other
 * value the person typed. Files past `maxFiles` are kept empty but named, so the action can
 * say "at most N". More than `maxBytes` in all, or more than twice `maxFiles` files, stops
 * the reading with a 413 page: a 12 × 8 MB upload is refused at its sixth file or at the
 * byte cap, never buffered whole.
 */
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import {
  BAD_INPUT_MESSAGE,
  FORM_MAX_BYTES,
  hasNul,
  invariantResponse,
  readFormData,
  TOO_LARGE_MESSAGE,
} from "~/request.server";

const TEXT_LIMIT = 20_000;

export async function readForm(
  request: Request,
  {
    maxFileBytes,
    maxFiles = 1,
    maxBytes = maxFiles * maxFileBytes + FORM_MAX_BYTES,
  }: { maxFileBytes: number; maxFiles?: number; maxBytes?: number },
): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) return readFormData(request);
  const announced = Number(request.headers.get("Content-Length") ?? "0");
  invariantResponse(!(announced > maxBytes), TOO_LARGE_MESSAGE, 413);
  let total = 0;
  let files = 0;
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    invariantResponse(!hasNul(name) && !hasNul(filename ?? ""), BAD_INPUT_MESSAGE);
    const isFile = filename !== undefined;
    if (isFile) files++;
    invariantResponse(files <= maxFiles * 2, TOO_LARGE_MESSAGE, 413);
    const chunks: Uint8Array[] = [];
    let kept = 0;
    const keep = !isFile ? TEXT_LIMIT : files > maxFiles ? 0 : maxFileBytes + 1;
    for await (const chunk of data) {
      total += chunk.length;
      invariantResponse(total <= maxBytes, TOO_LARGE_MESSAGE, 413);
      if (kept >= keep) continue;
      const part = chunk.subarray(0, keep - kept);
      chunks.push(part);
      kept += part.length;
    }
    const bytes = new Uint8Array(kept);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    if (!isFile) {
      const text = new TextDecoder().decode(bytes);
      invariantResponse(!hasNul(text), BAD_INPUT_MESSAGE);
      return text;
    }
    // A file input left empty still sends a part with no name and no bytes.
    if (filename === "" && kept === 0) {
      files--;
      return undefined;
    }
    return new File([bytes], filename, { type: contentType });
  };
  try {
    return await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof Response) throw error;
    // Remix's parser gives up on a part header it cannot read: a file name with "=" or ";"
    // (which browsers send as typed), or a form cut short. The person can rename the file.
    throw new Response(UNREADABLE_MESSAGE, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

export const UNREADABLE_MESSAGE =
  "Không đọc được tệp gửi lên. Nếu tên tệp có dấu “=” hoặc “;”, " +
  "hãy đổi tên tệp (ví dụ anh-1.jpg) rồi gửi lại.";

/** The files sent under one field name, as bytes. */
export async function filesFrom(
  form: FormData,
  name: string,
): Promise<{ name: string; bytes: Uint8Array }[]> {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const value of form.getAll(name)) {
    if (typeof value === "string") continue;
    if (value.size === 0 && !value.name) continue;
    out.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return out;
}

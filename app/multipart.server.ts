/**
 * Reads a form that may carry files. A file larger than the limit is kept only up to one byte
 * past it (the rest is read and dropped), so the action can say "too large" next to the field
 * and still have every other value the person typed.
 */
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

const TEXT_LIMIT = 20_000;

export async function readForm(request: Request, { maxFileBytes }: { maxFileBytes: number }): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) return request.formData();
  const handler: UploadHandler = async ({ filename, contentType, data }) => {
    const chunks: Uint8Array[] = [];
    let kept = 0;
    const keep = filename === undefined ? TEXT_LIMIT : maxFileBytes + 1;
    for await (const chunk of data) {
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
    if (filename === undefined) return new TextDecoder().decode(bytes);
    // A file input left empty still sends a part with no name and no bytes.
    if (filename === "" && kept === 0) return undefined;
    return new File([bytes], filename, { type: contentType });
  };
  return unstable_parseMultipartFormData(request, handler);
}

/** The files sent under one field name, as bytes. */
export async function filesFrom(form: FormData, name: string): Promise<{ name: string; bytes: Uint8Array }[]> {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const value of form.getAll(name)) {
    if (typeof value === "string") continue;
    if (value.size === 0 && !value.name) continue;
    out.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return out;
}

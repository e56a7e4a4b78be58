import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/access.server";
import { forbidden } from "~/permissions.server";
import { getUploadForViewer } from "~/uploads.server";

/** Every stored file is served here, and only to someone allowed to see the record it belongs to. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  if (!params.id || !/^\d{1,9}$/.test(params.id)) throw new Response("Không tìm thấy tệp", { status: 404 });
  const result = await getUploadForViewer({ actor, uploadId: Number(params.id) });
  if (result.status === "forbidden") throw forbidden();
  if (result.status === "not_found") throw new Response("Không tìm thấy tệp", { status: 404 });
  const { meta, bytes } = result;
  const inline = meta.kind === "visit_photo";
  const filename = encodeURIComponent(meta.originalName);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": meta.mimeType,
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${filename}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, max-age=3600",
    },
  });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentHeaders, buildExport, toXlsx } from "~/exports.server";
import { requireActor } from "~/access.server";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Any dashboard or report table as an Excel workbook of one sheet. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const table = await buildExport(actor, new URL(request.url).searchParams);
  return new Response(await toXlsx([table]), { headers: attachmentHeaders(`${table.name}.xlsx`, XLSX) });
}

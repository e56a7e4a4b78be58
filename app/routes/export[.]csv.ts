import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentHeaders, buildExport, toCsv } from "~/exports.server";
import { requireActor } from "~/access.server";

/** Any dashboard or report table as CSV: /export.csv?table=…&ward=…|group=…|team=…&target=…&quarter=… */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const table = await buildExport(actor, new URL(request.url).searchParams);
  return new Response(toCsv(table), {
    headers: attachmentHeaders(`${table.name}.csv`, "text/csv; charset=utf-8"),
  });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentHeaders, reportFileName, reportFromParams, reportTables, toXlsx } from "~/exports.server";
import { requireActor } from "~/access.server";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The quarterly report as a workbook, one sheet per table: /report.xlsx?team=…|ward=…&quarter=2026-Q4 */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const report = await reportFromParams(actor, new URL(request.url).searchParams);
  return new Response(await toXlsx(reportTables(report)), {
    headers: attachmentHeaders(`${reportFileName(report)}.xlsx`, XLSX),
  });
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { QuarterPicker, QuarterlyReportView, ReportCsvLinks } from "~/components/quarterly-report";
import { requireActor, requireWard } from "~/access.server";
import { getWardQuarterlyReport } from "~/reports.server";
import { parseQuarter, quarterOf, recentQuarters } from "~/targets";
import { requireId } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.report.title ?? "Báo cáo quý"} – HọcSố` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  const ward = await requireWard(actor, requireId(params.wardId, "Không tìm thấy phường."));
  const asked = new URL(request.url).searchParams.get("quarter");
  const quarter = asked ? parseQuarter(asked) : quarterOf(new Date());
  if (!quarter) throw new Response("Quý không hợp lệ.", { status: 404 });
  const report = await getWardQuarterlyReport(ward, quarter);
  return {
    report,
    quarters: recentQuarters(new Date()),
    teams: report.notes.map((n) => ({ id: n.teamId, name: n.teamName })),
  };
}

export default function WardReport() {
  const { report, quarters, teams } = useLoaderData<typeof loader>();
  const q = report.quarter.key;
  return (
    <>
      <nav aria-label="Đường dẫn" className="breadcrumbs no-print">
        <Link to={`/office/wards/${report.wardId}`}>{report.wardName}</Link> ›{" "}
        <span aria-current="page">Báo cáo quý</span>
      </nav>
      <QuarterPicker quarters={quarters} current={q} />
      <QuarterlyReportView
        report={report}
        downloads={
          <p className="export-links no-print">
            <a
              href={`/report.xlsx?ward=${report.wardId}&quarter=${q}`}
              className="button button--primary"
              download
            >
              Tải báo cáo (Excel)
            </a>{" "}
            <ReportCsvLinks scope={`ward=${report.wardId}`} quarter={q} byGroup />
          </p>
        }
      />
      <section className="no-print" aria-labelledby="teams-title">
        <h2 id="teams-title">Báo cáo của từng Tổ</h2>
        <ul>
          {teams.map((t) => (
            <li key={t.id}>
              <Link to={`/reports/teams/${t.id}?quarter=${q}`}>{t.name}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

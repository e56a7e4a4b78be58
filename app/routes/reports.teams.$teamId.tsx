import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { QuarterPicker, QuarterlyReportView, ReportCsvLinks } from "~/components/quarterly-report";
import { assertSameOrigin } from "~/csrf.server";
import { fieldErrors } from "~/forms/auth";
import { teamReportSchema } from "~/forms/targets";
import { requireActor } from "~/access.server";
import { can } from "~/permissions.server";
import { getTeamQuarterlyReport, requireTeamReportAccess, saveTeamNotes } from "~/reports.server";
import { parseQuarter, quarterOf, recentQuarters } from "~/targets";
import { readFormData, requireId } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.report.title ?? "Báo cáo quý"} – HọcSố` },
];

function quarterFrom(request: Request) {
  const asked = new URL(request.url).searchParams.get("quarter");
  const quarter = asked ? parseQuarter(asked) : quarterOf(new Date());
  if (!quarter) throw new Response("Quý không hợp lệ.", { status: 404 });
  return quarter;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { team, canEdit } = await requireTeamReportAccess(
    actor,
    requireId(params.teamId, "Không tìm thấy Tổ."),
  );
  const quarter = quarterFrom(request);
  const report = await getTeamQuarterlyReport(team, quarter);
  return { report, team, canEdit, isOffice: can(actor.role, "office"), quarters: recentQuarters(new Date()) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireActor(request);
  const { team, canEdit } = await requireTeamReportAccess(
    actor,
    requireId(params.teamId, "Không tìm thấy Tổ."),
  );
  if (!canEdit) throw new Response("Chỉ tổ trưởng được ghi phần này.", { status: 403 });
  const quarter = quarterFrom(request);
  const form = await readFormData(request);
  const values = {
    difficulties: String(form.get("difficulties") ?? ""),
    proposals: String(form.get("proposals") ?? ""),
  };
  const parsed = teamReportSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  await saveTeamNotes({
    teamId: team.teamId,
    quarter,
    difficulties: parsed.data.difficulties,
    proposals: parsed.data.proposals,
    actorUserId: actor.id,
  });
  return redirect(`/reports/teams/${team.teamId}?quarter=${quarter.key}&saved=1#y-kien`);
}

export default function TeamReport() {
  const { report, team, canEdit, isOffice, quarters } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const q = report.quarter.key;
  const note = report.notes[0]!;
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  return (
    <>
      {isOffice ? (
        <nav aria-label="Đường dẫn" className="breadcrumbs no-print">
          <Link to={`/office/wards/${team.wardId}`}>{team.wardName}</Link> ›{" "}
          <Link to={`/office/groups/${team.groupId}`}>{team.groupName}</Link> ›{" "}
          <span aria-current="page">Báo cáo quý</span>
        </nav>
      ) : null}
      <QuarterPicker quarters={quarters} current={q} />
      <QuarterlyReportView
        report={report}
        downloads={
          <p className="export-links no-print">
            <a
              href={`/report.xlsx?team=${team.teamId}&quarter=${q}`}
              className="button button--primary"
              download
            >
              Tải báo cáo (Excel)
            </a>{" "}
            <ReportCsvLinks scope={`team=${team.teamId}`} quarter={q} byGroup={false} />
          </p>
        }
        notesForm={
          canEdit ? (
            <Form method="post" className="no-print notes-form" id="y-kien">
              <input type="hidden" name="intent" value="notes" />
              <p>
                Tổ trưởng ghi ý kiến của Tổ cho {report.quarter.label.toLowerCase()}; phường đọc được ngay khi
                lưu.
              </p>
              <TextArea
                name="difficulties"
                label="Khó khăn, vướng mắc"
                defaultValue={actionData?.values.difficulties ?? note.difficulties}
                error={errors.difficulties}
              />
              <TextArea
                name="proposals"
                label="Đề xuất, kiến nghị"
                defaultValue={actionData?.values.proposals ?? note.proposals}
                error={errors.proposals}
              />
              <button type="submit" className="button button--primary" disabled={busy}>
                Lưu ý kiến của Tổ
              </button>
            </Form>
          ) : null
        }
      />
    </>
  );
}

function TextArea({
  name,
  label,
  defaultValue,
  error,
}: {
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
}) {
  const id = `notes-${name}`;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={5}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

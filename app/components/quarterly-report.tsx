/** The quarterly report as a printable page (team or ward-wide). */
import { RetentionTable, type RetentionRowView } from "~/components/retention-table";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { percentText } from "~/components/target-charts";
import { formatDateTime, formatNumber } from "~/format";
import { sourceLabel, targetByKey, TARGETS, type Quarter, type TargetFigure } from "~/targets";
import { ScrollingTable } from "~/components/scrolling-table";

interface ActivityView {
  groupId: number;
  groupName: string;
  teamName: string | null;
  visits: number;
  householdsVisited: number;
  householdsFirstReached: number;
  learners: number;
  courseCertificates: number;
  programmeCertificates: number;
  skillsAdded: number;
  skillsWithdrawn: number;
}

export interface ReportView {
  quarter: Quarter;
  kind: "team" | "ward";
  title: string;
  wardName: string;
  asOf: string;
  activity: ActivityView[];
  total: Omit<ActivityView, "groupId" | "groupName" | "teamName">;
  certificatesByCourse: { courseKey: string; count: number; title: string }[];
  skillsBySkill: { skill: string; added: number; withdrawn: number; label: string }[];
  figures: TargetFigure[];
  groupFigures: { groupId: number; groupName: string; figures: TargetFigure[] }[];
  notes: {
    teamId: number;
    teamName: string;
    difficulties: string;
    proposals: string;
    updatedAt: string | null;
  }[];
  retention?: RetentionRowView[];
}

/** CSV links for every table of a report; `scope` is "ward=1" or "team=3". */
export function ReportCsvLinks({
  scope,
  quarter,
  byGroup,
}: {
  scope: string;
  quarter: string;
  byGroup: boolean;
}) {
  const tables: [string, string][] = [
    ["activity", "việc đã làm"],
    ["targets", "chỉ tiêu"],
    ...(byGroup ? ([["targets-by-group", "chỉ tiêu theo tổ"]] as [string, string][]) : []),
    ["certificates", "chứng nhận"],
    ["skills", "bảng kỹ năng"],
    ["notes", "khó khăn, đề xuất"],
  ];
  return (
    <>
      Từng bảng dạng CSV:{" "}
      {tables.map(([name, label], i) => (
        <span key={name}>
          {i > 0 ? " · " : ""}
          <a href={`/export.csv?table=report-${name}&${scope}&quarter=${quarter}`}>{label}</a>
        </span>
      ))}
    </>
  );
}

export function QuarterPicker({ quarters, current }: { quarters: Quarter[]; current: string }) {
  return (
    <Form method="get" className="inline-choose no-print">
      <label htmlFor="quarter">Quý</label>
      <select id="quarter" name="quarter" defaultValue={current}>
        {quarters.map((q) => (
          <option key={q.key} value={q.key}>
            {q.label}
          </option>
        ))}
      </select>
      <button type="submit" className="button">
        Xem
      </button>
    </Form>
  );
}

const activityLabels: [keyof ReportView["total"], string][] = [
  ["visits", "Lượt đến hộ"],
  ["householdsVisited", "Hộ được đến"],
  ["householdsFirstReached", "Hộ lần đầu được đến"],
  ["learners", "Người học"],
  ["courseCertificates", "Chứng nhận khoá học"],
  ["programmeCertificates", "Chứng nhận chương trình"],
  ["skillsAdded", "Kỹ năng được ghi nhận"],
  ["skillsWithdrawn", "Kỹ năng được gỡ bỏ"],
];

export function QuarterlyReportView({
  report,
  downloads,
  notesForm,
}: {
  report: ReportView;
  downloads: ReactNode;
  notesForm?: ReactNode;
}) {
  return (
    <article className="report" aria-labelledby="report-title">
      <h1 id="report-title">{report.title}</h1>
      <p>
        {report.wardName} · {report.quarter.label} · chỉ tiêu tính đến {formatDateTime(report.asOf)}.
      </p>
      <p className="no-print">
        Để in, dùng lệnh In của trình duyệt (Ctrl + P, hoặc menu ⋮ › Chia sẻ › In trên điện thoại).
      </p>
      {downloads}

      <h2>1. Việc đã làm trong quý</h2>
      <ScrollingTable>
        <table>
          <caption>Hoạt động trong {report.quarter.label.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Tổ dân phố</th>
              {activityLabels.map(([, label]) => (
                <th scope="col" key={label}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.activity.map((r) => (
              <tr key={r.groupId}>
                <th scope="row">{r.groupName}</th>
                {activityLabels.map(([k]) => (
                  <td className="num" key={k}>
                    {formatNumber(r[k])}
                  </td>
                ))}
              </tr>
            ))}
            {report.kind === "ward" ? (
              <tr className="total-row">
                <th scope="row">Toàn phường</th>
                {activityLabels.map(([k]) => (
                  <td className="num" key={k}>
                    {formatNumber(report.total[k])}
                  </td>
                ))}
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollingTable>
      <div className="two-tables">
        <ScrollingTable>
          <table>
            <caption>Chứng nhận cấp trong quý</caption>
            <thead>
              <tr>
                <th scope="col">Khoá học</th>
                <th scope="col">Số chứng nhận</th>
              </tr>
            </thead>
            <tbody>
              {report.certificatesByCourse.length === 0 ? (
                <tr>
                  <td colSpan={2}>Chưa cấp chứng nhận nào trong quý.</td>
                </tr>
              ) : (
                report.certificatesByCourse.map((c) => (
                  <tr key={c.courseKey}>
                    <th scope="row">{c.title}</th>
                    <td className="num">{formatNumber(c.count)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </ScrollingTable>
        <ScrollingTable>
          <table>
            <caption>Thay đổi bảng kỹ năng trong quý</caption>
            <thead>
              <tr>
                <th scope="col">Kỹ năng</th>
                <th scope="col">Ghi nhận</th>
                <th scope="col">Gỡ bỏ</th>
              </tr>
            </thead>
            <tbody>
              {report.skillsBySkill.length === 0 ? (
                <tr>
                  <td colSpan={3}>Không có thay đổi trong quý.</td>
                </tr>
              ) : (
                report.skillsBySkill.map((s) => (
                  <tr key={s.skill}>
                    <th scope="row">{s.label}</th>
                    <td className="num">{formatNumber(s.added)}</td>
                    <td className="num">{formatNumber(s.withdrawn)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </ScrollingTable>
      </div>

      <h2>2. Kết quả so với chỉ tiêu của kế hoạch</h2>
      <ScrollingTable>
        <table>
          <caption>Chỉ tiêu tính đến {formatDateTime(report.asOf)}</caption>
          <thead>
            <tr>
              <th scope="col">Chỉ tiêu</th>
              <th scope="col">Đã đạt</th>
              <th scope="col">Tổng số</th>
              <th scope="col">Tỷ lệ</th>
              <th scope="col">Yêu cầu</th>
              <th scope="col">Kết quả</th>
            </tr>
          </thead>
          <tbody>
            {report.figures.map((f) => (
              <tr key={f.key}>
                <th scope="row">
                  {targetByKey[f.key].letter}. {targetByKey[f.key].title}
                </th>
                <td className="num">{formatNumber(f.numerator)}</td>
                <td className="num">
                  {formatNumber(f.denominator)}{" "}
                  <span className="denominator-source">{sourceLabel(f.key, f.source)}</span>
                </td>
                <td className="num">{percentText(f)}</td>
                <td className="num">{targetByKey[f.key].threshold}%</td>
                <td>{f.ratio === null ? "Chưa có số liệu" : f.met ? "Đạt" : "Chưa đạt"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
      {report.groupFigures.length > 0 ? (
        <ScrollingTable>
          <table className="matrix">
            <caption>Tỷ lệ đạt theo tổ dân phố</caption>
            <thead>
              <tr>
                <th scope="col">Tổ dân phố</th>
                {TARGETS.map((t) => (
                  <th scope="col" key={t.key}>
                    <abbr title={t.title}>{t.letter}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.groupFigures.map((g) => (
                <tr key={g.groupId}>
                  <th scope="row">{g.groupName}</th>
                  {g.figures.map((f) => (
                    <td key={f.key} className={`num${f.met ? " cell--met" : ""}`}>
                      {percentText(f)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      ) : null}

      {report.retention ? (
        <RetentionTable
          rows={report.retention}
          caption={
            `Kỹ năng vẫn dùng được khi hỏi lại sau 30 và 90 ngày, ` +
            `tính đến ${formatDateTime(report.asOf)}`
          }
        />
      ) : null}

      <h2>3. Khó khăn, vướng mắc và đề xuất</h2>
      {notesForm}
      {report.notes.map((n) => (
        <section key={n.teamId} className="team-notes" aria-label={`Ý kiến của ${n.teamName}`}>
          {report.kind === "ward" ? <h3>{n.teamName}</h3> : null}
          <dl>
            <dt>Khó khăn, vướng mắc</dt>
            <dd>{n.difficulties || "Tổ chưa ghi."}</dd>
            <dt>Đề xuất, kiến nghị</dt>
            <dd>{n.proposals || "Tổ chưa ghi."}</dd>
          </dl>
        </section>
      ))}
    </article>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { ExportLinks, percentText } from "~/components/target-charts";
import { formatNumber } from "~/format";
import { requireActor, requireGroup } from "~/access.server";
import { isTargetKey, targetByKey, unitLabels } from "~/targets";
import { priorityLabels, teamRoleLabels } from "~/vocabulary";
import { computeGroupFigures, listMissing, type MissingEntry } from "~/targets.server";
import { requireId } from "~/request.server";
import { ScrollingTable } from "~/components/scrolling-table";

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Còn thiếu – chỉ tiêu ${data?.target.letter ?? ""} – ${data?.group.name ?? ""} – HọcSố` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  if (!isTargetKey(params.target)) throw new Response("Không có chỉ tiêu này.", { status: 404 });
  const group = await requireGroup(actor, requireId(params.groupId, "Không tìm thấy tổ dân phố."));
  const key = params.target;
  const [missing, figures] = await Promise.all([listMissing(group, key), computeGroupFigures(group)]);
  return { group, target: targetByKey[key], figure: figures.find((f) => f.key === key)!, missing };
}

export default function MissingPage() {
  const { group, target, figure, missing } = useLoaderData<typeof loader>();
  const priority = missing.filter((m) => m.priorities.length > 0);
  const others = missing.filter((m) => m.priorities.length === 0);
  const unit = unitLabels[target.unit];
  const counts = Object.entries(priorityLabels).map(([key, label]) => ({
    label,
    n: missing.filter((m) => m.priorities.includes(key as keyof typeof priorityLabels)).length,
  }));
  return (
    <section aria-labelledby="missing-title" className="dashboard">
      <nav aria-label="Đường dẫn" className="breadcrumbs">
        <Link to={`/office/wards/${group.wardId}`}>{group.wardName}</Link> ›{" "}
        <Link to={`/office/groups/${group.id}`}>{group.name}</Link> ›{" "}
        <span aria-current="page">Chỉ tiêu {target.letter}</span>
      </nav>
      <h1 id="missing-title">
        Còn thiếu ở chỉ tiêu {target.letter}: {target.title}
      </h1>
      <p className="lead">
        {group.name}: đã đạt {formatNumber(figure.numerator)} trên {formatNumber(figure.denominator)} {unit} (
        {percentText(figure)}), yêu cầu {target.threshold}%. Còn{" "}
        <strong>{formatNumber(missing.length)}</strong> {unit} trong danh sách chưa đạt.
      </p>
      {target.unit !== "member" ? (
        <ul className="priority-counts">
          {counts.map((c) => (
            <li key={c.label}>
              {c.label}: <strong>{formatNumber(c.n)}</strong>
            </li>
          ))}
        </ul>
      ) : null}
      <ExportLinks
        query={`table=missing&group=${group.id}&target=${target.key}`}
        label="danh sách còn thiếu"
      />
      {target.unit !== "member" ? (
        <>
          <h2>Nhóm ưu tiên ({formatNumber(priority.length)})</h2>
          <p>
            Người cao tuổi, hộ nghèo, hộ cận nghèo, lao động tự do, tiểu thương: kế hoạch yêu cầu ưu tiên
            hướng dẫn trước.
          </p>
          <MissingTable entries={priority} caption={`Nhóm ưu tiên còn thiếu ở chỉ tiêu ${target.letter}`} />
          <h2>Các trường hợp khác ({formatNumber(others.length)})</h2>
          <MissingTable
            entries={others}
            caption={`Các trường hợp khác còn thiếu ở chỉ tiêu ${target.letter}`}
          />
        </>
      ) : (
        <MissingTable entries={missing} caption="Thành viên chưa có chứng nhận hoàn thành chương trình" />
      )}
    </section>
  );
}

function MissingTable({ entries, caption }: { entries: MissingEntry[]; caption: string }) {
  if (entries.length === 0) return <p>Không còn ai.</p>;
  const kind = entries[0]!.kind;
  return (
    <ScrollingTable>
      <table className="missing-table">
        <caption>{caption}</caption>
        <thead>
          {kind === "household" ? (
            <tr>
              <th scope="col">Mã hộ</th>
              <th scope="col">Địa chỉ</th>
              <th scope="col">Số người</th>
              <th scope="col">Thành viên phụ trách</th>
              <th scope="col">Ưu tiên</th>
            </tr>
          ) : kind === "person" ? (
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col">Năm sinh</th>
              <th scope="col">Hộ</th>
              <th scope="col">Thành viên phụ trách</th>
              <th scope="col">Ưu tiên</th>
            </tr>
          ) : (
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col">Vai trò</th>
              <th scope="col">Đơn vị</th>
            </tr>
          )}
        </thead>
        <tbody>
          {entries.map((e) =>
            e.kind === "household" ? (
              <tr key={e.householdId}>
                <th scope="row">{e.householdCode}</th>
                <td>{e.address}</td>
                <td className="num">{e.people}</td>
                <td>{e.assignedTo ?? "Chưa phân công"}</td>
                <td>{e.priorities.map((p) => priorityLabels[p]).join(", ")}</td>
              </tr>
            ) : e.kind === "person" ? (
              <tr key={e.residentId}>
                <th scope="row">{e.fullName}</th>
                <td className="num">{e.birthYear}</td>
                <td>
                  {e.householdCode}, {e.address}
                </td>
                <td>{e.assignedTo ?? "Chưa phân công"}</td>
                <td>{e.priorities.map((p) => priorityLabels[p]).join(", ")}</td>
              </tr>
            ) : (
              <tr key={e.memberId}>
                <th scope="row">{e.displayName}</th>
                <td>{teamRoleLabels[e.role]}</td>
                <td>{e.affiliation ?? ""}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

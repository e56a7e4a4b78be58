import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { formatNumber, formatPercent } from "~/format";
import { getAssistedShare, getMembersTraining } from "~/my-learning.server";
import { requireActor } from "~/access.server";
import { getPracticeCountsForWard } from "~/practice.server";
import { teamRoleLabels } from "~/vocabulary";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Bồi dưỡng thành viên Tổ – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  const [members, assisted, practice] = await Promise.all([
    getMembersTraining(actor),
    getAssistedShare(actor),
    getPracticeCountsForWard(actor),
  ]);
  return { members, assisted, practice };
}

export default function OfficeTraining() {
  const { members, assisted, practice } = useLoaderData<typeof loader>();
  const finished = members.filter((m) => m.programmeCode).length;
  const ratio = (part: number, whole: number) => (whole === 0 ? "–" : formatPercent(part / whole));
  return (
    <section aria-labelledby="training-title">
      <h1 id="training-title">Bồi dưỡng đợt đầu của thành viên Tổ</h1>
      <p>
        <strong>
          {finished}/{members.length}
        </strong>{" "}
        thành viên đã hoàn thành cả ba khoá học và nhận chứng nhận chương trình (
        {ratio(finished, members.length)}).
      </p>

      <h2>Học có người hỗ trợ</h2>
      <dl className="stat-grid">
        <div>
          <dt>Bài học được học cùng thành viên Tổ</dt>
          <dd>
            {assisted.assistedLessons}/{assisted.lessons} ({ratio(assisted.assistedLessons, assisted.lessons)}
            )
          </dd>
        </div>
        <div>
          <dt>Lượt làm bài kiểm tra có hỗ trợ</dt>
          <dd>
            {assisted.assistedAttempts}/{assisted.attempts} (
            {ratio(assisted.assistedAttempts, assisted.attempts)})
          </dd>
        </div>
      </dl>

      <h2>Thực hành trên màn hình tập</h2>
      <p>Số người dân đã làm xong từng bài thực hành (không tính vào chứng nhận).</p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Số người dân đã thực hành từng bài</caption>
          <thead>
            <tr>
              <th scope="col">Bài thực hành</th>
              <th scope="col">Người dân đã làm</th>
              <th scope="col">Trong đó có thành viên Tổ hỗ trợ</th>
              <th scope="col">Tổng số lượt</th>
            </tr>
          </thead>
          <tbody>
            {practice.map((p) => (
              <tr key={`${p.lessonTitle}-${p.title}`}>
                <td>
                  {p.title}{" "}
                  <span className="muted">
                    ({p.lessonTitle}
                    {p.membersOnly ? ", dành cho thành viên Tổ" : ""})
                  </span>
                </td>
                <td>{formatNumber(p.residents)}</td>
                <td>{formatNumber(p.assistedResidents)}</td>
                <td>{formatNumber(p.completions)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Từng thành viên</h2>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Tiến độ bồi dưỡng của từng thành viên Tổ</caption>
          <thead>
            <tr>
              <th scope="col">Thành viên</th>
              <th scope="col">Tổ dân phố</th>
              <th scope="col">Khoá đã xong</th>
              <th scope="col">Chứng nhận chương trình</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.name}
                  {m.teamRole === "leader" ? ` (${teamRoleLabels.leader.toLowerCase()})` : ""}
                </td>
                <td>{m.groupName}</td>
                <td>{m.coursesDone}/3</td>
                <td>
                  {m.programmeCode ? (
                    <Link to={`/verify/${m.programmeCode}`}>{m.programmeCode}</Link>
                  ) : (
                    <span className="badge badge--warn">Chưa xong</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { listHouseholdsForMember, getTeamInfo } from "~/field.server";
import { listFollowupHouseholds } from "~/retention.server";
import { formatDate } from "~/format";
import { povertyLabels, priorityGroups, priorityLabels } from "~/vocabulary";
import { listFilterSchema } from "~/forms/field";
import { requireFieldWorker } from "~/access.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Hộ của tôi – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireFieldWorker(request);
  const params = new URL(request.url).searchParams;
  const filters = listFilterSchema.parse({
    notVisited: params.get("notVisited") ?? undefined,
    missingSkills: params.get("missingSkills") ?? undefined,
    priority: params.get("priority") || undefined,
    scope: params.get("scope") ?? undefined,
    q: params.get("q") ?? undefined,
  });
  const [list, team, followups] = await Promise.all([
    listHouseholdsForMember({ actor, filters }),
    getTeamInfo(actor),
    listFollowupHouseholds({ actor }),
  ]);
  return {
    filters,
    team,
    total: list.total,
    items: list.items,
    isLeader: actor.team.teamRole === "leader",
    followups,
  };
}

export default function MyHouseholds() {
  const { filters, team, total, items, isLeader, followups } = useLoaderData<typeof loader>();
  const { notVisited, missingSkills } = filters;
  const filtered = notVisited || missingSkills || Boolean(filters.priority) || Boolean(filters.q);
  return (
    <section aria-labelledby="field-title" className="field-page">
      <h1 id="field-title">{filters.scope === "group" ? `Các hộ của ${team.groupName}` : "Hộ của tôi"}</h1>
      <p>
        {team.teamName}. <Link to="/field/badge">Thẻ thành viên của tôi</Link>
        {isLeader ? (
          <>
            {" · "}
            <Link to="/team">Phân công và tiến độ của tổ</Link>
          </>
        ) : null}
      </p>
      <p className="actions">
        <Link to="/field/households/new" className="button">
          Thêm hộ mới gặp
        </Link>
      </p>

      {followups.length > 0 ? (
        <section aria-labelledby="can-hoi-lai" className="followup-list">
          <h2 id="can-hoi-lai">Cần hỏi lại ({followups.length} hộ)</h2>
          <p>30 và 90 ngày sau khi ghi nhận kỹ năng, hãy hỏi lại người dân còn tự làm được không.</p>
          <ul className="plain-list">
            {followups.slice(0, 20).map((h) => (
              <li key={h.id}>
                <Link to={`/field/households/${h.id}#hoi-lai`}>{h.address}</Link>{" "}
                <span className="field__hint">
                  ({h.code}, {h.due} kỹ năng)
                </span>
              </li>
            ))}
          </ul>
          {followups.length > 20 ? <p>Và {followups.length - 20} hộ khác.</p> : null}
        </section>
      ) : null}

      <Form method="get" className="filter-form" aria-label="Lọc danh sách hộ">
        <fieldset className="field">
          <legend>Xem</legend>
          <label className="choice">
            <input type="radio" name="scope" value="mine" defaultChecked={filters.scope !== "group"} /> Hộ
            được giao cho tôi
          </label>
          <label className="choice">
            <input type="radio" name="scope" value="group" defaultChecked={filters.scope === "group"} /> Cả tổ
            dân phố ({team.groupName})
          </label>
        </fieldset>
        <fieldset className="field">
          <legend>Chỉ hiện</legend>
          <label className="choice">
            <input type="checkbox" name="notVisited" value="on" defaultChecked={notVisited} /> Hộ chưa đến
          </label>
          <label className="choice">
            <input type="checkbox" name="missingSkills" value="on" defaultChecked={missingSkills} /> Hộ còn
            thiếu kỹ năng
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="priority">Nhóm ưu tiên</label>
          <select id="priority" name="priority" defaultValue={filters.priority ?? ""}>
            <option value="">Tất cả</option>
            {priorityGroups.map((p) => (
              <option key={p} value={p}>
                {priorityLabels[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q">Tìm theo mã hộ hoặc địa chỉ</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} />
        </div>
        <p className="actions">
          <button type="submit" className="button button--primary">
            Lọc
          </button>
          {filtered ? (
            <Link to={filters.scope === "group" ? "/field?scope=group" : "/field"} className="button">
              Bỏ lọc
            </Link>
          ) : null}
        </p>
      </Form>

      <p role="status">
        {filtered ? `${items.length} hộ khớp, trong ${total} hộ.` : `${total} hộ.`}{" "}
        {total === 0 && filters.scope !== "group"
          ? isLeader
            ? "Chưa có hộ nào giao cho chính bạn. " +
              "Chọn “Cả tổ dân phố” để xem mọi hộ, hoặc phân công ở trang Tổ của tôi."
            : "Tổ trưởng chưa giao hộ nào cho bạn."
          : null}
      </p>
      <ul className="household-list">
        {items.map((h) => (
          <li key={h.id} className="household-card">
            <h2 className="household-card__title">
              <Link to={`/field/households/${h.id}`}>{h.address}</Link>
            </h2>
            <p className="household-card__meta">
              Mã hộ {h.code} · {h.residentCount} người
              {filters.scope === "group" && h.assigneeName ? ` · ${h.assigneeName} phụ trách` : ""}
            </p>
            <p className="household-card__marks">
              {h.lastVisit ? (
                <span className="badge badge--ok">Đến lần cuối {formatDate(h.lastVisit)}</span>
              ) : (
                <span className="badge badge--warn">Chưa đến</span>
              )}{" "}
              {h.missingSkills > 0 ? (
                <span className="badge badge--bad">Còn thiếu kỹ năng</span>
              ) : (
                <span className="badge badge--ok">Đủ kỹ năng chính</span>
              )}{" "}
              {h.priorities.map((p) => (
                <span key={p} className="badge">
                  {p === "poor" || p === "near_poor" ? povertyLabels[p] : priorityLabels[p]}
                </span>
              ))}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

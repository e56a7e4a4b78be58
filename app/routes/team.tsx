import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError } from "~/components/forms";
import { assertSameOrigin } from "~/csrf.server";
import { assignHouseholds, FieldError, getTeamCoverage, getTeamInfo } from "~/field.server";
import { formatDateTime, formatPercent } from "~/format";
import { lastSyncs } from "~/field-submissions.server";
import { fieldErrors } from "~/forms/auth";
import { assignSchema, formValues } from "~/forms/field";
import { requireTeamLeader } from "~/access.server";
import { readFormData } from "~/request.server";
import { teamRoleLabels } from "~/vocabulary";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Tổ của tôi – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireTeamLeader(request);
  const [coverage, team] = await Promise.all([getTeamCoverage({ actor }), getTeamInfo(actor)]);
  const memberIds = new Set(coverage.members.map((m) => m.userId));
  // Opening on "unassigned" when every household is assigned shows an empty list: start with all then.
  const show =
    new URL(request.url).searchParams.get("show") ?? (coverage.totals.unassigned > 0 ? "unassigned" : "all");
  const households = coverage.households
    .filter((h) =>
      show === "all"
        ? true
        : show === "unassigned"
          ? h.assigneeId === null || !memberIds.has(h.assigneeId)
          : String(h.assigneeId) === show,
    )
    .map((h) => ({
      id: h.id,
      code: h.code,
      address: h.address,
      assigneeName: h.assigneeName,
      visited: h.visitCount > 0,
    }));
  const synced = await lastSyncs(coverage.members.map((m) => m.userId));
  const members = coverage.members.map((m) => ({
    ...m,
    lastSyncAt: synced.get(m.userId)?.toISOString() ?? null,
  }));
  return { team, totals: coverage.totals, members, households, show };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireTeamLeader(request);
  const values = formValues(await readFormData(request), ["householdIds"]);
  const parsed = assignSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  try {
    const changed = await assignHouseholds({
      actor,
      householdIds: parsed.data.householdIds,
      memberUserId: parsed.data.memberUserId === "none" ? null : parsed.data.memberUserId,
    });
    const show = typeof values.show === "string" ? values.show : "unassigned";
    return redirect(`/team?show=${encodeURIComponent(show)}&changed=${changed}`);
  } catch (error) {
    if (error instanceof FieldError) return { errors: { [error.field ?? "form"]: error.message }, values };
    throw error;
  }
}

export default function TeamPage() {
  const { team, totals, members, households, show } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const chosen = new Set(((actionData?.values.householdIds as string[] | undefined) ?? []).map(Number));
  const changed = params.get("changed");
  return (
    <section aria-labelledby="team-title" className="team-page">
      <h1 id="team-title">{team.teamName}</h1>
      {changed !== null ? (
        <p className="form-success" role="status">
          Đã phân công lại {changed} hộ.
        </p>
      ) : null}
      <dl className="stat-grid">
        <div>
          <dt>Hộ trong {team.groupName}</dt>
          <dd>{totals.households}</dd>
        </div>
        <div>
          <dt>Hộ đã được đến</dt>
          <dd>
            {totals.visited} ({formatPercent(totals.households ? totals.visited / totals.households : 0)})
          </dd>
        </div>
        <div>
          <dt>Hộ chưa giao cho ai</dt>
          <dd>{totals.unassigned}</dd>
        </div>
        <div>
          <dt>Hộ còn thiếu kỹ năng</dt>
          <dd>{totals.missingSkills}</dd>
        </div>
      </dl>

      <h2>Thành viên</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Thành viên</th>
              <th scope="col">Được giao</th>
              <th scope="col">Đã đến</th>
              <th scope="col">Còn thiếu kỹ năng</th>
              <th scope="col">Điện thoại gửi lần cuối</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>
                  <Link to={`/team?show=${m.userId}`}>{m.displayName}</Link>
                  {m.role === "leader" ? ` (${teamRoleLabels.leader.toLowerCase()})` : ""}
                  {m.affiliation ? <span className="field__hint"> · {m.affiliation}</span> : null}
                </td>
                <td>{m.assigned}</td>
                <td>{m.visited}</td>
                <td>{m.missingSkills}</td>
                <td>{m.lastSyncAt ? formatDateTime(m.lastSyncAt) : "Chưa gửi từ ngoại tuyến"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="phan-cong">Phân công hộ</h2>
      <Form method="get" className="inline-filter">
        <div className="field">
          <label htmlFor="show">Hiện các hộ</label>
          <select id="show" name="show" defaultValue={show}>
            <option value="unassigned">Chưa giao cho ai</option>
            <option value="all">Tất cả</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                Đang giao cho {m.displayName}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Xem
        </button>
      </Form>
      {households.length === 0 ? (
        <p>Không có hộ nào ở đây.</p>
      ) : (
        <Form method="post" noValidate>
          <input type="hidden" name="show" value={show} />
          <FormError message={errors.form} />
          <fieldset className={`field${errors.householdIds ? " field--error" : ""}`}>
            <legend>Chọn hộ ({households.length})</legend>
            {errors.householdIds ? (
              <p className="field__error" role="alert">
                {errors.householdIds}
              </p>
            ) : null}
            <ul className="plain-list">
              {households.map((h) => (
                <li key={h.id}>
                  <label className="choice">
                    <input
                      type="checkbox"
                      name="householdIds"
                      value={h.id}
                      defaultChecked={chosen.has(h.id)}
                    />
                    <span>
                      {h.address}{" "}
                      <span className="field__hint">
                        ({h.code}
                        {h.assigneeName ? `, đang giao cho ${h.assigneeName}` : ""}
                        {h.visited ? ", đã đến" : ""})
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className={`field${errors.memberUserId ? " field--error" : ""}`}>
            <label htmlFor="memberUserId">Giao cho</label>
            <select
              id="memberUserId"
              name="memberUserId"
              defaultValue={(actionData?.values.memberUserId as string | undefined) ?? ""}
              aria-invalid={errors.memberUserId ? true : undefined}
              aria-describedby={errors.memberUserId ? "member-error" : undefined}
            >
              <option value="">Chọn thành viên…</option>
              {members.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.displayName}
                </option>
              ))}
              <option value="none">Bỏ giao (chưa ai phụ trách)</option>
            </select>
            {errors.memberUserId ? (
              <p id="member-error" className="field__error" role="alert">
                {errors.memberUserId}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button--primary" disabled={busy}>
            Phân công
          </button>
        </Form>
      )}
    </section>
  );
}

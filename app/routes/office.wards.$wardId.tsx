import { RetentionTable } from "~/components/retention-table";
import { wardRetention } from "~/retention.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import {
  CappedNote,
  ExportLinks,
  QuarterTrends,
  TargetBars,
  TargetTable,
  WeeklySection,
  percentText,
} from "~/components/target-charts";
import { assertSameOrigin } from "~/csrf.server";
import { formatDateTime } from "~/format";
import { targetSettingsSchema } from "~/forms/targets";
import { requireActor, requireWard } from "~/access.server";
import {
  TARGETS,
  TARGET_KEYS,
  isTargetKey,
  makeFigure,
  quarterOf,
  targetByKey,
  type TargetKeyName,
} from "~/targets";
import { getWardPage, refreshWard, setTargetACourses } from "~/targets.server";
import { readFormData, requireId } from "~/request.server";
import { listCoreCourses } from "~/learning-catalog.server";
import { ScrollingTable } from "~/components/scrolling-table";

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.ward.name ?? "Phường"} – Bảng theo dõi chỉ tiêu – HọcSố` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  const ward = await requireWard(actor, requireId(params.wardId, "Không tìm thấy phường."));
  const requested = new URL(request.url).searchParams.get("target");
  const weekTarget: TargetKeyName = isTargetKey(requested) ? requested : "e";
  // All of them wait for the ward's first summary when it has none yet (computed once).
  const [
    {
      dashboard,
      charts: { weekly, quarterly },
    },
    retention,
    coreCourses,
  ] = await Promise.all([
    getWardPage(ward, weekTarget),
    wardRetention({ wardId: ward.id }),
    listCoreCourses(),
  ]);
  // The smallest payload: per group and target only [met, roster, official]; the page derives the rest.
  const groups = dashboard.groups.map((g) => ({
    id: g.groupId,
    name: g.name,
    team: g.teamName,
    cells: g.figures.map(
      (f) => [f.numerator, f.rosterDenominator, f.source === "official" ? f.denominator : null] as const,
    ),
  }));
  return {
    ward: dashboard.ward,
    freshness: dashboard.freshness,
    figures: dashboard.figures,
    targetACourses: dashboard.targetACourses,
    coreCourses,
    groups,
    weekTarget,
    weekly,
    quarterly: {
      quarters: quarterly.quarters.map((q) => ({ key: q.key, label: q.label })),
      byTarget: quarterly.byTarget,
    },
    quarter: quarterOf(new Date()).key,
    retention,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireActor(request, "office");
  const ward = await requireWard(actor, requireId(params.wardId, "Không tìm thấy phường."));
  const form = await readFormData(request);
  const intent = form.get("intent");
  if (intent === "refresh") {
    await refreshWard(ward.id);
    return redirect(`/office/wards/${ward.id}`);
  }
  if (intent === "settings") {
    const parsed = targetSettingsSchema.safeParse({ intent, courses: form.getAll("courses").map(String) });
    if (!parsed.success) {
      return {
        errors: { courses: parsed.error.issues[0]?.message },
        courses: form.getAll("courses").map(String),
      };
    }
    await setTargetACourses({ wardId: ward.id, courses: parsed.data.courses, actorUserId: actor.id });
    return redirect(`/office/wards/${ward.id}#cai-dat`);
  }
  throw new Response("Yêu cầu không hợp lệ.", { status: 400 });
}

export default function WardDashboard() {
  const {
    ward,
    freshness,
    figures,
    targetACourses,
    coreCourses,
    groups,
    weekTarget,
    weekly,
    quarterly,
    quarter,
    retention,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const wt = targetByKey[weekTarget];
  const chosen = actionData?.courses ?? targetACourses;
  return (
    <section aria-labelledby="ward-title" className="dashboard">
      <h1 id="ward-title">Tiến độ chỉ tiêu – {ward.name}</h1>
      <div className="freshness">
        <p>
          Số liệu tính lúc <strong>{formatDateTime(freshness.refreshedAt)}</strong>
          {freshness.refreshing ? " · đang tính lại, tải lại trang sau ít phút để xem số mới" : ""}. Trang của
          từng tổ dân phố luôn tính mới ngay khi mở.
        </p>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="refresh" />
          <button type="submit" className="button" disabled={busy}>
            Cập nhật số liệu ngay
          </button>
        </Form>
      </div>
      <p className="actions">
        <Link to={`/reports/wards/${ward.id}?quarter=${quarter}`} className="button button--primary">
          Báo cáo quý
        </Link>
      </p>

      <h2>Toàn phường</h2>
      <div className="chart-with-table">
        <TargetBars
          figures={figures}
          caption={`Tỷ lệ đạt từng chỉ tiêu, ${ward.name}; vạch đứng là mức kế hoạch yêu cầu`}
        />
        <TargetTable figures={figures} caption={`Các chỉ tiêu của kế hoạch, ${ward.name}`} />
      </div>
      <CappedNote figures={figures} where="toàn phường" />
      <ExportLinks query={`table=ward-targets&ward=${ward.id}`} label="bảng chỉ tiêu" />

      <h2>Từng tổ dân phố và Tổ Công nghệ số cộng đồng</h2>
      <p>
        Bấm vào tên tổ để xem chi tiết và danh sách những hộ, những người còn thiếu. Mỗi ô: tỷ lệ, rồi số đã
        đạt trên tổng số.
      </p>
      <ScrollingTable>
        <table className="matrix">
          <caption>
            Tỷ lệ và số đã đạt trên tổng số, theo tổ dân phố và Tổ Công nghệ số cộng đồng của tổ
          </caption>
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
            {groups.map((g) => (
              <tr key={g.id}>
                <th scope="row">
                  <Link to={`/office/groups/${g.id}`}>{g.name}</Link>
                  {g.team ? <span className="cell-detail">{g.team}</span> : null}
                </th>
                {g.cells.map(([numerator, roster, official], i) => {
                  const f = makeFigure(TARGET_KEYS[i]!, numerator, roster, official);
                  return (
                    <td key={f.key} className={f.met ? "num cell--met" : "num"}>
                      {percentText(f)}
                      <span className="cell-detail">
                        {numerator}/{f.denominator}
                        {official !== null ? "*" : ""}
                      </span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
      <p className="note">
        * tổng số là số chính thức phường đã nhập cho tổ đó, không phải số theo danh sách nhân khẩu.
      </p>
      <ExportLinks query={`table=ward-groups&ward=${ward.id}`} label="bảng các tổ" />

      <WeeklySection
        weekly={weekly}
        target={weekTarget}
        chartCaption={`Tỷ lệ đạt chỉ tiêu ${wt.letter} theo tuần, ${ward.name}`}
        exportQuery={`table=weekly&ward=${ward.id}`}
      />

      <h2 id="theo-quy">Các chỉ tiêu qua từng quý</h2>
      <QuarterTrends
        quarters={quarterly.quarters}
        byTarget={quarterly.byTarget}
        caption={`Tỷ lệ đạt từng chỉ tiêu vào cuối mỗi quý, ${ward.name}`}
      />

      <h2 id="hoi-lai">Kỹ năng còn dùng được sau 30 và 90 ngày</h2>
      <RetentionTable
        rows={retention}
        caption={
          `Tỷ lệ kỹ năng người dân vẫn tự dùng được khi Tổ hỏi lại, ` +
          `${ward.name} (không tính lần không gặp)`
        }
      />

      <h2 id="cai-dat">Cài đặt chỉ tiêu a</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="settings" />
        <fieldset
          className="field"
          aria-describedby={actionData?.errors?.courses ? "courses-error" : undefined}
        >
          <legend>Học sinh THPT được tính là đã bồi dưỡng khi hoàn thành các khoá:</legend>
          {coreCourses.map(({ id, title }) => (
            <label key={id} className="choice">
              <input type="checkbox" name="courses" value={id} defaultChecked={chosen.includes(id)} /> {title}
            </label>
          ))}
          {actionData?.errors?.courses ? (
            <p id="courses-error" className="field__error" role="alert">
              {actionData.errors.courses}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          Lưu cài đặt
        </button>
      </Form>
    </section>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/forms";
import { ExportLinks, TargetBars, TargetTable, WeeklySection } from "~/components/target-charts";
import { assertSameOrigin } from "~/csrf.server";
import { formatNumber } from "~/format";
import { parseDenominatorForm } from "~/forms/targets";
import { requireActor, requireGroup } from "~/access.server";
import { TARGETS, isTargetKey, quarterOf, targetByKey, unitLabels, type TargetKeyName } from "~/targets";
import {
  computeGroupFigures,
  getGroupWeekly,
  getOfficialDenominators,
  setOfficialDenominators,
} from "~/targets.server";
import { readFormData, requireId } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      `${data?.group.name ?? "Tổ dân phố"}, ${data?.group.wardName ?? ""} – ` +
      `Bảng theo dõi chỉ tiêu – HọcSố`,
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  const group = await requireGroup(actor, requireId(params.groupId, "Không tìm thấy tổ dân phố."));
  const requested = new URL(request.url).searchParams.get("target");
  const weekTarget: TargetKeyName = isTargetKey(requested) ? requested : "e";
  // The weekly chart's current week is the group's live figure: computed once for both.
  const live = computeGroupFigures(group);
  const [figures, weekly, officials] = await Promise.all([
    live,
    getGroupWeekly(group, weekTarget, 26, live),
    getOfficialDenominators(group.id),
  ]);
  return { group, figures, weekTarget, weekly, officials, quarter: quarterOf(new Date()).key };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireActor(request, "office");
  const group = await requireGroup(actor, requireId(params.groupId, "Không tìm thấy tổ dân phố."));
  const form = await readFormData(request);
  if (form.get("intent") !== "denominators") throw new Response("Yêu cầu không hợp lệ.", { status: 400 });
  const parsed = parseDenominatorForm(form);
  if (!parsed.ok) return { errors: parsed.errors, values: parsed.values };
  await setOfficialDenominators({ group, values: parsed.values, actorUserId: actor.id });
  return redirect(`/office/groups/${group.id}?saved=1#mau-so`);
}

export default function GroupPage() {
  const { group, figures, weekTarget, weekly, officials, quarter } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const wt = targetByKey[weekTarget];
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  // An official figure below what the group has already reached is kept, but the office is told.
  const tooSmall = figures.filter((f) => f.source === "official" && f.numerator > f.denominator);
  return (
    <section aria-labelledby="group-title" className="dashboard">
      <nav aria-label="Đường dẫn" className="breadcrumbs">
        <Link to={`/office/wards/${group.wardId}`}>{group.wardName}</Link> ›{" "}
        <span aria-current="page">{group.name}</span>
      </nav>
      <h1 id="group-title">
        {group.name} – {group.wardName}
      </h1>
      <p>
        {group.teamName ? (
          <>
            Tổ Công nghệ số cộng đồng: <strong>{group.teamName}</strong>.{" "}
          </>
        ) : (
          "Tổ dân phố này chưa có Tổ Công nghệ số cộng đồng. "
        )}
        Số liệu trên trang này được tính ngay lúc bạn mở trang.
      </p>
      {group.teamId ? (
        <p className="actions">
          <Link to={`/reports/teams/${group.teamId}?quarter=${quarter}`} className="button">
            Báo cáo quý của Tổ
          </Link>
        </p>
      ) : null}
      <div className="chart-with-table">
        <TargetBars figures={figures} caption={`Tỷ lệ đạt từng chỉ tiêu, ${group.name}`} />
        <TargetTable
          figures={figures}
          caption={`Các chỉ tiêu của ${group.name} và Tổ Công nghệ số cộng đồng`}
          missingHref={(key) => `/office/groups/${group.id}/${key}`}
        />
      </div>
      <ExportLinks query={`table=group-targets&group=${group.id}`} label="bảng chỉ tiêu" />

      <WeeklySection
        weekly={weekly}
        target={weekTarget}
        chartCaption={`Chỉ tiêu ${wt.letter} theo tuần, ${group.name}`}
        exportQuery={`table=weekly&group=${group.id}`}
      />

      <h2 id="mau-so">Số chính thức (mẫu số)</h2>
      <p>
        Khi danh sách nhân khẩu của tổ chưa đầy đủ, hãy nhập số chính thức. Để trống để tính theo danh sách.
        Số trong ngoặc là số đang có trong danh sách.
      </p>
      {tooSmall.length > 0 ? (
        <div className="notice notice--warn" role="alert">
          <p>
            <strong>Số chính thức nhỏ hơn số đã đạt:</strong>
          </p>
          <ul>
            {tooSmall.map((f) => (
              <li key={f.key}>
                Chỉ tiêu {targetByKey[f.key].letter}: đã đạt {formatNumber(f.numerator)} nhưng số chính thức
                chỉ là {formatNumber(f.denominator)}.
              </li>
            ))}
          </ul>
          <p>Tổng toàn phường chỉ tính tổ này tối đa bằng số chính thức. Hãy kiểm tra lại số đã nhập.</p>
        </div>
      ) : null}
      <Form method="post" noValidate className="denominator-form">
        <input type="hidden" name="intent" value="denominators" />
        <FormError
          message={
            Object.keys(errors).length > 0 ? "Có ô chưa đúng, hãy xem thông báo bên dưới ô đó." : undefined
          }
        />
        {TARGETS.map((t) => {
          const f = figures.find((x) => x.key === t.key)!;
          const name = `den_${t.key}`;
          const roster = `${formatNumber(f.rosterDenominator)} ${unitLabels[t.unit]}`;
          return (
            <Field
              key={t.key}
              name={name}
              label={`${t.letter}. Số ${t.denominator} (danh sách: ${roster})`}
              inputMode="numeric"
              autoComplete="off"
              defaultValue={
                actionData?.values?.[name] ?? (officials[t.key] !== undefined ? String(officials[t.key]) : "")
              }
              error={errors[name]}
            />
          );
        })}
        <button type="submit" className="button button--primary" disabled={busy}>
          Lưu số chính thức
        </button>
      </Form>
    </section>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { ExportLinks, TargetBars, TargetTable, percentText } from "~/components/target-charts";
import { formatDateTime, formatNumber } from "~/format";
import { forbidden } from "~/permissions.server";
import { canSeeCity, requireActor } from "~/access.server";
import { getCityView } from "~/targets.server";
import { TARGETS } from "~/targets";
import { ScrollingTable } from "~/components/scrolling-table";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Toàn thành phố – Bảng theo dõi chỉ tiêu – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  if (!canSeeCity(actor)) throw forbidden();
  return { city: await getCityView() };
}

export default function CityView() {
  const { city } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="city-title" className="dashboard">
      <h1 id="city-title">Tiến độ chỉ tiêu toàn thành phố</h1>
      <p className="freshness">
        {city.oldestRefresh
          ? `Số liệu tổng hợp theo từng phường; ` +
            `phường cũ nhất tính lúc ${formatDateTime(city.oldestRefresh)}.`
          : "Chưa phường nào được tổng hợp."}
        {city.missingWards > 0
          ? ` ${formatNumber(city.missingWards)} phường chưa có số liệu, đang được tính.`
          : ""}
      </p>
      <div className="chart-with-table">
        <TargetBars figures={city.figures} caption="Tỷ lệ đạt từng chỉ tiêu, toàn thành phố" />
        <TargetTable figures={city.figures} caption="Các chỉ tiêu, toàn thành phố" />
      </div>
      <ExportLinks query="table=city" label="bảng các phường" />
      <h2>Từng phường, xã</h2>
      <ScrollingTable>
        <table className="matrix">
          <caption>Tỷ lệ đạt từng chỉ tiêu theo phường, xã</caption>
          <thead>
            <tr>
              <th scope="col">Phường, xã</th>
              {TARGETS.map((t) => (
                <th scope="col" key={t.key}>
                  <abbr title={t.title}>{t.letter}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {city.wards.map((w) => (
              <tr key={w.wardId}>
                <th scope="row">
                  <Link to={`/office/wards/${w.wardId}`}>{w.name}</Link>
                </th>
                {w.figures.map((f) => (
                  <td key={f.key} className={`num${f.met ? " cell--met" : ""}`}>
                    {percentText(f)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </section>
  );
}

/**
 * Charts drawn on the server as SVG: readable without JavaScript, with a <title> and <desc> for
 * screen readers and the same numbers in a table beside them.
 */
import { useId } from "react";
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { formatDate, formatNumber, formatPercent } from "~/format";
import {
  sourceLabel,
  targetByKey,
  TARGETS,
  unitLabels,
  type TargetFigure,
  type TargetKeyName,
} from "~/targets";
import { ScrollingTable } from "~/components/scrolling-table";

export function percentText(figure: TargetFigure): string {
  return figure.ratio === null ? "—" : formatPercent(figure.ratio);
}

/** Horizontal bars, one per target, with the plan's threshold marked. */
export function TargetBars({ figures, caption }: { figures: TargetFigure[]; caption: string }) {
  const id = useId();
  const rowH = 34;
  const labelW = 34;
  const barW = 240;
  const width = labelW + barW + 70;
  const height = figures.length * rowH + 10;
  const summary = figures
    .map((f) => `${targetByKey[f.key].letter}: ${percentText(f)} (yêu cầu ${targetByKey[f.key].threshold}%)`)
    .join("; ");
  return (
    <svg
      className="chart chart--bars"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-t`}>{caption}</title>
      <desc id={`${id}-d`}>{summary}</desc>
      {figures.map((f, i) => {
        const y = 5 + i * rowH;
        const t = targetByKey[f.key];
        const w = (f.ratio ?? 0) * barW;
        const tx = labelW + (t.threshold / 100) * barW;
        return (
          <g key={f.key}>
            <text x={0} y={y + 20} className="chart__label">
              {t.letter}
            </text>
            <rect x={labelW} y={y + 4} width={barW} height={rowH - 12} className="chart__track" />
            <rect
              x={labelW}
              y={y + 4}
              width={w}
              height={rowH - 12}
              className={f.met ? "chart__bar chart__bar--met" : "chart__bar"}
            />
            <line x1={tx} x2={tx} y1={y} y2={y + rowH - 4} className="chart__threshold" />
            <text x={labelW + barW + 6} y={y + 20} className="chart__value">
              {percentText(f)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface WeekPointView {
  weekStart: string;
  reached: number;
  /** Counted at the end of that week. */
  denominator: number;
}

const share = (p: WeekPointView) => (p.denominator > 0 ? Math.min(p.reached / p.denominator, 1) : 0);

/** The share met at the end of each week, each against that week's own denominator. */
export function WeeklyChart({
  points,
  threshold,
  caption,
}: {
  points: WeekPointView[];
  threshold: number;
  caption: string;
}) {
  const id = useId();
  const width = 360;
  const height = 180;
  // Wide enough on the left for "100%".
  const pad = { l: 46, r: 8, t: 10, b: 26 };
  const plotW = width - pad.l - pad.r;
  const plotH = height - pad.t - pad.b;
  const step = points.length > 1 ? plotW / (points.length - 1) : 0;
  const xy = points.map((p, i) => [pad.l + i * step, pad.t + plotH * (1 - share(p))] as const);
  const path = xy.map(([x, y], i) => `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  const ty = pad.t + plotH * (1 - threshold / 100);
  const first = points[0];
  const last = points.at(-1);
  const desc =
    !first || !last
      ? "Chưa có số liệu theo tuần."
      : `Từ tuần ${formatDate(first.weekStart)} đến tuần ${formatDate(last.weekStart)}: ` +
        `từ ${formatPercent(share(first))} lên ${formatPercent(share(last))}; yêu cầu ${threshold}%.`;
  return (
    <svg
      className="chart chart--weekly"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      width="100%"
    >
      <title id={`${id}-t`}>{caption}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {[0, 50, 100].map((v) => {
        const y = pad.t + plotH * (1 - v / 100);
        return (
          <g key={v}>
            <line x1={pad.l} x2={width - pad.r} y1={y} y2={y} className="chart__grid" />
            <text x={pad.l - 6} y={y + 4} textAnchor="end" className="chart__axis">
              {v}%
            </text>
          </g>
        );
      })}
      <line x1={pad.l} x2={width - pad.r} y1={ty} y2={ty} className="chart__threshold" />
      {path ? <path d={path} className="chart__line" /> : null}
      {xy.map(([x, y], i) => (
        <circle key={points[i]!.weekStart} cx={x} cy={y} r={2.5} className="chart__dot" />
      ))}
      {first && last ? (
        <>
          <text x={pad.l} y={height - 6} className="chart__axis">
            {formatDate(first.weekStart).slice(0, 5)}
          </text>
          <text x={width - pad.r} y={height - 6} textAnchor="end" className="chart__axis">
            {formatDate(last.weekStart).slice(0, 5)}
          </text>
        </>
      ) : null}
    </svg>
  );
}

/**
 * Every target at the end of each quarter: one small line per target (the plan's threshold
 * dashed), so the office sees the trend it reports; the numbers are in the table beside it.
 */
export function QuarterTrends({
  quarters,
  byTarget,
  caption,
}: {
  quarters: { key: string; label: string }[];
  byTarget: Record<TargetKeyName, WeekPointView[]>;
  caption: string;
}) {
  const id = useId();
  const cellW = 112;
  const cellH = 84;
  const cols = 3;
  const rows = Math.ceil(TARGETS.length / cols);
  const width = cols * cellW;
  const height = rows * cellH;
  const pad = { l: 8, r: 8, t: 22, b: 10 };
  const plotW = cellW - pad.l - pad.r;
  const plotH = cellH - pad.t - pad.b;
  const short = (label: string) => label.replace(/^Quý /, "").replace(" năm ", "/");
  const summary = TARGETS.map((t) => {
    const pts = byTarget[t.key] ?? [];
    const values = pts.map((p, i) => {
      const value = p.denominator > 0 ? formatPercent(share(p)) : "—";
      return `${short(quarters[i]?.label ?? "")} ${value}`;
    });
    return `${t.letter}: ${values.join(", ")}`;
  }).join("; ");
  return (
    <div className="chart-with-table">
      <svg
        className="chart chart--quarters"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        width="100%"
      >
        <title id={`${id}-t`}>{caption}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {TARGETS.map((t, n) => {
          const ox = (n % cols) * cellW;
          const oy = Math.floor(n / cols) * cellH;
          const pts = byTarget[t.key] ?? [];
          const step = pts.length > 1 ? plotW / (pts.length - 1) : 0;
          const xy = pts.map((p, i) => [ox + pad.l + i * step, oy + pad.t + plotH * (1 - share(p))] as const);
          const path = xy
            .map(([x, y], i) => `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`)
            .join(" ");
          const ty = oy + pad.t + plotH * (1 - t.threshold / 100);
          const last = pts.at(-1);
          return (
            <g key={t.key}>
              <rect x={ox + pad.l} y={oy + pad.t} width={plotW} height={plotH} className="chart__track" />
              <line x1={ox + pad.l} x2={ox + pad.l + plotW} y1={ty} y2={ty} className="chart__threshold" />
              <text x={ox + pad.l} y={oy + 15} className="chart__label">
                {t.letter}. {last && last.denominator > 0 ? formatPercent(share(last)) : "—"}
              </text>
              {path ? <path d={path} className="chart__line" /> : null}
            </g>
          );
        })}
      </svg>
      <ScrollingTable>
        <table>
          <caption>{caption} (tỷ lệ cuối mỗi quý)</caption>
          <thead>
            <tr>
              <th scope="col">Chỉ tiêu</th>
              {quarters.map((q) => (
                <th scope="col" key={q.key}>
                  {short(q.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {TARGETS.map((t) => (
              <tr key={t.key}>
                <th scope="row">{t.letter}</th>
                {(byTarget[t.key] ?? []).map((p, i) => (
                  <td className="num" key={quarters[i]?.key ?? i}>
                    {p.denominator > 0 ? formatPercent(share(p)) : "—"}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </div>
  );
}

/** The targets as a table: the figures the chart shows, and where each denominator came from. */
export function TargetTable({
  figures,
  caption,
  missingHref,
}: {
  figures: TargetFigure[];
  caption: string;
  /** Where "still missing" links go, per target; omitted on ward-wide tables. */
  missingHref?: (key: string) => string;
}) {
  return (
    <ScrollingTable>
      <table className="targets-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Chỉ tiêu</th>
            <th scope="col">Đã đạt</th>
            <th scope="col">Trên tổng số</th>
            <th scope="col">Tỷ lệ</th>
            <th scope="col">Yêu cầu</th>
            <th scope="col">Kết quả</th>
          </tr>
        </thead>
        <tbody>
          {figures.map((f) => {
            const t = targetByKey[f.key];
            return (
              <tr key={f.key}>
                <th scope="row">
                  <span className="target-letter">{t.letter}.</span> {t.title}
                  {missingHref && f.denominator > f.numerator ? (
                    <>
                      {" "}
                      <Link to={missingHref(f.key)} className="small-link">
                        Xem {unitLabels[t.unit]} còn thiếu
                        <span className="visually-hidden"> ở chỉ tiêu {t.letter}</span>
                      </Link>
                    </>
                  ) : null}
                </th>
                <td className="num">{formatNumber(f.numerator)}</td>
                <td className="num">
                  {formatNumber(f.denominator)}
                  <span className="denominator-source">
                    {sourceLabel(f.key, f.source)}
                    {f.source !== "roster" ? ` (danh sách: ${formatNumber(f.rosterDenominator)})` : ""}
                  </span>
                </td>
                <td className="num">{percentText(f)}</td>
                <td className="num">{t.threshold}%</td>
                <td>
                  {f.ratio === null ? (
                    <span className="badge">Chưa có số liệu</span>
                  ) : f.met ? (
                    <span className="badge badge--ok">Đạt</span>
                  ) : (
                    <span className="badge badge--warn">Chưa đạt</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

/** Says when a total counts some groups only up to their official denominator (they reached more). */
export function CappedNote({ figures, where }: { figures: TargetFigure[]; where: string }) {
  const capped = figures.filter((f) => (f.cappedGroups ?? 0) > 0);
  if (capped.length === 0) return null;
  return (
    <p className="note" role="note">
      Có tổ đã đạt nhiều hơn số chính thức phường nhập (
      {capped.map((f) => `chỉ tiêu ${targetByKey[f.key].letter}: ${f.cappedGroups} tổ`).join("; ")}). Số{" "}
      {where} chỉ tính mỗi tổ đó tối đa bằng số chính thức; hãy kiểm tra lại số chính thức của các tổ này.
    </p>
  );
}

export function ExportLinks({ query, label }: { query: string; label: string }) {
  return (
    <p className="export-links">
      Tải {label}: <a href={`/export.csv?${query}`}>CSV</a> ·{" "}
      <a href={`/export.xlsx?${query}`}>Excel (XLSX)</a>
    </p>
  );
}

export function WeeklyTable({ points, caption }: { points: WeekPointView[]; caption: string }) {
  return (
    <ScrollingTable>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Tuần bắt đầu</th>
            <th scope="col">Đã đạt</th>
            <th scope="col">Tổng số</th>
            <th scope="col">Tỷ lệ</th>
          </tr>
        </thead>
        <tbody>
          {points.length === 0 ? (
            <tr>
              <td colSpan={4}>Chưa có số liệu.</td>
            </tr>
          ) : (
            points.map((p) => (
              <tr key={p.weekStart}>
                <td>{formatDate(p.weekStart)}</td>
                <td className="num">{formatNumber(p.reached)}</td>
                <td className="num">{formatNumber(p.denominator)}</td>
                <td className="num">{p.denominator > 0 ? formatPercent(share(p)) : "—"}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

/**
 * "Tiến độ theo tuần" of a ward or a group: choose a target (a GET form, so no JavaScript is
 * needed), then its cumulative weekly chart with the numbers beside it, and the export links.
 */
export function WeeklySection({
  weekly,
  target,
  chartCaption,
  exportQuery,
}: {
  weekly: WeekPointView[];
  target: TargetKeyName;
  chartCaption: string;
  exportQuery: string;
}) {
  const t = targetByKey[target];
  return (
    <>
      <h2 id="theo-tuan">Tiến độ theo tuần</h2>
      <Form method="get" className="inline-choose" action="#theo-tuan">
        <label htmlFor="week-target">Chỉ tiêu</label>
        <select id="week-target" name="target" defaultValue={target}>
          {TARGETS.map((x) => (
            <option key={x.key} value={x.key}>
              {x.letter}. {x.title}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          Xem
        </button>
      </Form>
      <div className="chart-with-table">
        <WeeklyChart points={weekly} threshold={t.threshold} caption={chartCaption} />
        <WeeklyTable points={weekly} caption={`Chỉ tiêu ${t.letter} theo tuần (tình hình cuối mỗi tuần)`} />
      </div>
      <p className="field__hint">
        Mỗi tuần tính đúng như lúc đó: số đã đạt và tổng số của chính tuần ấy (tuổi theo năm của tuần, kỹ năng
        gỡ bỏ sau này vẫn tính ở những tuần trước khi gỡ).
      </p>
      <ExportLinks query={`${exportQuery}&target=${target}`} label="bảng theo tuần" />
    </>
  );
}

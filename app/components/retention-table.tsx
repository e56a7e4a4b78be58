import { formatPercent } from "~/format";
import { ScrollingTable } from "~/components/scrolling-table";

export interface RetentionFigureView {
  stillUses: number;
  needsHelp: number;
  notMet: number;
  share: number | null;
}
export interface RetentionRowView {
  groupId: number | null;
  groupName: string;
  day30: RetentionFigureView;
  day90: RetentionFigureView;
}

function Cell({ f }: { f: RetentionFigureView }) {
  if (f.share === null) return <td>—</td>;
  return (
    <td>
      <strong>{formatPercent(f.share)}</strong>{" "}
      <span className="field__hint">
        ({f.stillUses}/{f.stillUses + f.needsHelp}
        {f.notMet ? `, ${f.notMet} không gặp` : ""})
      </span>
    </td>
  );
}

/**
 * Retention of skills 30 and 90 days after they were recorded,
 * by residential group (app/retention.server.ts).
 */
export function RetentionTable({ rows, caption }: { rows: RetentionRowView[]; caption: string }) {
  return (
    <ScrollingTable>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Tổ dân phố</th>
            <th scope="col">Vẫn dùng được sau 30 ngày</th>
            <th scope="col">Vẫn dùng được sau 90 ngày</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.groupId ?? "all"} className={r.groupId === null ? "total-row" : undefined}>
              <th scope="row">{r.groupName}</th>
              <Cell f={r.day30} />
              <Cell f={r.day90} />
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

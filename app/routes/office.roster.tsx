import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { FormError } from "~/components/forms";
import { assertSameOrigin } from "~/csrf.server";
import { formatNumber } from "~/format";
import { readForm } from "~/multipart.server";
import { requireId } from "~/request.server";
import { requireActor, requireWardToChange } from "~/access.server";
import { rosterColumns } from "~/roster-columns";
import {
  commitRosterImport,
  listGroupsForImport,
  previewRosterImport,
  ROSTER_PREVIEW_KEEP_HOURS,
  rosterTotals,
} from "~/roster.server";
import { ROSTER_MAX_BYTES, saveUpload, UploadRejected } from "~/uploads.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Nhập danh sách hộ dân – HọcSố" }];

const countKeys = [
  "householdsNew",
  "householdsUpdated",
  "householdsUnchanged",
  "residentsNew",
  "residentsUpdated",
  "residentsUnchanged",
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  const url = new URL(request.url);
  // A city office reads the city's figures but imports no ward's roster.
  requireWardToChange(actor);
  const fileParam = url.searchParams.get("file");
  const fileId = fileParam && /^\d{1,9}$/.test(fileParam) ? Number(fileParam) : null;
  const [groups, totals, preview] = await Promise.all([
    listGroupsForImport(actor),
    rosterTotals(actor),
    fileId ? previewRosterImport({ uploadId: fileId, actor }) : Promise.resolve(null),
  ]);
  const done =
    url.searchParams.get("done") === "1"
      ? Object.fromEntries(countKeys.map((k) => [k, Number(url.searchParams.get(k) ?? 0)]))
      : null;
  return {
    groups: groups.map((g) => ({ code: g.code, name: g.name })),
    totals,
    preview,
    // A file that is not there (never was, or a preview deleted after ROSTER_PREVIEW_KEEP_HOURS).
    missingFile: fileParam !== null && !preview,
    previewKeepHours: ROSTER_PREVIEW_KEEP_HOURS,
    done: done as Record<(typeof countKeys)[number], number> | null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireActor(request, "office");
  // A city office reads the city's figures but imports no ward's roster (nor uploads one to preview).
  requireWardToChange(actor);
  const form = await readForm(request, { maxFileBytes: ROSTER_MAX_BYTES });
  const intent = String(form.get("intent") ?? "");
  if (intent === "preview") {
    const file = form.get("file");
    if (!file || typeof file === "string" || file.size === 0) {
      return { errors: { file: "Hãy chọn tệp danh sách (.xlsx hoặc .csv)." } };
    }
    try {
      const id = await saveUpload(
        "roster_file",
        new Uint8Array(await file.arrayBuffer()),
        file.name,
        actor.id,
      );
      return redirect(`/office/roster?file=${id}#kiem-tra`);
    } catch (error) {
      if (error instanceof UploadRejected) return { errors: { file: error.message } };
      throw error;
    }
  }
  if (intent === "commit") {
    const uploadId = requireId(form.get("uploadId"), "Không tìm thấy tệp");
    const result = await commitRosterImport({ uploadId, actor });
    if (!result) return redirect(`/office/roster?file=${uploadId}`);
    if (!result.ok) return redirect(`/office/roster?file=${uploadId}#kiem-tra`);
    const params = new URLSearchParams({ done: "1" });
    for (const k of countKeys) params.set(k, String(result.changes[k]));
    return redirect(`/office/roster?${params.toString()}`);
  }
  throw new Response("Yêu cầu không hợp lệ", { status: 400 });
}

export default function OfficeRoster() {
  const { groups, totals, preview, missingFile, previewKeepHours, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const fileId = useId();
  const fileError = actionData?.errors.file;
  const blocked = preview ? preview.fileErrors.length > 0 || preview.issues.length > 0 : true;

  return (
    <section aria-labelledby="roster-title" className="roster-page">
      <h1 id="roster-title">Nhập danh sách hộ dân</h1>
      <p>
        Danh sách hiện có: <strong>{formatNumber(totals.households)}</strong> hộ,{" "}
        <strong>{formatNumber(totals.residents)}</strong> nhân khẩu. Nhập từ bảng tính Excel (.xlsx) hoặc tệp
        CSV, mỗi dòng là một người. Hệ thống xem trước và chỉ nhập khi mọi dòng đều đúng.
      </p>

      {done ? (
        <div className="form-success" role="status">
          <p>Đã nhập xong danh sách.</p>
          <ul>
            <li>
              Hộ: {done.householdsNew} hộ mới, {done.householdsUpdated} hộ cập nhật,{" "}
              {done.householdsUnchanged} hộ không đổi.
            </li>
            <li>
              Nhân khẩu: {done.residentsNew} người mới, {done.residentsUpdated} người cập nhật,{" "}
              {done.residentsUnchanged} người không đổi.
            </li>
          </ul>
        </div>
      ) : null}

      {missingFile ? (
        <FormError
          message={
            `Không tìm thấy tệp xem trước này. ` +
            `Tệp đã xem trước mà chưa nhập được xoá sau ${previewKeepHours} giờ ` +
            `để giữ an toàn thông tin người dân. Hãy chọn lại tệp.`
          }
        />
      ) : null}

      <h2 id="chon-tep">{preview ? "Chọn tệp đã sửa" : "Bước 1. Chọn tệp"}</h2>
      <Form method="post" encType="multipart/form-data" noValidate>
        <input type="hidden" name="intent" value="preview" />
        <div className={`field${fileError ? " field--error" : ""}`}>
          <label htmlFor={fileId}>Tệp danh sách (.xlsx hoặc .csv, tối đa 5 MB)</label>
          <input
            id={fileId}
            name="file"
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${fileId}-error` : undefined}
          />
          {fileError ? (
            <p id={`${fileId}-error`} className="field__error" role="alert">
              {fileError}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button--primary" disabled={busyIntent === "preview"}>
          {busyIntent === "preview" ? "Đang đọc tệp…" : "Xem trước"}
        </button>
      </Form>

      {preview ? (
        <section aria-labelledby="kiem-tra" className="roster-preview">
          <h2 id="kiem-tra">Bước 2. Kiểm tra trước khi nhập</h2>
          <p>
            Tệp <strong>{preview.fileName}</strong>: {formatNumber(preview.rowCount)} dòng,{" "}
            {formatNumber(preview.householdCount)} hộ đọc được.
          </p>
          {preview.ignoredColumns.length > 0 ? (
            <p className="field__hint">Các cột không dùng, sẽ bỏ qua: {preview.ignoredColumns.join(", ")}.</p>
          ) : null}
          {preview.fileErrors.length > 0 ? (
            <div className="form-error" role="alert">
              {preview.fileErrors.map((e) => (
                <p key={e}>{e}</p>
              ))}
            </div>
          ) : null}
          {preview.issues.length > 0 ? (
            <>
              <FormError
                message={
                  `Có ${preview.issues.length} dòng cần sửa. Chưa có gì được nhập. ` +
                  `Hãy sửa các dòng dưới đây trong tệp, lưu lại rồi chọn tệp đã sửa ở trên.`
                }
              />
              <div className="table-wrap">
                <table className="roster-issues">
                  <caption className="visually-hidden">Các dòng cần sửa</caption>
                  <thead>
                    <tr>
                      <th scope="col">Dòng</th>
                      <th scope="col">Hộ – người</th>
                      <th scope="col">Cần sửa</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.issues.map((issue) => (
                      <tr key={issue.line}>
                        <td>{issue.line}</td>
                        <td>{issue.label}</td>
                        <td>
                          <ul className="plain-list">
                            {issue.messages.map((m) => (
                              <li key={m}>{m}</li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          {!blocked ? (
            <>
              <p>Mọi dòng đều đúng. Khi nhập, hệ thống sẽ:</p>
              <ul>
                <li>
                  thêm <strong>{preview.changes.householdsNew}</strong> hộ mới, cập nhật{" "}
                  <strong>{preview.changes.householdsUpdated}</strong> hộ, giữ nguyên{" "}
                  {preview.changes.householdsUnchanged} hộ;
                </li>
                <li>
                  thêm <strong>{preview.changes.residentsNew}</strong> người mới, cập nhật{" "}
                  <strong>{preview.changes.residentsUpdated}</strong> người, giữ nguyên{" "}
                  {preview.changes.residentsUnchanged} người.
                </li>
              </ul>
              <Form method="post">
                <input type="hidden" name="intent" value="commit" />
                <input type="hidden" name="uploadId" value={preview.uploadId} />
                <button type="submit" className="button button--primary" disabled={busyIntent === "commit"}>
                  {busyIntent === "commit" ? "Đang nhập…" : "Nhập vào hệ thống"}
                </button>
              </Form>
            </>
          ) : null}
        </section>
      ) : null}

      <h2 id="cot">Cách làm tệp danh sách</h2>
      <p>
        Bắt đầu từ tệp mẫu: <a href="/mau-danh-sach-ho-dan.xlsx">tệp mẫu Excel (.xlsx)</a> hoặc{" "}
        <a href="/mau-danh-sach-ho-dan.csv">tệp mẫu CSV</a>. Dòng đầu là tên cột; mỗi dòng sau là một người.
        Người cùng hộ ghi cùng mã hộ, cùng địa chỉ. Nhập lại tệp đã nhập không tạo trùng: hộ được cập nhật
        theo mã hộ. Nhập danh sách không bao giờ xoá người đã có.
      </p>
      <dl className="column-list">
        {rosterColumns.map((c) => (
          <div key={c.field}>
            <dt>
              {c.header}{" "}
              <span className={`badge ${c.required ? "badge--warn" : ""}`}>
                {c.required ? "bắt buộc" : "không bắt buộc"}
              </span>
            </dt>
            <dd>
              {c.description}
              {c.example ? <span className="field__hint"> Ví dụ: {c.example}</span> : null}
            </dd>
          </div>
        ))}
      </dl>
      <p>
        Các tổ dân phố của phường:{" "}
        {groups.map((g, i) => (
          <span key={g.code}>
            {i > 0 ? "; " : ""}
            <strong>{g.code}</strong> ({g.name})
          </span>
        ))}
        .
      </p>
    </section>
  );
}

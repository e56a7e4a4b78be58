import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError, SearchRow } from "~/components/forms";
import { certificateCounts, revokeCertificate, searchCertificates } from "~/certificates.server";
import { assertSameOrigin } from "~/csrf.server";
import { fieldErrors } from "~/forms/auth";
import { revokeSchema } from "~/forms/certificates";
import { formatDate } from "~/format";
import { getCompletionCatalog } from "~/learning-catalog.server";
import { requireActor } from "~/access.server";
import { readFormData, searchText } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Chứng nhận đã cấp – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  const q = searchText(new URL(request.url), "q");
  const [rows, counts] = await Promise.all([
    searchCertificates(actor, { query: q }),
    certificateCounts(actor),
  ]);
  const { titleOf } = await getCompletionCatalog();
  return {
    q,
    counts,
    rows: rows.map((r) => ({
      code: r.code,
      holderName: r.holderName,
      title: titleOf(r.courseKey),
      issuedOn: formatDate(r.issuedAt),
      revokedOn: r.revokedAt ? formatDate(r.revokedAt) : null,
      revokedReason: r.revokedReason,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireActor(request, "office");
  const form = await readFormData(request);
  const values = { code: String(form.get("code") ?? ""), reason: String(form.get("reason") ?? "") };
  const parsed = revokeSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false as const, values, errors: fieldErrors(parsed.error) };
  const result = await revokeCertificate(actor, { code: parsed.data.code, reason: parsed.data.reason });
  if (!result.ok) {
    const message =
      result.reason === "not_found"
        ? "Không tìm thấy chứng nhận này."
        : "Chứng nhận này đã bị thu hồi từ trước.";
    return { ok: false as const, values, errors: { form: message } };
  }
  return { ok: true as const, values, errors: {} as Record<string, string> };
}

export default function OfficeCertificates() {
  const { q, counts, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <section aria-labelledby="certs-title">
      <h1 id="certs-title">Chứng nhận đã cấp</h1>
      <p>
        Đã cấp {counts.total} chứng nhận, trong đó {counts.revoked} đã thu hồi.{" "}
        <Link to="/office/training">Xem tiến độ bồi dưỡng của thành viên Tổ</Link>
      </p>
      {actionData?.ok ? (
        <div className="form-success" role="status">
          Đã thu hồi chứng nhận {actionData.values.code}. Trang tra cứu giờ báo chứng nhận này đã bị thu hồi.
        </div>
      ) : (
        <FormError message={errors.form} />
      )}
      <SearchRow id="cert-q" label="Tìm theo mã hoặc tên" defaultValue={q} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Danh sách chứng nhận</caption>
          <thead>
            <tr>
              <th scope="col">Mã</th>
              <th scope="col">Người nhận</th>
              <th scope="col">Khoá học</th>
              <th scope="col">Ngày cấp</th>
              <th scope="col">Tình trạng</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code}>
                <td>
                  <Link to={`/verify/${r.code}`}>{r.code}</Link>
                </td>
                <td>{r.holderName}</td>
                <td>{r.title}</td>
                <td>{r.issuedOn}</td>
                <td>
                  {r.revokedOn ? (
                    <span className="badge badge--bad" title={r.revokedReason ?? undefined}>
                      Đã thu hồi {r.revokedOn}
                    </span>
                  ) : (
                    <details
                      open={actionData?.ok === false && actionData.values.code === r.code ? true : undefined}
                    >
                      <summary>Thu hồi…</summary>
                      <Form method="post" className="revoke-form">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="code" value={r.code} />
                        <label htmlFor={`reason-${r.code}`}>Lý do thu hồi</label>
                        <textarea
                          id={`reason-${r.code}`}
                          name="reason"
                          rows={2}
                          defaultValue={
                            actionData?.values.code === r.code ? actionData.values.reason : undefined
                          }
                          aria-invalid={
                            actionData?.values.code === r.code && errors.reason ? true : undefined
                          }
                          aria-describedby={
                            actionData?.values.code === r.code && errors.reason
                              ? `reason-${r.code}-error`
                              : undefined
                          }
                        />
                        {actionData?.values.code === r.code && errors.reason ? (
                          <p id={`reason-${r.code}-error`} className="field__error" role="alert">
                            {errors.reason}
                          </p>
                        ) : null}
                        <button type="submit" className="button button--danger" disabled={busy}>
                          Thu hồi chứng nhận {r.code}
                        </button>
                      </Form>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p>Không có chứng nhận nào khớp.</p> : null}
    </section>
  );
}

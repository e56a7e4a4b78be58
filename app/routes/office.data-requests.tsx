import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { assertSameOrigin } from "~/csrf.server";
import { formatDate } from "~/format";
import { requirePermission } from "~/permissions.server";
import { formatVietnamesePhone } from "~/phone";
import { closeDataRequest, listDataRequests } from "~/privacy.server";

export const meta: MetaFunction = () => [{ title: "Yêu cầu về dữ liệu cá nhân – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "office");
  const requests = await listDataRequests();
  return {
    requests: requests.map((r) => ({
      id: r.id,
      status: r.status,
      note: r.note,
      createdAt: r.createdAt.toISOString(),
      who: r.displayName ?? "Tài khoản đã xoá",
      contact: r.email ?? (r.phone ? formatVietnamesePhone(r.phone) : ""),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requirePermission(request, "office");
  const form = await request.formData();
  const id = Number(form.get("requestId"));
  const status = form.get("intent") === "refuse" ? "refused" : "done";
  if (!Number.isInteger(id)) throw new Response("Không tìm thấy yêu cầu.", { status: 404 });
  await closeDataRequest(user, id, status);
  return redirect("/office/data-requests");
}

const statusLabels = { open: "Đang chờ", done: "Đã xoá", refused: "Từ chối" } as const;

export default function DataRequests() {
  const { requests } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="requests-title">
      <h1 id="requests-title">Yêu cầu xoá dữ liệu cá nhân</h1>
      <p>Mỗi người có quyền yêu cầu xoá dữ liệu của mình. Hãy xử lý trong thời hạn luật định và ghi lại kết quả ở đây.</p>
      {requests.length === 0 ? <p>Chưa có yêu cầu nào.</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Ngày gửi</th>
              <th scope="col">Người gửi</th>
              <th scope="col">Lời nhắn</th>
              <th scope="col">Tình trạng</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <td>{formatDate(r.createdAt)}</td>
                <td>
                  {r.who}
                  <br />
                  {r.contact}
                </td>
                <td>{r.note ?? ""}</td>
                <td>
                  {statusLabels[r.status]}
                  {r.status === "open" ? (
                    <Form method="post" className="inline-actions">
                      <input type="hidden" name="requestId" value={r.id} />
                      <button type="submit" name="intent" value="done" className="button">
                        Đã xoá xong
                      </button>
                      <button type="submit" name="intent" value="refuse" className="button">
                        Từ chối
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

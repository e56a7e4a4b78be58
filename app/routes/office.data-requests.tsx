import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField } from "~/components/forms";
import { assertSameOrigin } from "~/csrf.server";
import { formatDate } from "~/format";
import { requireActor } from "~/access.server";
import { formatVietnamesePhone } from "~/phone";
import { closeDataRequest, eraseForRequest, listDataRequests } from "~/privacy.server";
import { readFormData, requireId } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Yêu cầu về dữ liệu cá nhân – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  const requests = await listDataRequests(actor);
  return {
    erased: new URL(request.url).searchParams.get("erased") === "1",
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
  const actor = await requireActor(request, "office");
  const form = await readFormData(request);
  const id = requireId(form.get("requestId"), "Không tìm thấy yêu cầu.");
  const intent = form.get("intent");
  if (intent === "refuse") {
    await closeDataRequest(actor, id, "refused");
    return redirect("/office/data-requests");
  }
  if (intent !== "erase") throw new Response("Yêu cầu không hợp lệ.", { status: 400 });
  if (form.get("confirm") !== "yes") {
    return {
      requestId: id,
      error: "Hãy đánh dấu ô xác nhận trước khi xoá: dữ liệu đã xoá không lấy lại được.",
    };
  }
  const erased = await eraseForRequest(actor, id);
  return redirect(erased ? "/office/data-requests?erased=1" : "/office/data-requests");
}

const statusLabels = { open: "Đang chờ", done: "Đã xoá", refused: "Từ chối" } as const;

export default function DataRequests() {
  const { requests, erased } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="requests-title">
      <h1 id="requests-title">Yêu cầu xoá dữ liệu cá nhân</h1>
      <p>Mỗi người có quyền yêu cầu xoá dữ liệu của mình. Hãy xử lý trong thời hạn luật định.</p>
      <p>
        Khi bấm <strong>Xoá dữ liệu</strong>, HọcSố xoá ngay: bài đã học, kết quả bài kiểm tra, giấy chứng
        nhận (không còn tra cứu được), thông tin nhân khẩu và kỹ năng trong danh sách hộ, phiên đăng nhập và
        thư; tài khoản bị khoá và không còn tên, số điện thoại, email. Nếu là thành viên Tổ, người đó rời Tổ
        và các hộ được giao trở về tổ trưởng. Các lần đến hộ đã ghi vẫn giữ, dưới tên “Người dùng đã xoá”.
      </p>
      {erased ? (
        <p className="form-success" role="status">
          Đã xoá dữ liệu theo yêu cầu.
        </p>
      ) : null}
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
                    <>
                      <Form method="post" className="erase-form">
                        <input type="hidden" name="requestId" value={r.id} />
                        <CheckboxField
                          name="confirm"
                          value="yes"
                          label="Tôi đã kiểm tra đúng người; xoá vĩnh viễn"
                          error={actionData?.requestId === r.id ? actionData.error : undefined}
                        />
                        <button type="submit" name="intent" value="erase" className="button button--danger">
                          Xoá dữ liệu
                        </button>
                      </Form>
                      <Form method="post" className="inline-actions">
                        <input type="hidden" name="requestId" value={r.id} />
                        <button type="submit" name="intent" value="refuse" className="button">
                          Từ chối
                        </button>
                      </Form>
                    </>
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

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { assertSameOrigin } from "~/csrf.server";
import { formatDate } from "~/format";
import { requireUser } from "~/permissions.server";
import { openDeletionRequest, requestDeletion } from "~/privacy.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Dữ liệu của tôi – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const open = await openDeletionRequest(user.id);
  return { openRequestAt: open?.createdAt.toISOString() ?? null };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = await readFormData(request);
  if (form.get("intent") !== "request-deletion") throw new Response("Yêu cầu không hợp lệ.", { status: 400 });
  const note = String(form.get("note") ?? "")
    .trim()
    .slice(0, 1000);
  const result = await requestDeletion(user.id, note || null);
  return { created: result.created };
}

export default function MyData() {
  const { openRequestAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Dữ liệu của tôi</h1>
      <p>
        Theo Luật Bảo vệ dữ liệu cá nhân (Luật số 91/2025/QH15), bạn có quyền xem, tải về và yêu cầu xoá thông
        tin HọcSố lưu về bạn. <Link to="/privacy">HọcSố lưu những gì và để làm gì?</Link>
      </p>
      <h2>Tải về</h2>
      <p>
        Một tệp JSON chứa tài khoản, thông tin hộ gia đình, kỹ năng, bài đã học, kết quả bài kiểm tra, chứng
        nhận và lịch sử thay đổi.
      </p>
      <p>
        <a href="/me/data.json" className="button button--primary" download>
          Tải dữ liệu của tôi (JSON)
        </a>
      </p>
      <h2>Yêu cầu xoá</h2>
      {actionData?.created ? (
        <p className="form-success" role="status">
          Đã gửi yêu cầu xoá. Phòng Văn hoá – Xã hội sẽ xử lý và báo lại cho bạn.
        </p>
      ) : null}
      {openRequestAt ? (
        <p className="callout callout--tip">
          Bạn đã gửi yêu cầu xoá ngày {formatDate(openRequestAt)}. Yêu cầu đang chờ Phòng Văn hoá – Xã hội xử
          lý.
        </p>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="request-deletion" />
          <div className="field">
            <label htmlFor="note">Lý do hoặc lời nhắn (không bắt buộc)</label>
            <textarea id="note" name="note" rows={3} maxLength={1000} />
          </div>
          <p>
            Khi xoá, bạn mất bài đã học và giấy chứng nhận. Giấy chứng nhận đã cấp sẽ không còn tra cứu được.
          </p>
          <button type="submit" className="button button--danger">
            Gửi yêu cầu xoá dữ liệu
          </button>
        </Form>
      )}
    </section>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { getAccountSummary } from "~/accounts.server";
import { resendVerification } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { formatDate } from "~/format";
import { roleLabels } from "~/vocabulary";
import { can, requireUser } from "~/permissions.server";
import { formatVietnamesePhone } from "~/phone";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Tài khoản của tôi – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const account = await getAccountSummary(user.id);
  if (!account) throw new Response("Không tìm thấy tài khoản.", { status: 404 });
  // Which of "what you can do" to offer: what the account's role may do.
  const may = {
    linkToRoster: can(account.role, "linkToRoster") && !account.residentName,
    fieldWork: can(account.role, "fieldWork"),
    issueResetCodes: can(account.role, "issueResetCodes"),
    office: can(account.role, "office"),
    admin: can(account.role, "admin"),
  };
  return {
    may,
    account: {
      ...account,
      phone: account.phone ? formatVietnamesePhone(account.phone) : null,
      emailVerified: account.emailVerifiedAt !== null,
      consentAt: account.consentAt?.toISOString() ?? null,
      emailVerifiedAt: undefined,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = await readFormData(request);
  if (form.get("intent") === "resend-verification") {
    const sent = await resendVerification(user.id, request);
    return {
      message: sent
        ? "Đã gửi lại thư xác nhận. Hãy mở hộp thư của bạn."
        : "Email của bạn đã được xác nhận rồi.",
    };
  }
  throw new Response("Yêu cầu không hợp lệ.", { status: 400 });
}

export default function Me() {
  const { account, may } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <section aria-labelledby="me-title">
      <h1 id="me-title">Tài khoản của tôi</h1>
      {params.get("welcome") ? (
        <p className="form-success" role="status">
          Chào mừng {account.displayName}! Tài khoản của bạn đã sẵn sàng.
        </p>
      ) : null}
      {params.get("done") === "password" ? (
        <p className="form-success" role="status">
          Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất.
        </p>
      ) : null}
      {params.get("done")?.startsWith("profile") ? (
        <p className="form-success" role="status">
          Đã lưu thông tin.
          {params.get("done") === "profile-email" ? " Hãy mở hộp thư để xác nhận email mới." : ""}
        </p>
      ) : null}
      {params.get("done") === "linked" ? (
        <p className="form-success" role="status">
          Đã liên kết tài khoản với hộ gia đình của bạn.
        </p>
      ) : null}
      {actionData?.message ? (
        <p className="form-success" role="status">
          {actionData.message}
        </p>
      ) : null}
      <dl className="account-facts">
        <div>
          <dt>Họ và tên</dt>
          <dd>{account.displayName}</dd>
        </div>
        <div>
          <dt>Vai trò</dt>
          <dd>{roleLabels[account.role]}</dd>
        </div>
        {account.phone ? (
          <div>
            <dt>Số điện thoại</dt>
            <dd>{account.phone}</dd>
          </div>
        ) : null}
        {account.email ? (
          <div>
            <dt>Email</dt>
            <dd>
              {account.email}{" "}
              {account.emailVerified ? (
                <span className="badge badge--ok">Đã xác nhận</span>
              ) : (
                <span className="badge badge--warn">Chưa xác nhận</span>
              )}
            </dd>
          </div>
        ) : null}
        {account.residentName ? (
          <div>
            <dt>Hộ gia đình</dt>
            <dd>
              {account.householdAddress}, {account.groupName}
            </dd>
          </div>
        ) : null}
        {account.consentAt ? (
          <div>
            <dt>Đồng ý lưu dữ liệu</dt>
            <dd>{formatDate(account.consentAt)}</dd>
          </div>
        ) : null}
      </dl>
      {account.email && !account.emailVerified ? (
        <Form method="post">
          <input type="hidden" name="intent" value="resend-verification" />
          <button type="submit" className="button">
            Gửi lại thư xác nhận email
          </button>
        </Form>
      ) : null}
      <h2>Việc bạn có thể làm</h2>
      <ul className="link-list">
        {may.linkToRoster ? (
          <li>
            <Link to="/me/link">Liên kết với hộ gia đình bằng mã hộ</Link>
          </li>
        ) : null}
        {may.fieldWork ? (
          <>
            <li>
              <Link to="/field/register">Ghi tên người dân vào danh sách hộ</Link>
            </li>
            <li>
              <Link to="/field/link">Nối tài khoản người dân với danh sách hộ</Link>
            </li>
          </>
        ) : null}
        {may.issueResetCodes ? (
          <li>
            <Link to="/reset-codes">Cấp mã đặt lại mật khẩu cho người quên mật khẩu</Link>
          </li>
        ) : null}
        {may.office ? (
          <>
            <li>
              <Link to="/office/members">Thêm thành viên Tổ CNSCĐ</Link>
            </li>
            <li>
              <Link to="/office/data-requests">Yêu cầu xoá dữ liệu cá nhân</Link>
            </li>
          </>
        ) : null}
        {may.admin ? (
          <li>
            <Link to="/admin">Người dùng và vai trò</Link>
          </li>
        ) : null}
        <li>
          <Link to="/me/profile">Sửa họ tên hoặc email</Link>
        </li>
        <li>
          <Link to="/me/password">Đổi mật khẩu</Link>
        </li>
        <li>
          <Link to="/me/sessions">Các thiết bị đang đăng nhập</Link>
        </li>
        <li>
          <Link to="/me/data">Dữ liệu của tôi: tải về hoặc yêu cầu xoá</Link>
        </li>
      </ul>
    </section>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { assertSameOrigin } from "~/csrf.server";
import { roleLabels, roles, type Role } from "~/vocabulary";
import { requireActor } from "~/access.server";
import { formatVietnamesePhone } from "~/phone";
import { changeRole, listUsers } from "~/users.server";
import { pageFrom, readFormData, requireId, searchText } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Quản trị người dùng và vai trò – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request, "admin");
  const params = new URL(request.url).searchParams;
  const role = params.get("role");
  const result = await listUsers({
    query: searchText(new URL(request.url), "q") || undefined,
    role: role && (roles as readonly string[]).includes(role) ? (role as Role) : null,
    page: pageFrom(params.get("page")),
  });
  return {
    ...result,
    users: result.users.map((u) => ({
      ...u,
      phone: u.phone ? formatVietnamesePhone(u.phone) : null,
      disabled: u.disabledAt !== null,
      disabledAt: undefined,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const admin = await requireActor(request, "admin");
  const form = await readFormData(request);
  const userId = requireId(form.get("userId"), "Không tìm thấy người dùng.");
  const result = await changeRole(admin, userId, String(form.get("role") ?? ""));
  if (!result.ok) {
    return {
      error: {
        self: "Bạn không tự đổi vai trò của mình được.",
        not_found: "Không tìm thấy người dùng.",
        bad_role: "Vai trò không hợp lệ.",
      }[result.reason],
      userId,
    };
  }
  const url = new URL(request.url);
  url.searchParams.set("changed", String(userId));
  return redirect(url.pathname + url.search);
}

export default function AdminUsers() {
  const { users, hasMore, page } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const changed = Number(params.get("changed"));
  const pageLink = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    next.delete("changed");
    return `?${next.toString()}`;
  };
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Người dùng và vai trò</h1>
      <p>
        Mỗi lần đổi vai trò được ghi vào nhật ký (ai đổi, đổi gì, lúc nào); người được đổi phải đăng nhập lại.
      </p>
      {changed ? (
        <p className="form-success" role="status">
          Đã đổi vai trò.
        </p>
      ) : null}
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {actionData.error}
        </p>
      ) : null}
      <Form method="get" className="filter-form">
        <div className="field">
          <label htmlFor="q">Tìm theo tên, email hoặc số điện thoại</label>
          <input id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="role-filter">Vai trò</label>
          <select id="role-filter" name="role" defaultValue={params.get("role") ?? ""}>
            <option value="">Tất cả</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Tìm
        </button>
      </Form>
      <div className="table-wrap">
        <table className="stack-table">
          <thead>
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col">Đăng nhập bằng</th>
              <th scope="col">Vai trò</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.displayName}
                  {u.managed ? <span className="badge">chưa có mật khẩu</span> : null}
                </td>
                <td>{u.email ?? u.phone ?? "—"}</td>
                <td>
                  <Form method="post" className="inline-actions">
                    <input type="hidden" name="userId" value={u.id} />
                    <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                      Vai trò của {u.displayName}
                    </label>
                    <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                      {roles.map((r) => (
                        <option key={r} value={r}>
                          {roleLabels[r]}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button">
                      Lưu
                    </button>
                    {u.id === changed ? <span className="badge badge--ok">Đã lưu</span> : null}
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="actions">
        {page > 1 ? <Link to={pageLink(page - 1)}>← Trang trước</Link> : null}
        {hasMore ? <Link to={pageLink(page + 1)}>Trang sau →</Link> : null}
      </p>
    </section>
  );
}

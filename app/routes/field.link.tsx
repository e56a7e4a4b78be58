import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { householdLinkCode, listHouseholdsInScope, listResidentsForLinking } from "~/accounts.server";
import { requireFieldWorker } from "~/access.server";
import { idFrom } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Liên kết tài khoản người dân – HọcSố" }];

/**
 * A member helps a resident link their own account: only the account's owner, signed in on their
 * own phone, can link it (with the household's code at /me/link). A member who could link any
 * account by its number could then have a reset code issued for it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireFieldWorker(request);
  const householdId = idFrom(new URL(request.url).searchParams.get("household"));
  const households = await listHouseholdsInScope(actor);
  const chosen = households.find((h) => h.id === householdId) ?? null;
  const [residents, linkCode] = chosen
    ? await Promise.all([listResidentsForLinking(actor, chosen.id), householdLinkCode(actor, chosen.id)])
    : [[], null];
  return { households, chosen, residents, linkCode };
}

export default function LinkInField() {
  const { households, chosen, residents, linkCode } = useLoaderData<typeof loader>();
  return (
    <section className="narrow" aria-labelledby="field-link-title">
      <h1 id="field-link-title">Liên kết tài khoản với danh sách hộ</h1>
      <p>
        Người dân đã có tài khoản tự liên kết tài khoản của mình với hộ, trên điện thoại của họ: như vậy không
        ai khác nối được tài khoản của họ. Bạn chọn hộ, đọc mã hộ cho họ và hướng dẫn từng bước.
      </p>
      <Form method="get">
        <div className="field">
          <label htmlFor="household">Hộ gia đình</label>
          <select id="household" name="household" defaultValue={chosen?.id ?? ""}>
            <option value="">Chọn hộ…</option>
            {households.map((h) => (
              <option key={h.id} value={h.id}>
                {h.code} – {h.address}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Xem người trong hộ
        </button>
      </Form>
      {chosen ? (
        <>
          <h2>Người dân trong hộ</h2>
          <ul>
            {residents.map((r) => (
              <li key={r.id}>
                {r.fullName}, sinh năm {r.birthYear}
                {r.accountId ? (r.managed ? " (đang học cùng Tổ)" : " (đã có tài khoản)") : ""}
              </li>
            ))}
          </ul>
          <h2>Người dân tự liên kết</h2>
          <p>
            Mã hộ: <span className="code">{linkCode}</span>
          </p>
          <ol>
            <li>Người dân đăng nhập HọcSố trên điện thoại của mình.</li>
            <li>
              Vào <strong>Tài khoản</strong>, chọn <strong>Liên kết với hộ gia đình bằng mã hộ</strong>.
            </li>
            <li>Nhập mã hộ ở trên, rồi chọn tên của mình.</li>
          </ol>
          <p>
            Nếu người đó đã học cùng Tổ trước đây, bài đã học và chứng nhận được chuyển sang tài khoản của họ.
          </p>
        </>
      ) : null}
    </section>
  );
}

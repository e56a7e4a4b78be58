import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { verifyEmail } from "~/auth.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Xác nhận email – HọcSố" }];

/** Opening the link is the confirmation: it only marks an address as the account holder's own. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { verified: token !== "" && (await verifyEmail(token)) };
}

export default function VerifyEmail() {
  const { verified } = useLoaderData<typeof loader>();
  return (
    <section className="narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">{verified ? "Đã xác nhận email" : "Không xác nhận được email"}</h1>
      {verified ? (
        <p className="form-success" role="status">
          Cảm ơn bạn. Từ nay, nếu quên mật khẩu, bạn có thể nhận đường dẫn đặt lại qua email này.
        </p>
      ) : (
        <p>
          Đường dẫn đã được dùng hoặc đã hết hạn (48 giờ). Bạn có thể gửi lại thư xác nhận ở trang tài khoản
          của mình.
        </p>
      )}
      <p>
        <Link to="/me" className="button">
          Về trang tài khoản
        </Link>
      </p>
    </section>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { checkBadge } from "~/badges.server";
import { formatDate } from "~/format";
import { teamRoleLabels, type TeamRole } from "~/vocabulary";

export const meta: MetaFunction = () => [
  { title: "Kiểm tra thẻ thành viên – HọcSố" },
  { name: "robots", content: "noindex" },
];

type BadgeView =
  | { status: "unknown"; code: string }
  | {
      status: "current" | "ended";
      code: string;
      holderName: string;
      teamName: string;
      groupName: string;
      wardName: string;
      role: TeamRole;
      affiliation: string | null;
      endedAt: Date | string | null;
    };

export async function loader({ params }: LoaderFunctionArgs) {
  const result = await checkBadge(params.code ?? "");
  const body: BadgeView =
    result.status === "unknown"
      ? { status: result.status, code: (params.code ?? "").slice(0, 40) }
      : {
          status: result.status,
          code: result.badge.code,
          holderName: result.badge.holderName,
          teamName: result.badge.teamName,
          groupName: result.badge.groupName,
          wardName: result.badge.wardName,
          role: result.badge.role,
          affiliation: result.badge.affiliation,
          endedAt: result.badge.endedAt,
        };
  return data(body, {
    status: result.status === "unknown" ? 404 : 200,
    headers: { "Cache-Control": "no-store" },
  });
}

export const handle = { hydrate: false, offlineStatus: false };

export default function BadgeCheck() {
  const badge = useLoaderData() as BadgeView;
  return (
    <section aria-labelledby="check-title" className="badge-check">
      <h1 id="check-title">Kiểm tra thẻ thành viên Tổ Công nghệ số cộng đồng</h1>
      {badge.status === "current" && "holderName" in badge ? (
        <div className="verdict verdict--ok" role="status">
          <p className="verdict__title">✓ Đây là thành viên hiện tại của Tổ</p>
          <p>
            <strong>{badge.holderName}</strong> – {teamRoleLabels[badge.role]}
            {badge.affiliation ? ` (${badge.affiliation})` : ""}
          </p>
          <p>
            {badge.teamName}, {badge.groupName}, {badge.wardName.replace(/^Phường/, "phường")}.
          </p>
          <p>Hãy so tên trên trang này với thẻ và với người đang đứng trước mặt bạn.</p>
        </div>
      ) : null}
      {badge.status === "ended" && "holderName" in badge ? (
        <div className="verdict verdict--bad" role="alert">
          <p className="verdict__title">✗ Người này không còn là thành viên</p>
          <p>
            <strong>{badge.holderName}</strong> đã thôi tham gia {badge.teamName}
            {badge.endedAt ? ` từ ngày ${formatDate(badge.endedAt)}` : ""}. Thẻ này không còn giá trị.
          </p>
        </div>
      ) : null}
      {badge.status === "unknown" ? (
        <div className="verdict verdict--bad" role="alert">
          <p className="verdict__title">✗ Không có thẻ nào mang mã này</p>
          <p>Mã “{badge.code}” không có trong hệ thống. Thẻ có thể là giả.</p>
        </div>
      ) : null}
      <div className="callout callout--scam" role="note">
        <p className="callout__title">Cẩn thận kẻ giả danh</p>
        <p>
          Thành viên của Tổ và công an không bao giờ hỏi mật khẩu, mã OTP, không bảo bạn cài ứng dụng lạ hay
          chuyển tiền để “kích hoạt VNeID mức 2”. Việc kích hoạt mức 2 làm tại công an phường, bạn không phải
          trả tiền.
        </p>
        <p>
          Nếu nghi ngờ, đừng làm theo. Gọi công an phường nơi bạn ở hoặc tổng đài <strong>0236 1022</strong>.
        </p>
      </div>
      <p>
        <Link to="/badge">Kiểm tra một mã khác</Link>
      </p>
    </section>
  );
}

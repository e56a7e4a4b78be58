import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { badgeUrl, getCurrentBadge } from "~/badges.server";
import { formatDate } from "~/format";
import { teamRoleLabels } from "~/vocabulary";
import { forbidden, requirePermission } from "~/permissions.server";
import { qrSvg } from "~/qr.server";
import { publicScript } from "~/static-assets.server";

export const meta: MetaFunction = () => [{ title: "Thẻ thành viên – HọcSố" }];

/** Plain HTML; the print button is the small public/print.js. */
export const handle = { hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "fieldWork");
  const badge = await getCurrentBadge(user.id);
  if (!badge) throw forbidden();
  const url = badgeUrl(badge.code);
  return { badge, url, svg: await qrSvg(url, { margin: 2 }), printScript: publicScript("print.js") };
}

export default function MemberBadge() {
  const { badge, url, svg, printScript } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="badge-title" className="member-badge">
      <p className="no-print">
        <Link to="/field">← Hộ của tôi</Link>
      </p>
      <div className="badge-card">
        <p className="badge-card__org">Tổ Công nghệ số cộng đồng · {badge.wardName}</p>
        <h1 id="badge-title" className="badge-card__name">
          {badge.holderName}
        </h1>
        <dl className="facts">
          <div>
            <dt>Vai trò</dt>
            <dd>
              {teamRoleLabels[badge.role]}
              {badge.affiliation ? ` · ${badge.affiliation}` : ""}
            </dd>
          </div>
          <div>
            <dt>Tổ</dt>
            <dd>{badge.teamName}</dd>
          </div>
          <div>
            <dt>Tổ dân phố</dt>
            <dd>{badge.groupName}</dd>
          </div>
          <div>
            <dt>Tham gia từ</dt>
            <dd>{formatDate(badge.startedAt)}</dd>
          </div>
        </dl>
        <figure className="badge-card__qr">
          <div
            role="img"
            aria-label={`Mã QR dẫn đến trang kiểm tra thẻ ${badge.code}`}
            // biome-ignore lint/security/noDangerouslySetInnerHtml: an SVG the server drew (qr.server)
            dangerouslySetInnerHTML={{ __html: svg }}
          />
          <figcaption>
            Quét mã để kiểm tra, hoặc vào <span className="code">{url}</span>
          </figcaption>
        </figure>
        <p className="badge-card__code">
          Mã thẻ: <span className="code">{badge.code}</span>
        </p>
      </div>
      <div className="callout callout--scam no-print" role="note">
        <p className="callout__title">Khi đến nhà người dân</p>
        <p>
          Mời gia đình quét mã QR trên thẻ để tự kiểm tra. Không bao giờ hỏi mật khẩu, mã OTP, hay nhờ chuyển
          tiền; người dân tự bấm trên điện thoại của mình.
        </p>
      </div>
      <p className="no-print">
        <button type="button" className="button" data-print="" hidden>
          In thẻ
        </button>
      </p>
      <script src={printScript} defer />
    </section>
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getWardOverview } from "~/home.server";
import { formatNumber } from "~/format";

export async function loader(_: LoaderFunctionArgs) {
  return { overview: await getWardOverview() };
}

const topics = [
  {
    title: "Nền tảng số của thành phố và quốc gia",
    text: "Cài và dùng VNeID, ứng dụng Danang Smart City, tổng đài 1022 để hỏi việc và phản ánh.",
  },
  {
    title: "Nộp hồ sơ và thanh toán trực tuyến",
    text: "Đăng nhập Cổng dịch vụ công, nộp và theo dõi hồ sơ, trả phí, quét mã QR an toàn.",
  },
  {
    title: "An toàn thông tin trong cộng đồng",
    text: "Nhận ra kẻ giả danh công an, điện lực, thuế; giữ kín mật khẩu và mã OTP; biết làm gì khi bị lừa.",
  },
];

export default function Home() {
  const { overview } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Học kỹ năng số, dễ hiểu, từng bước</h1>
        <p className="lead">
          HọcSố giúp bà con phường An Hải dùng điện thoại để làm giấy tờ, trả tiền và giữ an toàn trên mạng. Học miễn phí, học lúc nào
          cũng được. Khi học xong, bạn nhận giấy chứng nhận.
        </p>
        <p className="actions">
          <Link to="/courses" className="button button--primary">
            Bắt đầu học
          </Link>
          <Link to="/signup" className="button">
            Tạo tài khoản
          </Link>
        </p>
      </section>

      <section aria-labelledby="what-title">
        <h2 id="what-title">Bạn sẽ học gì?</h2>
        <ol className="topic-list">
          {topics.map((topic) => (
            <li key={topic.title}>
              <h3>{topic.title}</h3>
              <p>{topic.text}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="help-title">
        <h2 id="help-title">Có người giúp bạn tận nhà</h2>
        <p>
          Mỗi tổ dân phố có một <strong>Tổ Công nghệ số cộng đồng</strong>: đoàn viên thanh niên, thầy cô giáo, hội phụ nữ và công an khu
          vực. Họ đến từng nhà, ngồi bên bạn và hướng dẫn từng bước. Bạn tự bấm trên điện thoại của mình.
        </p>
        <div className="callout callout--scam" role="note">
          <p className="callout__title">Cẩn thận kẻ giả danh</p>
          <p>
            Thành viên của Tổ không bao giờ hỏi mật khẩu, mã OTP hay bảo bạn chuyển tiền. Hãy xin xem thẻ thành viên và quét mã QR trên thẻ
            để kiểm tra.
          </p>
        </div>
      </section>

      <section aria-labelledby="progress-title">
        <h2 id="progress-title">Phường An Hải đã làm được</h2>
        <dl className="stat-grid">
          <div>
            <dt>Hộ gia đình đã được Tổ đến hướng dẫn</dt>
            <dd>
              {formatNumber(overview.householdsVisited)} / {formatNumber(overview.households)}
            </dd>
          </div>
          <div>
            <dt>Người đã học ít nhất một bài</dt>
            <dd>{formatNumber(overview.learners)}</dd>
          </div>
          <div>
            <dt>Tổ Công nghệ số cộng đồng</dt>
            <dd>{formatNumber(overview.teams)}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="bdhvs-title">
        <h2 id="bdhvs-title">Phong trào “Bình dân học vụ số”</h2>
        <p>
          Đây là phong trào cả nước cùng học kỹ năng số. Phường An Hải đặt mục tiêu: 80% người trưởng thành có kỹ năng số cơ bản, 100% hộ
          dân được hướng dẫn cài Danang Smart City, mọi công dân từ 16 tuổi có danh tính số trên VNeID.
        </p>
      </section>
    </>
  );
}

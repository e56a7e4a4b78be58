import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { PrimaryStep } from "~/components/learning";
import { listCoursesFor, resumeStepFor } from "~/courses/catalog.server";
import { getWardOverview } from "~/home.server";
import { formatNumber } from "~/format";
import { asViewer, optionalLearner } from "~/learner.server";
import { getUser } from "~/permissions.server";

export const handle = { hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const learner = await optionalLearner(request, user);
  const viewer = learner ? asViewer(learner) : null;
  const [overview, courses, resume] = await Promise.all([
    getWardOverview(),
    listCoursesFor(viewer),
    viewer ? resumeStepFor(viewer) : null,
  ]);
  // The course titles and summaries are the catalogue's own (course.yaml), word for word.
  return {
    overview,
    signedIn: Boolean(user),
    resume,
    topics: courses.map((c) => ({ id: c.id, title: c.title, text: c.summary })),
  };
}

export default function Home() {
  const { overview, signedIn, resume, topics } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Học kỹ năng số, dễ hiểu, từng bước</h1>
        <p className="lead">
          HọcSố giúp bà con phường An Hải dùng điện thoại để làm giấy tờ, trả tiền và giữ an toàn trên mạng.
          Học miễn phí, học lúc nào cũng được. Khi học xong, bạn nhận giấy chứng nhận.
        </p>
        {resume ? (
          <PrimaryStep to={resume.to} label={resume.label} />
        ) : signedIn ? (
          <p className="actions">
            <Link to="/learning" className="button button--primary">
              Xem việc học của tôi
            </Link>
          </p>
        ) : (
          <p className="actions">
            <Link to="/courses" className="button button--primary">
              Bắt đầu học
            </Link>
            <Link to="/signup" className="button">
              Tạo tài khoản
            </Link>
          </p>
        )}
      </section>

      <section aria-labelledby="what-title">
        <h2 id="what-title">Bạn sẽ học gì?</h2>
        <ol className="topic-list">
          {topics.map((topic) => (
            <li key={topic.id}>
              <h3>
                <Link to={`/courses/${topic.id}`}>{topic.title}</Link>
              </h3>
              <p>{topic.text}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="help-title">
        <h2 id="help-title">Có người giúp bạn tận nhà</h2>
        <p>
          Mỗi tổ dân phố có một <strong>Tổ Công nghệ số cộng đồng</strong>: đoàn viên thanh niên, thầy cô
          giáo, hội phụ nữ và công an khu vực. Họ đến từng nhà, ngồi bên bạn và hướng dẫn từng bước. Bạn tự
          bấm trên điện thoại của mình.
        </p>
        <div className="callout callout--scam" role="note">
          <p className="callout__title">Cẩn thận kẻ giả danh</p>
          <p>
            Thành viên của Tổ không bao giờ hỏi mật khẩu, mã OTP hay bảo bạn chuyển tiền. Hãy xin xem thẻ
            thành viên và quét mã QR trên thẻ để kiểm tra.
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
          Đây là phong trào cả nước cùng học kỹ năng số. Phường An Hải đặt mục tiêu: 80% người trưởng thành có
          kỹ năng số cơ bản, 100% hộ dân được hướng dẫn cài Danang Smart City, mọi công dân từ 16 tuổi có danh
          tính số trên VNeID.
        </p>
      </section>
    </>
  );
}

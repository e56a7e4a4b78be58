import type { MetaFunction } from "@remix-run/node";
import { Link } from "~/components/link";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Dữ liệu cá nhân của bạn – HọcSố" }];

export default function Privacy() {
  return (
    <section aria-labelledby="privacy-title">
      <h1 id="privacy-title">HọcSố lưu gì về bạn, và vì sao</h1>
      <p>
        HọcSố làm theo Luật Bảo vệ dữ liệu cá nhân (Luật số 91/2025/QH15) và Nghị định 356/2025/NĐ-CP. Chúng
        tôi chỉ lưu những gì cần để bạn học, để Tổ Công nghệ số cộng đồng giúp bạn và để phường theo dõi kết
        quả.
      </p>
      <h2>Những gì được lưu</h2>
      <ul>
        <li>
          Họ tên, số điện thoại hoặc email để đăng nhập; mật khẩu được mã hoá một chiều, không ai đọc được.
        </li>
        <li>Năm sinh, hộ gia đình và tổ dân phố, nếu bạn hoặc Tổ CNSCĐ ghi vào danh sách.</li>
        <li>Bài đã học, kết quả bài kiểm tra, giấy chứng nhận và các kỹ năng số bạn đã làm được.</li>
        <li>Thiết bị đang đăng nhập (loại trình duyệt, không lưu vị trí).</li>
      </ul>
      <h2>Những gì không bao giờ lưu</h2>
      <p>Số căn cước công dân, ảnh giấy tờ, thông tin sức khoẻ, mật khẩu hay mã OTP của các ứng dụng khác.</p>
      <h2>Quyền của bạn</h2>
      <p>
        Bạn có thể xem và tải về toàn bộ dữ liệu của mình, hoặc yêu cầu xoá, ở trang{" "}
        <Link to="/me/data">Dữ liệu của tôi</Link>. Mỗi thay đổi về vai trò và thông tin cá nhân đều được ghi
        lại: ai đổi, đổi gì, lúc nào.
      </p>
    </section>
  );
}

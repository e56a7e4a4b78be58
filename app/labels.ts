/** How pages and exports name priority groups, skills and courses. Browser-safe. */
import { CORE_COURSES } from "~/targets";

/** The plan's priority groups. */
export const priorityLabels = {
  elderly: "Người cao tuổi",
  poor: "Hộ nghèo",
  near_poor: "Hộ cận nghèo",
  freelance: "Lao động tự do",
  trader: "Tiểu thương",
} as const;

export const skillLabels: Record<string, string> = {
  vneid_installed: "Đã cài VNeID",
  vneid_level2: "Đã kích hoạt VNeID mức 2",
  bhyt_in_vneid: "Thẻ BHYT trên VNeID",
  dsc_installed: "Đã cài Danang Smart City",
  dvc_account: "Có tài khoản dịch vụ công",
  cashless_payment: "Thanh toán không dùng tiền mặt",
  bdhvs_confirmed: "Đã xác nhận “Bình dân học vụ số” trên VNeID",
};

export function courseTitle(key: string): string {
  if (key === "programme") return "Chương trình bồi dưỡng kỹ năng số cơ bản (cả 3 khoá)";
  return CORE_COURSES.find((c) => c.id === key)?.title ?? key;
}

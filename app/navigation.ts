/** The header's links for each role. Browser-safe: the root loader sends only the role. */
import type { Role } from "~/vocabulary";

export interface NavItem {
  to: string;
  label: string;
}

const learner: NavItem[] = [{ to: "/courses", label: "Khoá học" }];

export function navigationFor(role: Role | null): NavItem[] {
  switch (role) {
    case null:
      return [...learner, { to: "/verify", label: "Tra cứu chứng nhận" }];
    case "resident":
      return [...learner, { to: "/learning", label: "Việc học" }, { to: "/me", label: "Của tôi" }];
    case "member":
      return [
        ...learner,
        { to: "/learning", label: "Việc học" },
        { to: "/field", label: "Hộ của tôi" },
        { to: "/assist", label: "Học cùng dân" },
        { to: "/me", label: "Của tôi" },
      ];
    case "leader":
      return [
        ...learner,
        { to: "/learning", label: "Việc học" },
        { to: "/field", label: "Hộ của tôi" },
        { to: "/assist", label: "Học cùng dân" },
        { to: "/team", label: "Tổ của tôi" },
        { to: "/reports", label: "Báo cáo quý" },
        { to: "/me", label: "Của tôi" },
      ];
    case "office":
      return [
        { to: "/office", label: "Bảng theo dõi" },
        { to: "/reports", label: "Báo cáo quý" },
        { to: "/office/roster", label: "Danh sách hộ" },
        { to: "/office/certificates", label: "Chứng nhận" },
        { to: "/office/training", label: "Bồi dưỡng Tổ" },
        ...learner,
        { to: "/me", label: "Của tôi" },
      ];
    case "admin":
      return [
        { to: "/office", label: "Bảng theo dõi" },
        { to: "/office/roster", label: "Danh sách hộ" },
        { to: "/admin", label: "Quản trị" },
        { to: "/me", label: "Của tôi" },
      ];
  }
}

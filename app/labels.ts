/** How pages and exports name courses. Browser-safe. */
import { CORE_COURSES } from "~/targets";

export function courseTitle(key: string): string {
  if (key === "programme") return "Chương trình bồi dưỡng kỹ năng số cơ bản (cả 3 khoá)";
  return CORE_COURSES.find((c) => c.id === key)?.title ?? key;
}

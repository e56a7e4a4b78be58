import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { forbidden, requireUser } from "~/permissions.server";
import { teamOf } from "~/reports.server";

/** "Báo cáo quý": a team's people go to their team's report, a ward office to its ward's. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (user.role === "leader" || user.role === "member") {
    const teamId = await teamOf(user);
    if (!teamId) throw forbidden();
    throw redirect(`/reports/teams/${teamId}`);
  }
  if (user.role === "office" && user.wardId) throw redirect(`/reports/wards/${user.wardId}`);
  if (user.role === "office" || user.role === "admin") throw redirect("/office/city");
  throw forbidden();
}

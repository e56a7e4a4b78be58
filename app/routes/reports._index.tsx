import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { canSeeCity, requireActor } from "~/access.server";
import { can, forbidden } from "~/permissions.server";

/** "Báo cáo quý": a team's people go to their team's report, a ward office to its ward's. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  if (can(actor.role, "fieldWork")) {
    if (!actor.team) throw forbidden();
    throw redirect(`/reports/teams/${actor.team.teamId}`);
  }
  if (can(actor.role, "office")) {
    if (!canSeeCity(actor) && actor.wardId) throw redirect(`/reports/wards/${actor.wardId}`);
    throw redirect("/office/city");
  }
  throw forbidden();
}

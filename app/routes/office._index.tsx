import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { canSeeCity, requireActor } from "~/access.server";

/** The office's start page: a ward's own office goes to its ward, the city's to the city-wide view. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, "office");
  if (!canSeeCity(actor) && actor.wardId) throw redirect(`/office/wards/${actor.wardId}`);
  throw redirect("/office/city");
}

import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/permissions.server";
import { canSeeCity } from "~/access.server";

/** The office's start page: a ward's own office goes to its ward, the city's to the city-wide view. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "office");
  if (!canSeeCity(user) && user.wardId) throw redirect(`/office/wards/${user.wardId}`);
  throw redirect("/office/city");
}

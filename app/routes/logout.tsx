import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  return endSession(request);
}

export function loader() {
  return redirect("/");
}

import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const response = await endSession(request);
  // What a field worker's phone kept for offline work (pages, the outbox, the service worker)
  // belongs to this person: signing out removes it.
  response.headers.set("Clear-Site-Data", '"cache", "storage"');
  return response;
}

export function loader() {
  return redirect("/");
}

import { logError } from "~/server/logging.mjs";
import { checkDatabase } from "~/startup.server";

/** For load balancers and the fresh-clone check: 200 only when the database answers. */
export async function loader() {
  try {
    await checkDatabase();
    return new Response("ok", {
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  } catch (error) {
    logError("healthz: database unavailable", error);
    return new Response("database unavailable", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

import { checkReadiness } from "~/health.server";

/**
 * Readiness for load balancers and operators: 200 when every part works, otherwise 503 naming the
 * failing part (database, migrations, mail, uploads). /healthz stays the liveness check.
 */
export async function loader() {
  const { ready, checks } = await checkReadiness();
  return new Response(JSON.stringify({ status: ready ? "ready" : "not ready", checks }, null, 2), {
    status: ready ? 200 : 503,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

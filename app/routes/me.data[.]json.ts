import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/permissions.server";
import { exportUserData } from "~/privacy.server";

/** The signed-in person's own data, as a file to keep. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await exportUserData(user.id);
  if (!data) throw new Response("Không tìm thấy tài khoản.", { status: 404 });
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="hocso-du-lieu-cua-toi-${user.id}.json"`,
      "Cache-Control": "no-store",
    },
  });
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { currentSessionId, endAllSessions, endOwnSession } from "~/auth.server";
import { assertSameOrigin } from "~/csrf.server";
import { formatDateTime } from "~/format";
import { requireUser } from "~/permissions.server";
import { blankSessionCookie, listUserSessions } from "~/session.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Các thiết bị đang đăng nhập – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const current = currentSessionId(request);
  const sessions = await listUserSessions(user.id);
  return {
    // The session id is a hash of the cookie's token: safe to use as the form value.
    sessions: sessions
      .map((s) => ({
        id: s.id,
        device: s.userAgent ?? "Thiết bị không rõ",
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        current: s.id === current,
      }))
      .reverse(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = await readFormData(request);
  const intent = form.get("intent");
  if (intent === "end-all") return endAllSessions(request, user.id);
  if (intent === "end") {
    const id = String(form.get("sessionId") ?? "");
    await endOwnSession(user.id, id);
    // Ending this very device's session is signing out here.
    if (id === currentSessionId(request))
      return redirect("/login", { headers: { "Set-Cookie": blankSessionCookie() } });
    return redirect("/me/sessions");
  }
  throw new Response("Yêu cầu không hợp lệ.", { status: 400 });
}

export default function MySessions() {
  const { sessions } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="sessions-title">
      <h1 id="sessions-title">Các thiết bị đang đăng nhập</h1>
      <p>Nếu thấy một thiết bị lạ, hãy bấm “Đăng xuất thiết bị này”, rồi đổi mật khẩu.</p>
      <ul className="session-list">
        {sessions.map((s) => (
          <li key={s.id} className="session-card">
            <p className="session-card__device">
              <strong>{s.device}</strong>{" "}
              {s.current ? <span className="badge badge--ok">Thiết bị này</span> : null}
            </p>
            <p>
              Đăng nhập lúc {formatDateTime(s.createdAt)} · dùng gần nhất {formatDateTime(s.lastSeenAt)}
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="end" />
              <input type="hidden" name="sessionId" value={s.id} />
              <button type="submit" className="button">
                Đăng xuất thiết bị này
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post">
        <input type="hidden" name="intent" value="end-all" />
        <button type="submit" className="button button--danger">
          Đăng xuất khỏi mọi thiết bị
        </button>
      </Form>
    </section>
  );
}

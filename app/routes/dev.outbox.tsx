import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listOutbox, outboxPageEnabled } from "~/email.server";
import { formatDateTime } from "~/format";
import { can, getUser } from "~/permissions.server";
import { clientAddress, isLoopback } from "~/rate-limit.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [
  { title: "Hộp thư đi (phát triển) – HọcSố" },
  { name: "robots", content: "noindex" },
];

/** The outbox holds other people's reset and invitation links: an admin, or a developer on this machine. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!outboxPageEnabled()) throw new Response("Không tìm thấy trang.", { status: 404 });
  if (!isLoopback(clientAddress(request))) {
    const user = await getUser(request);
    if (!user || !can(user.role, "admin")) throw new Response("Không tìm thấy trang.", { status: 404 });
  }
  const mails = await listOutbox(50);
  return { mails: mails.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) };
}

const statusLabels = { pending: "Chờ gửi", sent: "Đã gửi", failed: "Gửi thất bại" } as const;

export default function DevOutbox() {
  const { mails } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">Hộp thư đi</h1>
      <p>
        Trang dành cho lập trình viên: thư HọcSố đã ghi vào hộp thư đi, mới nhất trước. Không có trên bản chạy
        thật.
      </p>
      {mails.length === 0 ? <p>Chưa có thư nào.</p> : null}
      {mails.map((m) => (
        <article key={m.id} className="mail-card" aria-labelledby={`mail-${m.id}`}>
          <h2 id={`mail-${m.id}`}>{m.subject}</h2>
          <p>
            Tới <strong>{m.toAddress}</strong> · {formatDateTime(m.createdAt)} · {statusLabels[m.status]} (
            {m.kind}, {m.attempts} lần gửi)
          </p>
          {m.lastError ? <p className="field__error">{m.lastError}</p> : null}
          <pre className="mail-card__text">{linkify(m.text)}</pre>
        </article>
      ))}
    </section>
  );
}

/** Links in the mail text become links, so a developer (or a browser test) can follow them. */
function linkify(text: string) {
  return text.split(/(https?:\/\/\S+)/g).map((part, i) =>
    /^https?:\/\//.test(part) ? (
      <a key={i} href={part}>
        {part}
      </a>
    ) : (
      part
    ),
  );
}

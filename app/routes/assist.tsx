import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormError, SearchRow } from "~/components/forms";
import { assertSameOrigin } from "~/csrf.server";
import { startAssistSchema } from "~/forms/certificates";
import {
  assistingName,
  memberGroupName,
  searchResidentsToAssist,
  startAssisting,
  stopAssisting,
} from "~/learner.server";
import { requireFieldWorker } from "~/access.server";
import { readFormData, searchText } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Học cùng người dân – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireFieldWorker(request);
  const query = searchText(new URL(request.url), "q");
  const [groupName, candidates, current] = await Promise.all([
    memberGroupName(actor),
    searchResidentsToAssist({ actor, query }),
    assistingName(request, actor.user),
  ]);
  return { groupName, candidates, current, query };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireFieldWorker(request);
  const form = await readFormData(request);
  if (form.get("intent") === "stop") {
    await stopAssisting(request);
    return redirect("/assist");
  }
  const parsed = startAssistSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: "Hãy chọn người bạn đang ngồi cùng." };
  const result = await startAssisting({ request, actor, residentId: parsed.data.residentId });
  if (!result.ok) return { error: "Người này không thuộc tổ dân phố của bạn, nên bạn không thể học thay." };
  return redirect("/courses");
}

export default function Assist() {
  const { groupName, candidates, current, query } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="assist-title">
      <h1 id="assist-title">Học cùng người dân</h1>
      <p>
        Khi bạn ngồi cạnh một người dân, hãy chọn họ ở đây. Bài học và bài kiểm tra bạn mở sau đó sẽ được ghi
        cho người đó, kèm tên bạn là người hỗ trợ. Hãy để họ tự đọc và tự chọn câu trả lời.
      </p>
      <FormError message={actionData?.error} />
      {current ? (
        <div className="callout callout--tip" role="status">
          <p className="callout__title">Bạn đang học cùng {current}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="stop" />
            <button type="submit" className="button">
              Kết thúc học cùng
            </button>
          </Form>
        </div>
      ) : null}
      <h2>Tìm người trong {groupName ?? "tổ dân phố của bạn"}</h2>
      <SearchRow id="assist-q" label="Tên, mã hộ hoặc địa chỉ" defaultValue={query} />
      {candidates.length === 0 ? (
        <p>Không tìm thấy ai. Hãy thử gõ một phần của tên.</p>
      ) : (
        <ul className="pick-list">
          {candidates.map((c) => (
            <li key={c.residentId}>
              <Form method="post">
                <input type="hidden" name="intent" value="start" />
                <input type="hidden" name="residentId" value={c.residentId} />
                <button type="submit" className="pick-list__button">
                  <span className="pick-list__name">{c.fullName}</span>
                  <span className="pick-list__meta">
                    Sinh năm {c.birthYear} · {c.address} · {c.householdCode}
                  </span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

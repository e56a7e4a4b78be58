import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError } from "~/components/forms";
import { ResidentFields } from "~/components/resident-fields";
import { assertSameOrigin } from "~/csrf.server";
import {
  FieldError,
  getResidentForFieldWorker,
  updateResident,
  type ResidentForCorrection,
} from "~/field.server";
import { fieldErrors, type FieldErrors } from "~/forms/auth";
import { residentFlags } from "~/vocabulary";
import { formValues, residentUpdateSchema } from "~/forms/field";
import { requireFieldWorker } from "~/access.server";
import { formatVietnamesePhone } from "~/phone";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `Sửa thông tin ${data.resident.fullName} – HọcSố` : "Sửa thông tin người trong hộ – HọcSố",
  },
];

function idFrom(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response("Không tìm thấy người này", { status: 404 });
  return Number(param);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireFieldWorker(request);
  const householdId = idFrom(params.id);
  const residentId = idFrom(params.residentId);
  const resident = await getResidentForFieldWorker({ actor, householdId, residentId });
  if (!resident) throw new Response("Không tìm thấy người này", { status: 404 });
  return { resident };
}

type ActionData = { errors: FieldErrors; values: Record<string, string | undefined> };

const CONFLICT =
  "Trong lúc bạn sửa, người khác đã thay đổi thông tin của người này. " +
  "Thông tin mới nhất ở đầu trang; hãy xem lại rồi bấm Lưu lần nữa.";

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireFieldWorker(request);
  const householdId = idFrom(params.id);
  const residentId = idFrom(params.residentId);
  const values = formValues(await readFormData(request)) as Record<string, string | undefined>;
  const parsed = residentUpdateSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values } satisfies ActionData;
  const { version, ...resident } = parsed.data;
  try {
    const result = await updateResident({ actor, householdId, residentId, resident, version });
    if (!result) throw new Response("Không tìm thấy người này", { status: 404 });
    if (result.status === "conflict") return { errors: { form: CONFLICT }, values } satisfies ActionData;
    const saved = result.status === "updated" ? "corrected" : "unchanged";
    return redirect(`/field/households/${householdId}?saved=${saved}#nguoi-${residentId}`);
  } catch (error) {
    if (error instanceof FieldError)
      return { errors: { [error.field ?? "form"]: error.message }, values } satisfies ActionData;
    throw error;
  }
}

/** The stored details as the form shows them: the phone as people read it, groups as ticked boxes. */
function formDefaults(resident: ResidentForCorrection): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {
    fullName: resident.fullName,
    birthYear: String(resident.birthYear),
    phone: resident.phone ? formatVietnamesePhone(resident.phone) : "",
  };
  for (const [name] of residentFlags) values[name] = resident[name] ? "on" : undefined;
  return values;
}

export default function CorrectResident() {
  const { resident } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values = actionData?.values ?? formDefaults(resident);
  const back = `/field/households/${resident.householdId}#nguoi-${resident.id}`;
  const groups = residentFlags.filter(([name]) => resident[name]).map(([, label]) => label);

  return (
    <section aria-labelledby="correct-title" className="narrow">
      <p>
        <Link to={back}>← Hộ {resident.householdAddress}</Link>
      </p>
      <h1 id="correct-title">Sửa thông tin của {resident.fullName}</h1>
      <p className="household-card__meta">
        Đang lưu: sinh năm {resident.birthYear}
        {resident.phone ? ` · ${formatVietnamesePhone(resident.phone)}` : " · chưa có số điện thoại"}
        {groups.length ? ` · ${groups.join(", ")}` : ""}
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name="version" value={resident.version} />
        <FormError message={errors.form} />
        <ResidentFields values={values} errors={errors} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Đang lưu…" : "Lưu thông tin"}
          </button>
          <Link to={back} className="button">
            Huỷ
          </Link>
        </div>
      </Form>
    </section>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/forms";
import { assertSameOrigin } from "~/csrf.server";
import { addHousehold, FieldError, getTeamInfo } from "~/field.server";
import { isSubmissionId, newSubmissionId, SubmissionMismatch } from "~/field-submissions.server";
import { fieldErrors } from "~/forms/auth";
import { povertyLabels } from "~/vocabulary";
import { formValues, householdSchema } from "~/forms/field";
import { requireFieldWorker } from "~/access.server";
import { readFormData } from "~/request.server";

export const handle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "Thêm hộ mới – HọcSố" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireFieldWorker(request);
  return { team: await getTeamInfo(actor), submissionId: newSubmissionId() };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireFieldWorker(request);
  const values = formValues(await readFormData(request)) as Record<string, string | undefined>;
  const parsed = householdSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  try {
    const raw = values.submissionId;
    const id = await addHousehold({
      actor,
      ...parsed.data,
      submissionId: isSubmissionId(raw) ? raw : undefined,
    });
    return redirect(`/field/households/${id}?saved=household#them-nguoi`);
  } catch (error) {
    if (error instanceof FieldError) return { errors: { [error.field ?? "form"]: error.message }, values };
    if (error instanceof SubmissionMismatch) return { errors: { form: error.message }, values };
    throw error;
  }
}

export default function NewHousehold() {
  const { team, submissionId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values: Record<string, string | undefined> = actionData?.values ?? {};
  return (
    <section aria-labelledby="new-household-title" className="narrow">
      <p>
        <Link to="/field">← Hộ của tôi</Link>
      </p>
      <h1 id="new-household-title">Thêm hộ mới gặp</h1>
      <p>
        Hộ chưa có trong danh sách của {team.groupName}. Hộ mới được giao cho bạn; sau đó bạn thêm người trong
        hộ (cần họ đồng ý).
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name="submissionId" value={submissionId} />
        <FormError message={errors.form} />
        <Field
          name="address"
          label="Địa chỉ"
          hint="Số nhà, đường"
          autoComplete="off"
          defaultValue={values.address}
          error={errors.address}
          required
        />
        <Field
          name="code"
          label="Mã hộ (không bắt buộc)"
          hint="Để trống nếu chưa biết: hệ thống tự đặt mã."
          autoComplete="off"
          defaultValue={values.code}
          error={errors.code}
        />
        <div className="field">
          <label htmlFor="povertyStatus">Hoàn cảnh</label>
          <select id="povertyStatus" name="povertyStatus" defaultValue={values.povertyStatus ?? "none"}>
            {(["none", "poor", "near_poor"] as const).map((p) => (
              <option key={p} value={p}>
                {p === "none" ? "Không thuộc hộ nghèo, cận nghèo" : povertyLabels[p]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "Đang lưu…" : "Thêm hộ"}
        </button>
      </Form>
    </section>
  );
}

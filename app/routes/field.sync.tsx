import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { assertSameOrigin } from "~/csrf.server";
import { listHouseholdsForMember } from "~/field.server";
import { recordMemberSync } from "~/field-submissions.server";
import { submitHouseholdForm } from "~/field-submit.server";
import { listFilterSchema } from "~/forms/field";
import { readForm } from "~/multipart.server";
import { requireFieldWorker } from "~/access.server";
import { PHOTO_MAX_BYTES } from "~/upload-limits";

/** The households a rejected record may be re-attached to: those of the member's residential group. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireFieldWorker(request);
  const { items } = await listHouseholdsForMember({
    actor,
    filters: listFilterSchema.parse({ scope: "group" }),
  });
  return Response.json({ households: items.map((h) => ({ id: h.id, code: h.code, address: h.address })) });
}

/**
 * One record of a phone's offline queue. Answers JSON: `saved` (also for a repeat: the
 * submission id makes it count once), `gone` with the reason when it cannot be applied any
 * more, `invalid` with the first error. The phone keeps `gone` and `invalid` records for the
 * member to discard or re-attach.
 */
export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const actor = await requireFieldWorker(request);
  const form = await readForm(request, { maxFileBytes: PHOTO_MAX_BYTES });
  const householdId = Number(form.get("householdId"));
  if (!Number.isInteger(householdId) || householdId <= 0)
    return Response.json({ status: "invalid", reason: "Bản ghi không nói hộ nào." }, { status: 400 });
  const outcome = await submitHouseholdForm({ actor, householdId, form, queued: true });
  await recordMemberSync(actor.id);
  if (outcome.status === "saved") return Response.json({ status: "saved", message: outcome.message });
  if (outcome.status === "gone") return Response.json({ status: "gone", reason: outcome.reason });
  const first = Object.values(outcome.errors).find(Boolean) ?? "Bản ghi không hợp lệ.";
  return Response.json({ status: "invalid", reason: first });
}

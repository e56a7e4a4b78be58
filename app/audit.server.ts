/**
 * Who changed what, when: role changes, personal data, roster and checklist changes.
 * Call it with the transaction of the change itself, so the log and the change land together.
 */
import type { DbOrTx } from "@db/client.server";
import { auditLog } from "@db/schema";

export interface AuditEntry {
  actorUserId: number | null;
  /** e.g. "user.role_changed", "resident.updated", "skill.recorded", "roster.imported" */
  action: string;
  entity: string;
  entityId: string | number;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    entity: entry.entity,
    entityId: String(entry.entityId),
    details: entry.details ?? {},
  });
}

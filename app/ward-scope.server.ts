/**
 * Which ward a person belongs to, for office pages that list people's records (deletion requests,
 * certificates): by their roster record's residential group, by their team, or by the office they
 * work for. Accounts tied to no ward at all (a resident who signed up and never linked to the
 * roster) are shown to every office, so that nobody's request or certificate is left unhandled.
 */
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { SessionUser } from "~/session.server";

/** The ward an office user handles; null (every ward) for an admin or an office user without one. */
export function handlerWard(actor: Pick<SessionUser, "role" | "wardId">): number | null {
  return actor.role === "admin" ? null : actor.wardId;
}

/** True when the user with this id belongs to the ward, or to no ward; always true for null. */
export function userInWard(userId: AnyPgColumn | SQL, wardId: number | null): SQL {
  if (wardId === null) return sql`true`;
  return sql`exists (
    select 1 from users u where u.id = ${userId} and (
      u.ward_id = ${wardId}
      or exists (select 1 from residents r join households h on h.id = r.household_id
                 join residential_groups g on g.id = h.group_id
                 where r.id = u.resident_id and g.ward_id = ${wardId})
      or exists (select 1 from team_members tm join teams t on t.id = tm.team_id
                 join residential_groups g on g.id = t.group_id
                 where tm.user_id = u.id and g.ward_id = ${wardId})
      or (u.ward_id is null and u.resident_id is null
          and not exists (select 1 from team_members tm where tm.user_id = u.id))
    ))`;
}

/**
 * Members' badges. Scammers pose as helpers or police to "activate VNeID level 2", so a badge
 * carries a QR code to a public page that says whether its holder is a current member of a
 * team. The code is the membership's random badge_code: ending the membership ends the badge.
 */
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@db/client.server";
import { residentialGroups, teamMembers, teams, users, wards } from "@db/schema";
import { siteUrl } from "~/email.server";

export interface Badge {
  code: string;
  holderName: string;
  teamName: string;
  groupName: string;
  /** The ward's name as the roster has it, e.g. "Phường An Hải". */
  wardName: string;
  role: "member" | "leader";
  affiliation: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

const badgeColumns = {
  code: teamMembers.badgeCode,
  holderName: users.displayName,
  teamName: teams.name,
  groupName: residentialGroups.name,
  wardName: wards.name,
  role: teamMembers.role,
  affiliation: teamMembers.affiliation,
  startedAt: teamMembers.startedAt,
  endedAt: teamMembers.endedAt,
};

/** The badge of the user's current membership, or null when they are in no team now. */
export async function getCurrentBadge(userId: number): Promise<Badge | null> {
  const db = await getDb();
  const [row] = await db
    .select(badgeColumns)
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(residentialGroups, eq(residentialGroups.id, teams.groupId))
    .innerJoin(wards, eq(wards.id, residentialGroups.wardId))
    .where(and(eq(teamMembers.userId, userId), isNull(teamMembers.endedAt)));
  return row ?? null;
}

export type BadgeCheck =
  | { status: "current"; badge: Badge }
  | { status: "ended"; badge: Badge }
  | { status: "unknown" };

/**
 * What the public page says about a scanned or typed code. A disabled account is no longer a member either.
 */
export async function checkBadge(code: string): Promise<BadgeCheck> {
  const cleaned = code.trim().toUpperCase();
  if (!/^[A-Z0-9]{4,40}$/.test(cleaned)) return { status: "unknown" };
  const db = await getDb();
  const [row] = await db
    .select({ ...badgeColumns, disabledAt: users.disabledAt })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(residentialGroups, eq(residentialGroups.id, teams.groupId))
    .innerJoin(wards, eq(wards.id, residentialGroups.wardId))
    .where(eq(teamMembers.badgeCode, cleaned));
  if (!row) return { status: "unknown" };
  const { disabledAt, ...badge } = row;
  return badge.endedAt === null && disabledAt === null
    ? { status: "current", badge }
    : { status: "ended", badge };
}

/**
 * The address the QR code opens: the site's own address (`siteUrl`: PUBLIC_URL, else the address
 * the server was started at), never the request's Host header, which a visitor can forge.
 */
export function badgeUrl(code: string): string {
  return `${siteUrl(null)}/badge/${encodeURIComponent(code)}`;
}

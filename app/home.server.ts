/** The few ward-wide figures the home page shows to everyone. */
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@db/client.server";
import { households, lessonProgress, teams, visits } from "@db/schema";

export interface WardOverview {
  households: number;
  householdsVisited: number;
  learners: number;
  teams: number;
}

export async function getWardOverview(): Promise<WardOverview> {
  const db = await getDb();
  const [row] = await queryRows<{ households: number; visited: number; learners: number; teams: number }>(
    db,
    sql`
    select
      (select count(*)::int from ${households}) as households,
      (select count(distinct ${visits.householdId})::int from ${visits}) as visited,
      (select count(distinct ${lessonProgress.userId})::int from ${lessonProgress}
        where ${lessonProgress.readAt} is not null) as learners,
      (select count(*)::int from ${teams}) as teams
  `,
  );
  return {
    households: row?.households ?? 0,
    householdsVisited: row?.visited ?? 0,
    learners: row?.learners ?? 0,
    teams: row?.teams ?? 0,
  };
}

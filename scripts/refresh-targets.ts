/**
 * `npm run targets:refresh`: recomputes every ward's target summary and its weekly and quarterly
 * history now. Run it from cron (e.g.
 * every 10 minutes) on a city deployment so the city-wide view is never older than that; a ward's
 * own dashboard also refreshes itself in the background when its figures are older than
 * TARGETS_MAX_AGE_MINUTES.
 */
import { closeDb } from "../db/client.server";
import { refreshAllWards } from "../app/targets.server";

const started = Date.now();
const results = await refreshAllWards(({ summary, history }) =>
  console.info(`ward ${summary.wardId}: summary ${summary.durationMs} ms, history ${history.durationMs} ms`),
);
console.info(`Refreshed ${results.length} wards in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
await closeDb();

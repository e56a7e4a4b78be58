/**
 * What the app stops when the server shuts down (called by server.mjs, through the server build's
 * entry module, once the last request has been answered): the mail worker finishes the message it
 * is sending and gives its other claimed rows back, the background target refresh finishes its ward,
 * the start's own work finishes if it is still running, housekeeping stops, and the database is
 * closed (PGlite writes everything to its data folder); then DATA_DIR/site.json goes, so a backup may
 * open the folder itself. The integration tests close the app this way after each file.
 */
import { closeDb } from "@db/client.server";
import { stopMailWorker } from "~/email.server";
import { forgetStart, startSettled, stopHousekeeping } from "~/startup.server";
import { withdrawSite } from "~/site-backup.server";
import { stopBackgroundRefresh } from "~/targets.server";

export async function closeApp(): Promise<void> {
  stopHousekeeping();
  await Promise.all([stopMailWorker(), stopBackgroundRefresh(), startSettled()]);
  await closeDb();
  forgetStart();
  withdrawSite();
}

/**
 * A backup of the embedded database while the site runs. PGlite is one process's database: only
 * the running site may read its folder, so the backup asks the site for it.
 *   DATA_DIR/site.json   the running site's pid, address and a random token (mode 0600), written once
 *                        the server listens and removed at a clean shutdown, after the database is
 *                        closed. A file whose process is dead is left over from a crash: ignored.
 *   POST /_site/backup   from this machine only (a loopback address, through no proxy) with
 *                        `Authorization: Bearer <token>`; anyone else gets 403. The site pauses its
 *                        database (`withPglitePaused`: between two transactions, after a CHECKPOINT),
 *                        copies its data folder, and lets it go again; the copy is then packed (a
 *                        gzipped tar in the format of PGlite's dumpDataDir) and sent while the site
 *                        goes on serving.
 * Packing outside the pause matters: PGlite's own dumpDataDir packs in JavaScript under its lock,
 * seconds for a folder of 150 MB, during which every request waits; copying the files takes a
 * tenth of that.
 */
import { execFile } from "node:child_process";
import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { promisify } from "node:util";
import { z } from "zod";
import { withPglitePaused } from "@db/client.server";
import { env, dataDir } from "~/env.server";
import { logError, logger } from "~/server/logging.mjs";

const run = promisify(execFile);

export const SITE_BACKUP_PATH = "/_site/backup";
/** The response header that says how long the site's database was paused, in milliseconds. */
const PAUSED_HEADER = "X-Hocso-Paused-Ms";

const siteSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  token: z.string().min(32),
});
export type RunningSite = z.infer<typeof siteSchema>;

export function siteFile(folder: string): string {
  return path.join(folder, "site.json");
}

/** This process's token, once it has announced itself; undefined on PostgreSQL. */
let token: string | undefined;

/**
 * Called by the server once it listens: on embedded PGlite in a data folder, writes
 * DATA_DIR/site.json so that a backup asks this process for the database instead of opening it.
 */
export function announceSite(address: AddressInfo | string | null): void {
  const folder = dataDir();
  if (env.DATABASE_URL || folder.startsWith("memory://") || !address || typeof address === "string") return;
  // Listening on every interface: the backup comes in over loopback.
  const host = ["::", "0.0.0.0", ""].includes(address.address) ? "127.0.0.1" : address.address;
  const site: RunningSite = {
    pid: process.pid,
    host,
    port: address.port,
    token: randomBytes(32).toString("base64url"),
  };
  fs.mkdirSync(folder, { recursive: true });
  // Written whole under another name, then renamed: a backup never reads half a file.
  const draft = `${siteFile(folder)}.${process.pid}`;
  fs.rmSync(draft, { force: true });
  fs.writeFileSync(draft, JSON.stringify(site), { mode: 0o600 });
  fs.renameSync(draft, siteFile(folder));
  token = site.token;
}

/** At a clean shutdown, once the database is closed: the folder is free to be opened again. */
export function withdrawSite(): void {
  if (!token) return;
  token = undefined;
  const file = siteFile(dataDir());
  try {
    if (siteSchema.parse(JSON.parse(fs.readFileSync(file, "utf8"))).pid === process.pid) fs.rmSync(file);
  } catch {
    // Gone already, or another process's now: nothing of ours to remove.
  }
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * Only a backup on this machine may ask: from a loopback address, through no proxy (an nginx on
 * this machine connects from loopback too, but says whom it forwards), with the token of site.json.
 */
export function mayAskForBackup(
  req: Pick<IncomingMessage, "headers"> & { socket: { remoteAddress?: string } },
  expected: string,
): boolean {
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
  if (proxied || !LOOPBACK.has(req.socket.remoteAddress ?? "")) return false;
  const given = Buffer.from(req.headers.authorization ?? "");
  const wanted = Buffer.from(`Bearer ${expected}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(text);
}

/** POST /_site/backup (mounted by server.mjs): the database's data folder as a gzipped tar. */
export async function handleSiteBackup(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!token) return answer(res, 404, "Not found");
  if (!mayAskForBackup(req, token)) return answer(res, 403, "Forbidden");
  let work: string | undefined;
  try {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-site-backup-"));
    const copy = path.join(work, "pgdata");
    const { pausedMs } = await withPglitePaused((folder) =>
      // A copy-on-write clone where the file system has them, a plain copy elsewhere.
      fs.cpSync(folder, copy, { recursive: true, mode: fs.constants.COPYFILE_FICLONE }),
    );
    // ustar with names relative to the folder, as PGlite's loadDataDir reads them; gzip's fastest
    // level packs in half the time of its default, for a file a tenth larger.
    const packing = performance.now();
    const archive = path.join(work, "database.tar.gz");
    await run("tar", [
      "--format=ustar",
      "--use-compress-program=gzip -1",
      "-cf",
      archive,
      "-C",
      copy,
      ...fs.readdirSync(copy),
    ]);
    logger().info(
      {
        pausedMs: Math.round(pausedMs),
        packedMs: Math.round(performance.now() - packing),
        bytes: fs.statSync(archive).size,
      },
      "backup: database paused while its folder was copied, then packed",
    );
    res.writeHead(200, {
      "Content-Type": "application/gzip",
      "Content-Length": String(fs.statSync(archive).size),
      "Cache-Control": "no-store",
      [PAUSED_HEADER]: String(Math.round(pausedMs)),
    });
    await pipeline(fs.createReadStream(archive), res);
  } catch (error) {
    logError("backup failed", error);
    if (!res.headersSent) answer(res, 500, "Backup failed; see the site's log");
    else res.destroy();
  } finally {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The site running on `folder` (DATA_DIR), if site.json names a live process. */
export function findRunningSite(folder: string): RunningSite | undefined {
  let text: string;
  try {
    text = fs.readFileSync(siteFile(folder), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const site = siteSchema.parse(JSON.parse(text));
  return isAlive(site.pid) ? site : undefined;
}

function refused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === "ECONNREFUSED";
}

export interface LiveDump {
  pid: number;
  /** How long the site's database was paused, in milliseconds. */
  pausedMs: number;
}

/**
 * Asks the site running on `folder` for its database and writes it to `file` (a gzipped tar of
 * the data folder). Undefined when no site runs there: the caller opens the folder itself. A site
 * that is shutting down (no longer listening) is waited for, up to `waitMs`, until it has closed the
 * database and removed its site.json.
 */
export async function dumpFromRunningSite(
  folder: string,
  file: string,
  { timeoutMs = 30 * 60_000, waitMs = 35_000 } = {},
): Promise<LiveDump | undefined> {
  const giveUp = Date.now() + waitMs;
  for (;;) {
    const site = findRunningSite(folder);
    if (!site) return undefined;
    const host = site.host.includes(":") ? `[${site.host}]` : site.host;
    let response: Response;
    try {
      response = await fetch(`http://${host}:${site.port}${SITE_BACKUP_PATH}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${site.token}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (!refused(error)) throw error;
      if (Date.now() > giveUp)
        throw new Error(
          `${siteFile(folder)} names process ${site.pid}, ` +
            `which is running but does not answer at ${host}:${site.port}. ` +
            `If no HọcSố site runs on this folder, delete that file.`,
          { cause: error },
        );
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    if (response.status !== 200 || !response.body)
      throw new Error(
        `The running site (process ${site.pid}) did not give its database: ` +
          `${response.status} ${await response.text()}`,
      );
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream), fs.createWriteStream(file));
    return { pid: site.pid, pausedMs: Number(response.headers.get(PAUSED_HEADER) ?? 0) };
  }
}

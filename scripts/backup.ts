/**
 * `npm run backup -- [FILE]`: one tar file with the database (PostgreSQL of DATABASE_URL with
 * pg_dump, or the embedded PGlite of DATA_DIR, dumped by the running site when one runs) and the
 * uploads on local disk. Default name: hocso-backup-<date>.tar in the current folder.
 */
import { backup, defaultBackupName } from "~/backup.server";
import { env, dataDir } from "~/env.server";

const file = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? defaultBackupName();
const t0 = Date.now();
const manifest = await backup({ databaseUrl: env.DATABASE_URL, dataDir: dataDir() }, file);
const rows = Object.values(manifest.tables).reduce((sum, t) => sum + t.rows, 0);
const live = manifest.live
  ? ` Made by the running site (process ${manifest.live.pid}), ` +
    `its database paused ${manifest.live.pausedMs} ms.`
  : "";
const tables = Object.keys(manifest.tables).length;
const seconds = ((Date.now() - t0) / 1000).toFixed(1);
console.info(
  `Backup written to ${file}: ${manifest.driver}, ${tables} tables, ${rows} rows, ` +
    `${manifest.uploads} uploads (${seconds} s).${live}`,
);

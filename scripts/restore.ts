/**
 * `npm run restore -- FILE [--force]`: brings a backup back into the database of DATABASE_URL (or
 * the embedded one in DATA_DIR) and DATA_DIR/uploads. Refuses a non-empty target without --force.
 * Checks every table's row count and checksum against the backup. Stop the site first.
 */
import { restore, RestoreRefused } from "~/backup.server";
import { env, dataDir } from "~/env.server";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("Usage: npm run restore -- FILE [--force]");
  process.exit(2);
}
try {
  const manifest = await restore({ databaseUrl: env.DATABASE_URL, dataDir: dataDir() }, file, {
    force: args.includes("--force"),
  });
  console.info(
    `Restored ${file} (${manifest.driver}, taken ${manifest.createdAt}): ` +
      `${Object.keys(manifest.tables).length} tables and ${manifest.uploads} uploads match the backup.`,
  );
} catch (error) {
  console.error(error instanceof RestoreRefused ? `Not restored: ${error.message}` : error);
  process.exit(1);
}

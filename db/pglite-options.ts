/**
 * How an embedded (PGlite) database is made and opened, by the site (db/client.server.ts), its backups
 * (app/backup.server.ts) and the tests' template (tests/integration/global-setup.ts) alike.
 *
 * A new database keeps its write-ahead log in 1 MB segments, not PostgreSQL's default 16 MB: initdb
 * writes a first segment of zeros, which PGlite then packs and unpacks into the data folder (0.7
 * CPU-seconds of a first start on this machine); the folder, each backup of it and the tests' template
 * are 15 MB smaller. PostgreSQL allows 1 MB to 1 GB; an existing database keeps the size it was made with.
 */
export const initDbStartParams = ["--wal-segsize=1"];

/**
 * Every start of an embedded database: 32 MB of shared buffers instead of PostgreSQL's 128 MB. PGlite
 * sets them up in its WebAssembly memory at each start: 128 MB took 0.5 s of every start on this
 * machine (the first page after `npm start`, each backup's check), 32 MB 0.2 s. The demo ward's tables
 * and indexes are about 15 MB, and a page not in the buffers is read from the operating system's file
 * cache, not the disk; a ward with many times more residents belongs on PostgreSQL (DATABASE_URL).
 */
export const pgliteStartOptions = { postgresqlconf: ["shared_buffers=32MB"] };

/**
 * How a new embedded (PGlite) database is made, by the site (db/client.server.ts) and by the tests'
 * template (tests/integration/global-setup.ts) alike.
 *
 * Its write-ahead log in 1 MB segments, not PostgreSQL's default 16 MB: initdb writes a first segment
 * of zeros, which PGlite then packs and unpacks into the data folder (0.7 CPU-seconds of a first start
 * on this machine); the folder, each backup of it and the tests' template are 15 MB smaller.
 * PostgreSQL allows 1 MB to 1 GB; an existing database keeps the size it was made with.
 */
export const initDbStartParams = ["--wal-segsize=1"];

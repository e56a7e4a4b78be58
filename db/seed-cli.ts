/** `npm run db:seed`: seeds the demo ward into the configured database (idempotent). */
import { closeDb, getDb } from "./client.server";
import { DEMO_PASSWORD, seedDemo } from "./seed";
import { hashPassword } from "../app/password.server";

const db = await getDb();
const result = await seedDemo(db, await hashPassword(DEMO_PASSWORD));
console.info(
  result.created
    ? `Seeded Phường An Hải: ${result.households} households, ${result.residents} residents.`
    : `The demo ward is already there (${result.households} households, ${result.residents} residents); ` +
        `nothing changed.`,
);
await closeDb();

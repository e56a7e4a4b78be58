/**
 * Hostile input on every route file but the field worker's (tests/support/hostile-input.ts says
 * what is tried and checked; fuzz-field.test.ts has the field pages, so the halves run at once).
 */
import { testHostileInput } from "../support/hostile-input";

testHostileInput((routeFile) => !routeFile.startsWith("field."));

/**
 * Hostile input on the field worker's route files (`field.*`), the half of the routes with the
 * most form fields (tests/support/hostile-input.ts says what is tried and checked).
 */
import { testHostileInput } from "../support/hostile-input";

testHostileInput((routeFile) => routeFile.startsWith("field."));

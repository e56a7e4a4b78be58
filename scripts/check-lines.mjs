#!/usr/bin/env node
// What Biome does not check here; `npm run lint` and `npm test` run it beside Biome:
// - no line of code longer than 110 columns. Biome's formatter wraps code at 110 but leaves comments,
//   strings and SQL in template literals as they are. A test's declaration line is the formatter's own
//   (it keeps `it("title", async () => {` whole), and a line with an address cannot be broken: both may
//   run longer (as ESLint's max-len allowed before Biome replaced ESLint and Prettier).
// - the scripts plain-HTML pages load (public/*.js) are ES5, for old phones' browsers: acorn parses them
//   as ES5, and any later syntax is an error.
// Prints each problem as file:line:column: message, and exits 1 if there is any.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { parse } from "acorn";

const MAX_COLUMNS = 110;
const TEST_DECLARATION = /^\s*(it|test|describe)(\.\w+)?\(/;
const ADDRESS = /[^:/?#]:\/\/[^?#]/;
// The files Biome checks: biome.jsonc's files.includes leaves these folders out, and git's ignore files
// (read here as by Biome) what the build writes.
const skipped = /^(content|db\/migrations|tests\/fixtures|patches)\//;

const files = execFileSync(
  "git",
  ["ls-files", "--cached", "--others", "--exclude-standard", "--", "*.ts", "*.tsx", "*.js", "*.mjs"],
  { encoding: "utf8" },
)
  .split("\n")
  .filter((file) => file !== "" && !skipped.test(file) && fs.existsSync(file));

const problems = [];
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  text.split("\n").forEach((line, i) => {
    const columns = [...line].length;
    if (columns > MAX_COLUMNS && !TEST_DECLARATION.test(line) && !ADDRESS.test(line))
      problems.push(`${file}:${i + 1}:${MAX_COLUMNS + 1}: ${columns} columns (at most ${MAX_COLUMNS})`);
  });
  if (/^public\/[^/]+\.js$/.test(file)) {
    try {
      parse(text, { ecmaVersion: 5, sourceType: "script" });
    } catch (error) {
      const { line, column } = error.loc ?? { line: 1, column: 0 };
      problems.push(`${file}:${line}:${column + 1}: not ES5 (${error.message.replace(/ \(\d+:\d+\)$/, "")})`);
    }
  }
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.info(`${files.length} files: no line over ${MAX_COLUMNS} columns; public/*.js are ES5.`);

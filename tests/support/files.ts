/** Files on disk, for tests that compare a folder before and after (backups, restores). */
import fs from "node:fs";
import path from "node:path";

/** Every file below `dir`, by its relative path, with its bytes in base64 ({} when `dir` is missing). */
export function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full)] = fs.readFileSync(full).toString("base64");
  }
  return out;
}

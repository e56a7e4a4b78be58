/**
 * Addresses of the small static scripts in public/ that plain-HTML pages load with
 * `<script src defer>` (a Content-Security-Policy allows the site's own scripts, not inline
 * ones). Each address carries a hash of the file, so a changed script is never served stale
 * from a phone's cache (public/ is served with a one-hour max-age).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const versions = new Map<string, string>();

/** `/read-aloud.js?v=3f2a…`: the public file's path with the first characters of its content hash. */
export function publicScript(name: "read-aloud.js" | "share.js"): string {
  let version = versions.get(name);
  if (!version) {
    const content = fs.readFileSync(path.resolve(process.cwd(), "public", name));
    version = createHash("sha256").update(content).digest("hex").slice(0, 12);
    if (process.env.NODE_ENV === "production") versions.set(name, version);
  }
  return `/${name}?v=${version}`;
}

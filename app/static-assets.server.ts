/**
 * Addresses of the small static scripts in public/ that plain-HTML pages load with
 * `<script src defer>` (a Content-Security-Policy allows the site's own scripts, not inline
 * ones). Each address carries a hash of the file, so a changed script is never served stale
 * from a phone's cache (public/ is served with a one-hour max-age; the service worker keeps
 * these addresses cache-first, like Remix's hashed files).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The scripts: read-aloud.js, share.js, practice.js and print.js are written by hand (ES5, for
 * old phones' browsers); offline.js is bundled from app/offline/page.ts by scripts/build-sw.mjs.
 */
export type PublicScript = "read-aloud.js" | "share.js" | "practice.js" | "print.js" | "offline.js";

const versions = new Map<string, string>();

/** `/read-aloud.js?v=3f2a…`: the public file's path with the first characters of its content hash. */
export function publicScript(name: PublicScript): string {
  let version = versions.get(name);
  if (!version) {
    const file = path.resolve(process.cwd(), "public", name);
    // offline.js exists once `npm run build` (or the service worker build) ran; until then
    // (remix dev, loader tests) the page names the file without a version.
    if (!fs.existsSync(file)) return `/${name}`;
    version = createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 12);
    if (process.env.NODE_ENV === "production") versions.set(name, version);
  }
  return `/${name}?v=${version}`;
}

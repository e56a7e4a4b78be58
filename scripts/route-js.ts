/**
 * The JavaScript each page downloads, from the production build's manifest: the entry, the root
 * route and the page's route module with every chunk they import, gzip-compressed (what a phone
 * receives). A route that sets `handle = { hydrate: false }` renders no <Scripts>: 0 KB of bundle.
 * Counted too: the small scripts from public/ a page's route files load (`publicScript("…")`),
 * and, printed apart, the outbox script the root adds on a field worker's pages (offline.js).
 *
 *   npx tsx scripts/route-js.ts      (after `npm run build`)
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
  imports?: string[];
}
interface Manifest {
  entry: { module: string; imports?: string[] };
  routes: Record<string, ManifestRoute>;
}

export interface RouteJs {
  route: string;
  files: number;
  gzip: number;
  hydrated: boolean;
  /** The public/ scripts the page's own route files load, e.g. ["practice.js"]. */
  scripts: string[];
  /** Whether a field worker's page gets the root's outbox script (not with `offlineStatus: false`). */
  offlineStatus: boolean;
}

/** Per page route (not resource routes): gzip bytes of the JavaScript it ships, largest first. */
export function routeJavaScript(root = process.cwd()): RouteJs[] {
  const buildDir = path.join(root, "public/build");
  const manifestFile = fs.readdirSync(buildDir).find((f) => /^manifest-.*\.js$/.test(f));
  if (!manifestFile) throw new Error("no build manifest: run npm run build first");
  const text = fs.readFileSync(path.join(buildDir, manifestFile), "utf8");
  const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as Manifest;
  // Read from the route's source, not by importing the server build (that would open the database).
  const routeFiles = fs.readdirSync(path.join(root, "app/routes"));
  const source = (id: string) => {
    if (id === "root") return fs.readFileSync(path.join(root, "app/root.tsx"), "utf8");
    const file = routeFiles.find((f) => `routes/${f.replace(/\.(tsx|ts|jsx|js)$/, "")}` === id);
    return file ? fs.readFileSync(path.join(root, "app/routes", file), "utf8") : "";
  };
  const isPage = (id: string) => /export default/.test(source(id));
  const noBundle = (id: string) => /export const handle\s*=\s*\{[^}]*hydrate:\s*false/.test(source(id));
  const noOfflineStatus = (id: string) =>
    /export const handle\s*=\s*\{[^}]*offlineStatus:\s*false/.test(source(id));
  const publicScripts = (id: string) =>
    id === "root" ? [] : [...source(id).matchAll(/publicScript\("([^"]+)"\)/g)].map((m) => m[1]!);
  const gzipCache = new Map<string, number>();
  const gzipOf = (url: string) => {
    let n = gzipCache.get(url);
    if (n === undefined) {
      n = gzipSync(fs.readFileSync(path.join(root, "public", url))).length;
      gzipCache.set(url, n);
    }
    return n;
  };
  const chain = (id: string): ManifestRoute[] => {
    const r = manifest.routes[id]!;
    return r.parentId ? [...chain(r.parentId), r] : [r];
  };
  const out: RouteJs[] = [];
  for (const [id, route] of Object.entries(manifest.routes)) {
    if (id === "root") continue;
    if (!isPage(id)) continue; // a resource route: no page
    const routes = chain(id);
    const hydrated = !routes.some((r) => noBundle(r.id));
    const urls = new Set<string>();
    if (hydrated) {
      for (const u of [manifest.entry.module, ...(manifest.entry.imports ?? [])]) urls.add(u);
      for (const r of routes) for (const u of [r.module, ...(r.imports ?? [])]) urls.add(u);
    }
    const scripts = [...new Set(routes.flatMap((r) => publicScripts(r.id)))];
    for (const name of scripts) urls.add(`/${name}`);
    const gzip = [...urls].reduce((n, u) => n + gzipOf(u), 0);
    out.push({
      route: route.id.replace(/^routes\//, ""),
      files: urls.size,
      gzip,
      hydrated,
      scripts,
      offlineStatus: !routes.some((r) => noOfflineStatus(r.id)),
    });
  }
  return out.sort((a, b) => b.gzip - a.gzip);
}

/** gzip bytes of public/offline.js, which the root adds on a field worker's pages (built by build-sw). */
export function offlineScriptGzip(root = process.cwd()): number | null {
  const file = path.join(root, "public/offline.js");
  return fs.existsSync(file) ? gzipSync(fs.readFileSync(file)).length : null;
}

/** One line of the list: "  2.1 KB   1 files  route (no bundle: practice.js)". */
export function describeRoute(r: RouteJs): string {
  const what = r.hydrated ? "" : ` (no bundle${r.scripts.length ? `: ${r.scripts.join(", ")}` : ""})`;
  const size = `${(r.gzip / 1024).toFixed(1).padStart(6)} KB`;
  return `${size}  ${String(r.files).padStart(2)} files  ${r.route}${what}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const list = routeJavaScript();
  for (const r of list) console.info(describeRoute(r));
  const offline = offlineScriptGzip();
  const lean = list.filter((r) => !r.offlineStatus).length;
  console.info(
    offline === null
      ? "offline.js not built (node scripts/build-sw.mjs)"
      : `+ ${(offline / 1024).toFixed(1)} KB offline.js on a field worker's pages ` +
          `(all but the ${lean} with offlineStatus: false)`,
  );
}

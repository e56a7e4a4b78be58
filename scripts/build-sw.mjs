// Builds the service worker of the installable app and its page script, beside the Remix build:
// - public/offline.js: the field worker's page script (app/offline/page.ts; the pages ship no React,
//   app/root.tsx loads it with <script src defer>);
// - public/sw.js: the service worker (app/offline/sw.ts: Workbox's modules with the caching rules,
//   and the outbox sender for Background Sync), with Workbox's precache list of the icons written in.
// esbuild bundles both. Workbox's generateSW bundled its runtime with Rollup and Terser on every
// build: 3.3 s and 4.4 CPU-seconds, against well under a second this way.
// Run by `npm run build` and by the browser tests' server; `node scripts/build-sw.mjs`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
// Its own module, not the package's index: the index also loads generateSW's bundler (Rollup, Babel,
// Terser), 0.7 s of every build against 0.1 s.
import { injectManifest } from "workbox-build/build/inject-manifest.js";

const bundle = (entry, outfile) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2019",
    // Workbox's modules log and check their arguments only outside production.
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });

export async function buildServiceWorker({ quiet = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hocso-sw-"));
  try {
    const swSrc = path.join(dir, "sw.js");
    await Promise.all([
      bundle("app/offline/page.ts", "public/offline.js"),
      bundle("app/offline/sw.ts", swSrc),
    ]);
    const { count, size, warnings } = await injectManifest({
      swSrc,
      swDest: "public/sw.js",
      globDirectory: "public",
      globPatterns: ["icons/*.png", "manifest.webmanifest", "favicon.svg"],
    });
    for (const warning of warnings) console.warn(`build-sw: ${warning}`);
    if (!quiet) console.info(`build-sw: public/sw.js precaches ${count} files (${size} bytes)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildServiceWorker();

// Builds the service worker of the installable app and its page script, beside the Remix build:
// - public/sw-outbox.js: the outbox sender for Background Sync (app/offline/sw-outbox.ts, bundled by esbuild);
// - public/offline.js: the field worker's page script (app/offline/page.ts, bundled by esbuild; the
//   pages ship no React, app/root.tsx loads it with <script src defer>);
// - public/sw.js (+ its workbox-*.js runtime): Workbox's generateSW with the caching rules below.
// Run by `npm run build` and by the browser tests' server; `node scripts/build-sw.mjs`.
//
// What the phone keeps is the least the field work needs: the pages a member opened (their
// households list, household pages, lessons), network first so they are current whenever there is
// a network, and the site's own scripts and styles (Remix's hashed files, public/*.js?v=<hash>).
// Nothing is precached but the icons, and signing out clears it all (Clear-Site-Data).
import { build } from "esbuild";
import { generateSW } from "workbox-build";

const WEEK = 7 * 24 * 3600;

export async function buildServiceWorker({ quiet = false } = {}) {
  for (const [entry, outfile] of [
    ["app/offline/sw-outbox.ts", "public/sw-outbox.js"],
    ["app/offline/page.ts", "public/offline.js"],
  ]) {
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      minify: true,
      format: "iife",
      target: "es2019",
      logLevel: "warning",
    });
  }
  const { count, size, warnings } = await generateSW({
    swDest: "public/sw.js",
    globDirectory: "public",
    globPatterns: ["icons/*.png", "manifest.webmanifest", "favicon.svg"],
    importScripts: ["/sw-outbox.js"],
    skipWaiting: true,
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    sourcemap: false,
    mode: "production",
    runtimeCaching: [
      {
        // Remix's hashed scripts and styles, and the public scripts whose address names their
        // content's hash (app/static-assets.server.ts), never change under one name.
        urlPattern: ({ url, sameOrigin }) =>
          sameOrigin &&
          (url.pathname.startsWith("/build/") ||
            (/^\/[a-z-]+\.js$/.test(url.pathname) && url.searchParams.has("v"))),
        handler: "CacheFirst",
        options: { cacheName: "hocso-assets", expiration: { maxEntries: 80, maxAgeSeconds: 4 * WEEK } },
      },
      {
        // Field pages and lessons, as documents and as Remix data requests (`.data`).
        urlPattern: ({ url, request, sameOrigin }) =>
          sameOrigin &&
          request.method === "GET" &&
          /^\/(field(\/households\/\d+)?|courses\/[^/]+(\/[^/]+)?)(\.data)?$/.test(
            url.pathname.replace(/\/$/, ""),
          ),
        handler: "NetworkFirst",
        options: {
          cacheName: "hocso-pages",
          networkTimeoutSeconds: 6,
          expiration: { maxEntries: 60, maxAgeSeconds: 2 * WEEK },
          cacheableResponse: { statuses: [200] },
        },
      },
    ],
  });
  for (const warning of warnings) console.warn(`build-sw: ${warning}`);
  if (!quiet) console.info(`build-sw: public/sw.js precaches ${count} files (${size} bytes)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildServiceWorker();

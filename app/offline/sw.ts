/**
 * The service worker of the installable app (public/sw.js): Workbox's own modules, bundled by esbuild
 * (scripts/build-sw.mjs), which then writes the precache list in place of `self.__WB_MANIFEST`.
 *
 * What the phone keeps is the least the field work needs: the pages a member opened (their households
 * list, household pages, lessons), network first so they are current whenever there is a network, and
 * the site's own scripts and styles (Remix's hashed files, public/*.js?v=<hash>). Nothing is precached
 * but the icons, and signing out clears it all (Clear-Site-Data). The outbox is sent by Background
 * Sync (./sw-outbox).
 */
import { CacheableResponsePlugin } from "workbox-cacheable-response";
import { clientsClaim } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { registerRoute } from "workbox-routing";
import { CacheFirst, NetworkFirst } from "workbox-strategies";
import { sendOutboxOnSync } from "./sw-outbox";

const WEEK = 7 * 24 * 3600;

// The app's tsconfig has the DOM's types, not a worker's: the little of the worker's scope used here.
// `self.__WB_MANIFEST` is written out in full: the build replaces exactly that text with the list.
const worker = self as unknown as { skipWaiting(): Promise<void> };
const precacheList = (self as unknown as { __WB_MANIFEST: PrecacheEntry[] }).__WB_MANIFEST;

// A new version takes over at once: the pages it serves are the network's whenever there is one.
void worker.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(precacheList);
sendOutboxOnSync();

// Remix's hashed scripts and styles, and the public scripts whose address names their content's hash
// (app/static-assets.server.ts), never change under one name.
registerRoute(
  ({ url, sameOrigin }) =>
    sameOrigin &&
    (url.pathname.startsWith("/build/") ||
      (/^\/[a-z-]+\.js$/.test(url.pathname) && url.searchParams.has("v"))),
  new CacheFirst({
    cacheName: "hocso-assets",
    plugins: [new ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 4 * WEEK })],
  }),
);

// Field pages and lessons, as documents and as Remix data requests (`.data`).
registerRoute(
  ({ url, request, sameOrigin }) =>
    sameOrigin &&
    request.method === "GET" &&
    /^\/(field(\/households\/\d+)?|courses\/[^/]+(\/[^/]+)?)(\.data)?$/.test(url.pathname.replace(/\/$/, "")),
  new NetworkFirst({
    cacheName: "hocso-pages",
    networkTimeoutSeconds: 6,
    plugins: [
      new ExpirationPlugin({ maxEntries: 60, maxAgeSeconds: 2 * WEEK }),
      new CacheableResponsePlugin({ statuses: [200] }),
    ],
  }),
);

import { defineConfig, devices } from "@playwright/test";

// Browser tests run in E2E_WORKERS workers (default 2), each against a server of its own on a database
// of its own (port E2E_PORT + the worker's slot): a test never sees another worker's sign-ups, visits or
// imports, so the specs need not be written for sharing. Playwright loads this file in every worker,
// where TEST_PARALLEL_INDEX names its slot (0 … workers − 1, kept when a worker is restarted).
const workers = Math.max(1, Number(process.env.E2E_WORKERS ?? 2));
const firstPort = Number(process.env.E2E_PORT ?? 3100);
const port = firstPort + Number(process.env.TEST_PARALLEL_INDEX ?? 0);
// scripts/test.mjs makes one PostgreSQL database per worker and lists them here (comma-separated).
const databases = (process.env.E2E_DATABASE_URLS ?? "").split(",").filter(Boolean);
// scripts/test.mjs finds or installs Chromium and passes the paths of its two builds (scripts/chromium.mjs):
// the headless shell for most specs, the full browser for those that need what only it has. None
// means Playwright's own of that kind.
const headlessShell = process.env.CHROMIUM_HEADLESS_SHELL_PATH || undefined;
const fullBrowser = process.env.CHROMIUM_PATH || undefined;
const launchArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];
/** Specs that need the full browser: the service worker's Background Sync (the headless shell has none). */
const fullBrowserSpecs = /field-offline\.spec\.ts$/;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers,
  retries: 0,
  timeout: 90_000,
  // A busy CI machine can take a few seconds for a page that takes 100 ms here; waiting for what
  // the user would see is not a speed test (the benchmarks measure speed).
  expect: { timeout: 15_000 },
  // The JSON report lets `npm test` repeat the failures briefly at the end of its output.
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-report.json" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    // A failed test keeps a trace: every action, request and console message, with the error. Not
    // the page's DOM at every step, nor a screencast: recording those cost the suite about a tenth of
    // its CPU here each, in every test, to be thrown away when it passes.
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: false },
  },
  // Workers take files in this order. The full browser's specs come first: they are among the longest,
  // and last they left one worker running alone for the last 10–20 s while the other had finished.
  projects: [
    {
      name: "chromium, full browser",
      testMatch: fullBrowserSpecs,
      use: {
        ...devices["Desktop Chrome"],
        // Playwright's own full build is its "chromium" channel.
        ...(fullBrowser ? {} : { channel: "chromium" }),
        launchOptions: { executablePath: fullBrowser, args: launchArgs },
      },
    },
    {
      name: "chromium",
      testIgnore: fullBrowserSpecs,
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: { executablePath: headlessShell ?? fullBrowser, args: launchArgs },
      },
    },
  ],
  webServer: Array.from({ length: workers }, (_, slot) => ({
    command: "node scripts/e2e-server.mjs",
    url: `http://localhost:${firstPort + slot}/healthz`,
    env: {
      E2E_PORT: String(firstPort + slot),
      ...(databases.length > 0 ? { E2E_DATABASE_URL: databases[slot % databases.length]! } : {}),
    },
    timeout: 180_000,
    // `npm test` starts these servers itself while the unit and integration tests run (scripts/test.mjs),
    // after checking that the ports were free: then they are used, and one not answering is started here.
    reuseExistingServer: process.env.E2E_SERVERS_STARTED === "1",
    stdout: "pipe" as const,
  })),
});

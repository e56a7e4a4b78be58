// Finds the Chromium builds for the browser tests, installing them when the machine lacks them:
// Debian's packages where apt-get can (as here), otherwise Playwright's own download.
//
// Two builds, as Playwright itself uses them. The headless shell (Debian's chromium-headless-shell,
// Playwright's "chromium-headless-shell" download) is what Playwright runs for headless tests:
// Chromium without the desktop browser's user interface. Here it took the whole suite about 40%
// less CPU than the full browser in its new headless mode. It has no Background Sync, so the specs of
// offline field work (the service worker's sending) run in the full browser.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

// /usr/bin/chromium-headless-shell is a shell script around the binary: Playwright must start, and
// stop, the browser itself, so it gets the binary.
const HEADLESS_SHELLS = ["/usr/lib/chromium/chromium-headless-shell"];
const FULL = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

function first(candidates, variable) {
  if (process.env[variable] && fs.existsSync(process.env[variable])) return process.env[variable];
  return candidates.find((p) => fs.existsSync(p));
}

function playwrightsOwn() {
  try {
    const out = execFileSync(
      "node",
      ["-e", "import('playwright-core').then(m => console.log(m.chromium.executablePath()))"],
      { encoding: "utf8" },
    ).trim();
    return out && fs.existsSync(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** One package at a time: a Debian without one of them (the headless shell) still gets the other. */
function aptInstall(name) {
  const sudo = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  const run = (args) => {
    const command = [...sudo, "apt-get", ...args];
    return spawnSync(command[0], command.slice(1), { stdio: "inherit" });
  };
  if (run(["install", "-y", name]).status === 0) return;
  run(["update"]);
  run(["install", "-y", name]);
}

/**
 * The executable paths: `full` (the desktop browser, headless) and `headlessShell`; "" means
 * Playwright's own build of that kind, installed. Throws if there is no Chromium to be had.
 */
export function findOrInstallChromium() {
  let full = first(FULL, "CHROMIUM_PATH");
  let headlessShell = first(HEADLESS_SHELLS, "CHROMIUM_HEADLESS_SHELL_PATH");
  const hasApt = () => spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if ((!full || !headlessShell) && hasApt()) {
    const missing = [...(full ? [] : ["chromium"]), ...(headlessShell ? [] : ["chromium-headless-shell"])];
    console.info(`Installing Debian's ${missing.join(" and ")} for the browser tests…`);
    for (const name of missing) aptInstall(name);
    full = first(FULL, "CHROMIUM_PATH");
    headlessShell = first(HEADLESS_SHELLS, "CHROMIUM_HEADLESS_SHELL_PATH");
  }
  // A Debian without the headless shell package: the full browser runs every spec (slower, the same tests).
  if (full) return { full, headlessShell: headlessShell ?? full };
  if (!playwrightsOwn()) {
    console.info("Installing Playwright's Chromium (the browser and its headless shell)…");
    spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
  }
  if (playwrightsOwn()) return { full: "", headlessShell: "" };
  throw new Error(
    "No Chromium for the browser tests: install Debian's `chromium` and `chromium-headless-shell` packages " +
      "or run `npx playwright install chromium`, or set CHROMIUM_PATH.",
  );
}

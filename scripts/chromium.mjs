// Finds a Chromium for the browser tests, installing one when the machine has none:
// Debian's package where apt-get can (as here), otherwise Playwright's own download.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

function found() {
  if (process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  return CANDIDATES.find((p) => fs.existsSync(p));
}

function playwrightsOwn() {
  try {
    const out = execFileSync(
      "node",
      ["-e", "import('playwright-core').then(m => console.log(m.chromium.executablePath()))"],
      {
        encoding: "utf8",
      },
    ).trim();
    return out && fs.existsSync(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Returns an executable path, or "" meaning Playwright's own browser is installed and used. Throws if none can be had. */
export function findOrInstallChromium() {
  const existing = found();
  if (existing) return existing;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (hasApt) {
    console.info("No Chromium found: installing Debian's chromium package…");
    const sudo = isRoot ? [] : ["sudo", "-n"];
    const cmd = [...sudo, "apt-get", "install", "-y", "chromium"];
    let r = spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit" });
    if (r.status !== 0) {
      spawnSync(sudo[0] ?? "apt-get", sudo.length ? ["apt-get", "update"] : ["update"], { stdio: "inherit" });
      r = spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit" });
    }
    const after = found();
    if (after) return after;
  }
  if (playwrightsOwn()) return "";
  console.info("Installing Playwright's Chromium…");
  const r = spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
  if (r.status === 0 && playwrightsOwn()) return "";
  throw new Error(
    "No Chromium for the browser tests: install Debian's `chromium` package or run `npx playwright install chromium`, or set CHROMIUM_PATH.",
  );
}

import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "~": path.resolve(import.meta.dirname, "app"),
  "@db": path.resolve(import.meta.dirname, "db"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // One worker per core. Vitest's default leaves one core free (for watch mode's sake), which on a
    // 2-core machine means one worker: integration files spend their time in PGlite's WebAssembly
    // (CPU), so the second core would sit idle.
    maxWorkers: os.availableParallelism(),
    // Worker threads, not child processes: the same suite took 100 s and 183 s of CPU in threads
    // against 131 s and 251 s in forks (Vitest's default) on this 2-core machine. Each file still
    // gets a fresh worker and module graph (isolate), and its own process.env copy.
    pool: "threads",
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          pool: "threads",
          maxWorkers: os.availableParallelism(),
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          globals: true,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          pool: "threads",
          maxWorkers: os.availableParallelism(),
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globals: true,
          // Each file gets a database of its own (see the setup file), so files never see each other's rows.
          // Migrated once (global setup); each file copies that template (setup file).
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/integration/setup-db.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

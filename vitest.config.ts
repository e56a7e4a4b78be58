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
    // against 131 s and 251 s in forks (Vitest's default) on this 2-core machine. Each worker has its
    // own copy of process.env; the files a worker runs share it and its modules (isolate: false below).
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
          // The files share their worker's modules (none changes a module's state for the next): 8 s
          // instead of 12 s (see the integration project).
          isolate: false,
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
          // A worker runs its files one after another with the modules already loaded, instead of a new
          // worker per file: a file no longer pays about 2 s to load the app and start PGlite's WebAssembly
          // in a fresh thread (the project took 103 s and 188 CPU-s isolated, 76 s and 133 CPU-s not).
          // Each file still gets its own database and settings, and leaves no state behind (setup-db.ts).
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

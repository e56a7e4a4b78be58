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
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
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

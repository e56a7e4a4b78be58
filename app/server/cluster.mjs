// Uses every core: the primary process forks one worker per core (or WEB_CONCURRENCY), each a
// whole server on the same port (node:cluster shares the listening socket), and forks a new one
// when a worker dies. Instances are stateless by design (sessions, rate limits, the mail outbox
// and the targets' refresh locks live in PostgreSQL), so workers need nothing from each other.
// Embedded PGlite is one process's database: without DATABASE_URL there is exactly one worker.
import cluster from "node:cluster";
import os from "node:os";

/** How many server processes to run. */
export function workerCount(env = process.env) {
  if (!env.DATABASE_URL) {
    if (Number(env.WEB_CONCURRENCY) > 1)
      console.warn(
        "HọcSố: WEB_CONCURRENCY needs DATABASE_URL " +
          "(embedded PGlite is one process's database); running one process.",
      );
    return 1;
  }
  const configured = Number(env.WEB_CONCURRENCY);
  return Number.isInteger(configured) && configured > 0 ? configured : os.availableParallelism();
}

/**
 * Runs `serve` in this process when one worker is enough (or in a worker); otherwise becomes the
 * primary, which forks the workers and serves nothing itself.
 */
export async function runClustered(serve) {
  const count = workerCount();
  if (count <= 1 || !cluster.isPrimary) return serve();

  console.info(`HọcSố: ${count} worker processes (node:cluster)`);
  let stopping = false;
  const startedAt = new Map();
  const fork = () => startedAt.set(cluster.fork().id, Date.now());
  for (let i = 0; i < count; i++) fork();
  let signals = 0;
  let worst = 0;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (code) worst = code;
      // A second signal means "now": the workers exit at once, and so does the primary, with 1.
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(signals > 1 ? 1 : worst);
      return;
    }
    // A worker that dies within seconds of starting would die again: stop rather than loop.
    if (Date.now() - (startedAt.get(worker.id) ?? 0) < 5_000) {
      console.error(`HọcSố: a worker stopped while starting (${signal ?? code}); stopping.`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      process.exitCode = code || 1;
      return;
    }
    console.error(`HọcSố: worker ${worker.process.pid} stopped (${signal ?? code}); starting another.`);
    fork();
  });
  // Every signal goes to the workers (their graceful shutdown, or at once on the second one).
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      signals += 1;
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    });
  }
}

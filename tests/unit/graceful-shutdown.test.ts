/**
 * A draining instance behind nginx: nginx keeps idle connections to it and never resends a POST
 * when one is closed under it, so the instance must not close a kept-alive connection the proxy
 * may be writing to. It answers the next request on it with `Connection: close` instead.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

type Shutdown = typeof import("../../app/server/shutdown.mjs");

interface Got {
  status?: number;
  reused?: boolean;
  connection?: string;
  error?: string;
}

function get(base: string, agent: http.Agent, pathname: string): Promise<Got> {
  return new Promise((resolve) => {
    const req = http.get(`${base}${pathname}`, { agent }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({ status: res.statusCode, reused: req.reusedSocket, connection: res.headers.connection }),
      );
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

let server: http.Server;
let agent: http.Agent;
const signals = { SIGTERM: process.listeners("SIGTERM"), SIGINT: process.listeners("SIGINT") };

beforeEach(() => {
  // shutdown.mjs keeps whether it is draining in the module: a fresh copy per test.
  vi.resetModules();
  process.env.SHUTDOWN_DELAY_MS = "0";
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
});

afterEach(() => {
  agent.destroy();
  server.closeAllConnections();
  // installGracefulShutdown listens for the signals: leave the test process's own listeners only.
  for (const [signal, before] of Object.entries(signals)) {
    for (const listener of process.listeners(signal as NodeJS.Signals))
      if (!before.includes(listener)) process.off(signal, listener);
  }
  delete process.env.SHUTDOWN_DELAY_MS;
});

/**
 * A server like server.mjs's: every response begun while draining says `Connection: close`;
 * /slow waits for `release`.
 */
async function start(shutdownModule: Shutdown, slow: Promise<void>, handling: () => void) {
  server = http.createServer(async (req, res) => {
    if (shutdownModule.isDraining()) res.setHeader("Connection", "close");
    if (req.url === "/slow") {
      handling();
      await slow;
    }
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let exited!: (code: number) => void;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const shutdown = shutdownModule.installGracefulShutdown(server, {
    exit: ((code: number) => exited(code)) as (code: number) => never,
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, shutdown, exit };
}

describe("a graceful shutdown behind a proxy that keeps connections alive", () => {
  it("answers a request sent on an idle kept-alive connection while draining, with Connection: close", async () => {
    const { base, shutdown, exit } = await start(
      await import("../../app/server/shutdown.mjs"),
      Promise.resolve(),
      () => {},
    );
    expect((await get(base, agent, "/")).status).toBe(200);
    void shutdown("SIGTERM");
    // Several passes of the idle check (every 100 ms) go by with the connection idle.
    await new Promise((r) => setTimeout(r, 350));
    expect(await get(base, agent, "/")).toEqual({ status: 200, reused: true, connection: "close" });
    expect(await exit).toBe(0);
  });

  it("keeps the connection of an answer begun before the signal, which promised keep-alive, for the proxy's next request", async () => {
    let release!: () => void;
    let handling!: () => void;
    const started = new Promise<void>((resolve) => (handling = resolve));
    const { base, shutdown, exit } = await start(
      await import("../../app/server/shutdown.mjs"),
      new Promise<void>((resolve) => (release = resolve)),
      handling,
    );
    const slow = get(base, agent, "/slow");
    await started;
    void shutdown("SIGTERM");
    await new Promise((r) => setTimeout(r, 150));
    release();
    expect(await slow).toEqual({ status: 200, reused: false, connection: "keep-alive" });
    expect(await get(base, agent, "/")).toEqual({ status: 200, reused: true, connection: "close" });
    expect(await exit).toBe(0);
  });
});

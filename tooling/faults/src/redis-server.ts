// A private Redis server for a fault test to stop and kill: never the machine's own. No
// persistence, so whatever a stop or a kill takes away is really gone.
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { freePort, waitUntil } from "@hookloop/e2e/processes";

export type PrivateRedis = {
  port: number;
  url: string;
  /** Starts (or starts again) the server on the same port, empty. */
  start: () => Promise<void>;
  /** SIGTERM, as an operator stops it; waits for the exit. */
  stop: () => Promise<void>;
  /** SIGKILL, as a crash or the OOM killer does; waits for the exit. */
  kill: () => Promise<void>;
  running: () => boolean;
};

export async function createPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const halt = async (signal: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
    child = null;
  };

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      if (child) throw new Error("the private Redis is already running");
      const started = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], {
        stdio: "ignore",
      });
      child = started;
      exited = new Promise((resolve) => started.once("exit", () => resolve()));
      await waitUntil(() => ping(port), { what: `the private Redis on port ${port}` });
    },
    stop: () => halt("SIGTERM"),
    kill: () => halt("SIGKILL"),
    running: () => child !== null,
  };
}

/** Whether a Redis server answers PING on the port. */
export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (chunk) => done(chunk.toString().startsWith("+PONG")));
  });
}

// A TCP proxy the fault tests put between the apps and a server (Postgres), to make the network
// misbehave on demand:
// - "pass": bytes flow both ways;
// - "latency": each chunk is forwarded after a delay, in order;
// - "blackhole": connections are accepted and held open, every byte is dropped, nothing is
//   closed — what a dead route or a frozen server looks like from the client's side. Connections
//   that lived through a blackhole stay deaf when the mode changes back (their protocol state is
//   lost with the dropped bytes); only new connections get through again.
import { connect, createServer, type Server, type Socket } from "node:net";

export type ProxyMode = { kind: "pass" } | { kind: "latency"; ms: number } | { kind: "blackhole" };

export type TcpProxy = {
  port: number;
  /** Rewrites a URL's host and port to go through the proxy. */
  url: (target: string) => string;
  setMode: (mode: ProxyMode) => void;
  /** Connections accepted so far. */
  connections: () => number;
  close: () => Promise<void>;
};

type Pair = { client: Socket; server: Socket | null; deaf: boolean };

export async function startTcpProxy(options: { targetHost: string; targetPort: number; port?: number }): Promise<TcpProxy> {
  let mode: ProxyMode = { kind: "pass" };
  let accepted = 0;
  const pairs = new Set<Pair>();

  const forward = (pair: Pair, to: () => Socket | null, chunk: Buffer) => {
    if (pair.deaf || mode.kind === "blackhole") {
      pair.deaf = true;
      return;
    }
    if (mode.kind === "latency") {
      setTimeout(() => to()?.write(chunk), mode.ms);
      return;
    }
    to()?.write(chunk);
  };

  const server: Server = createServer((client) => {
    accepted++;
    const pair: Pair = { client, server: null, deaf: mode.kind === "blackhole" };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      pair.server?.destroy();
    };
    client.on("error", end);
    client.on("close", end);
    if (pair.deaf) {
      client.resume(); // held open, read and dropped, never connected onwards
      return;
    }

    const upstream = connect(options.targetPort, options.targetHost);
    pair.server = upstream;
    // Bytes the client sends before the upstream connection is up are queued by the socket.
    client.on("data", (chunk: Buffer) => forward(pair, () => pair.server, chunk));
    upstream.on("data", (chunk: Buffer) => forward(pair, () => pair.client, chunk));
    upstream.on("error", end);
    upstream.on("close", end);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    port,
    url: (target) => {
      const url = new URL(target);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    setMode: (next) => {
      mode = next;
    },
    connections: () => accepted,
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

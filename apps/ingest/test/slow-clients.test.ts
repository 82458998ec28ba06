// A client that sends its request slowly, or stops halfway (slowloris), is cut off once the
// server's timeouts pass, on a real listening server over real TCP sockets. The timeouts are
// shortened here; production's are INGEST_TIMEOUTS (app.ts).
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect } from "vitest";
import { signedStripeRequest, stripeEvent } from "@hookloop/testing";
import { INGEST_TIMEOUTS, type IngestTimeouts } from "../src/app";
import { readIngestEnv } from "../src/env";
import { createIngestServer } from "../src/server";
import { test as ingestTest } from "./ingest-harness";

const timeouts: IngestTimeouts = { headersMs: 500, requestMs: 1_000, idleMs: 800, keepAliveMs: 600, checkEveryMs: 100 };
// What a busy CI machine may add to a timeout: the point is "cut off", where a slow client used to
// hold its connection for minutes.
const slackMs = 2_000;

const test = ingestTest.extend("port", { scope: "file" }, async ({ ingest, environment }, { onCleanup }) => {
  void ingest; // the file's endpoint and secret, on the same database
  const server = await createIngestServer(readIngestEnv({ ...environment.env, PORT: "0" }), { timeouts });
  onCleanup(() => server.close());
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  return (server.app.server.address() as AddressInfo).port;
});

type Connection = { socket: Socket; received: () => string; closed: Promise<number> };

/** A raw connection; `closed` resolves with the milliseconds from connecting to the server closing it. */
function open(port: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    const started = Date.now();
    const closed = new Promise<number>((done) => socket.on("close", () => done(Date.now() - started)));
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    socket.on("error", () => {}); // a reset is one way of being cut off
    socket.once("connect", () => resolve({ socket, received: () => received, closed }));
    socket.once("error", reject);
  });
}

/** Writes one byte every `everyMs` until the socket closes, so it is never idle. */
function trickle(socket: Socket, everyMs: number) {
  const timer = setInterval(() => (socket.writable ? socket.write("x") : clearInterval(timer)), everyMs);
  socket.on("close", () => clearInterval(timer));
}

const status = (answer: string) => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? "no answer";

describe("a client that never finishes its request is cut off", () => {
  test("headers sent a byte at a time: closed once the headers timeout passes", async ({ port, ingest }) => {
    const connection = await open(port);
    connection.socket.write(`POST /webhooks/stripe/${ingest.endpointId} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: `);
    trickle(connection.socket, 100);
    const after = await connection.closed;
    expect(after).toBeLessThan(timeouts.headersMs + slackMs);
    expect(status(connection.received())).toMatch(/^(408|no answer)$/);
  });

  test("a body sent a byte at a time: closed once the request timeout passes", async ({ port, ingest }) => {
    const connection = await open(port);
    connection.socket.write(
      `POST /webhooks/stripe/${ingest.endpointId} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `stripe-signature: t=1,v1=00\r\ncontent-length: 100000\r\n\r\n{"id":`,
    );
    trickle(connection.socket, 100);
    const after = await connection.closed;
    expect(after).toBeLessThan(timeouts.requestMs + slackMs);
    expect(status(connection.received())).toMatch(/^(408|no answer)$/);
  });

  test("half a body, then silence: closed once the timeouts pass", async ({ port, ingest }) => {
    const connection = await open(port);
    connection.socket.write(
      `POST /webhooks/stripe/${ingest.endpointId} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 5000\r\n\r\n{"id":"evt_`,
    );
    expect(await connection.closed).toBeLessThan(timeouts.requestMs + slackMs);
  });

  test("a connection that sends nothing at all: closed once the headers timeout passes", async ({ port }) => {
    const connection = await open(port);
    expect(await connection.closed).toBeLessThan(timeouts.headersMs + slackMs);
  });

  test("an idle keep-alive connection after its answer: closed once the keep-alive timeout passes", async ({ port }) => {
    const connection = await open(port);
    connection.socket.write("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    // Node gives an idle keep-alive socket one more second than keepAliveTimeout.
    expect(await connection.closed).toBeLessThan(timeouts.keepAliveMs + 1_000 + slackMs);
    expect(status(connection.received())).toBe("200");
  });
});

test("a request sent in pieces, each well within the timeouts, is still answered", async ({ port, ingest }) => {
  const request = signedStripeRequest(stripeEvent("invoice.paid"), ingest.secret);
  const body = Buffer.from(request.body);
  const head =
    `POST /webhooks/stripe/${ingest.endpointId} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n` +
    `content-type: application/json\r\nstripe-signature: ${request.headers["stripe-signature"]}\r\ncontent-length: ${body.length}\r\n\r\n`;
  const connection = await open(port);
  const pause = () => new Promise((resolve) => setTimeout(resolve, 150));
  connection.socket.write(head.slice(0, 40));
  await pause();
  connection.socket.write(head.slice(40));
  await pause();
  connection.socket.write(body.subarray(0, 100));
  await pause();
  connection.socket.write(body.subarray(100));
  await connection.closed;
  expect(status(connection.received())).toBe("200");
});

test("the production server has the same timeouts on, at INGEST_TIMEOUTS' values", async ({ ingest }) => {
  const { server } = ingest.server.app;
  expect({
    headersMs: server.headersTimeout,
    requestMs: server.requestTimeout,
    idleMs: server.timeout,
    keepAliveMs: server.keepAliveTimeout,
  }).toEqual({
    headersMs: INGEST_TIMEOUTS.headersMs,
    requestMs: INGEST_TIMEOUTS.requestMs,
    idleMs: INGEST_TIMEOUTS.idleMs,
    keepAliveMs: INGEST_TIMEOUTS.keepAliveMs,
  });
  expect(Object.values(INGEST_TIMEOUTS).every((ms) => ms > 0)).toBe(true);
});

// Sends to real local receivers that verify every request with the Standard Webhooks library.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newDestinationSecret } from "./destination-secret";
import { sendMessage, sendTimeoutMs, type SendMessageOptions } from "./send-message";

type Received = { path: string; headers: IncomingMessage["headers"]; body: string; verified: unknown };

const current = newDestinationSecret();
const previous = newDestinationSecret();
const received: Received[] = [];
let receiverSecret = current;

const answers: Record<string, (response: ServerResponse) => void> = {
  "/ok": (response) => response.writeHead(200, { "content-type": "text/plain" }).end("thanks"),
  "/fail": (response) => response.writeHead(500, { "content-type": "text/plain" }).end("database unavailable"),
  "/gone": (response) => response.writeHead(410).end("this hook was deleted"),
  "/redirect": (response) => response.writeHead(302, { location: "/ok" }).end(),
  "/slow": (response) => {
    setTimeout(() => response.writeHead(200).end("too late"), 2_000).unref();
  },
  "/stall": (response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.write("accepted, still writing");
  },
  // One ASCII letter, then two-byte characters: the 1 KB mark falls inside one of them.
  "/long": (response) => response.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(`a${"é".repeat(3_000)}`),
  "/binary": (response) =>
    response
      .writeHead(200, { "content-type": "application/octet-stream" })
      .end(Buffer.from([0x6f, 0x6b, 0x00, 0xff, 0xfe, 0x07, 0x0a])),
  "/latin1": (response) =>
    response.writeHead(200, { "content-type": "text/plain; charset=iso-8859-1" }).end(Buffer.from([0x63, 0x61, 0x66, 0xe9])),
};

const receive: RequestListener = (request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    let verified: unknown;
    try {
      verified = new Webhook(receiverSecret).verify(body, request.headers as Record<string, string>);
    } catch (error) {
      verified = error;
    }
    const path = request.url ?? "/";
    received.push({ path, headers: request.headers, body, verified });
    (answers[path] ?? ((answer: ServerResponse) => answer.writeHead(404).end()))(response);
  });
};

const listen = (server: Server, host: string) =>
  new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

let receiver: Server;
let port: number;
let closedPort: number;
let tlsReceiver: Server;
let tlsPort: number;
let certificateDir: string;

beforeAll(async () => {
  receiver = createServer(receive);
  port = await listen(receiver, "127.0.0.1");

  const closed = createServer();
  closedPort = await listen(closed, "127.0.0.1");
  await close(closed);

  certificateDir = mkdtempSync(join(tmpdir(), "hookloop-destination-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
    ].concat(["-keyout", join(certificateDir, "key.pem"), "-out", join(certificateDir, "cert.pem")]),
    { stdio: "ignore" },
  );
  tlsReceiver = createTlsServer(
    { key: readFileSync(join(certificateDir, "key.pem")), cert: readFileSync(join(certificateDir, "cert.pem")) },
    receive,
  );
  tlsPort = await listen(tlsReceiver, "127.0.0.1");
});

afterAll(async () => {
  await Promise.all([close(receiver), close(tlsReceiver)]);
  rmSync(certificateDir, { recursive: true, force: true });
});

beforeEach(() => {
  received.length = 0;
  receiverSecret = current;
});

const body = JSON.stringify({
  type: "trigger.fired",
  id: "msg_0123456789abcdef0123456789abcdef",
  trigger: { name: "successfulPayment" },
});
const send = (url: string, options: Partial<SendMessageOptions> = {}) =>
  sendMessage({
    url,
    messageId: "msg_0123456789abcdef0123456789abcdef",
    body,
    secrets: [current],
    allowPrivateTargets: true,
    ...options,
  });

describe("sending a message to a destination", () => {
  it("delivers a message the receiver verifies with the Standard Webhooks library", async () => {
    const attempt = await send(`http://127.0.0.1:${port}/ok`);

    expect(attempt).toMatchObject({ status: 200, outcome: "delivered", error: null, responseBody: "thanks" });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    expect(received).toHaveLength(1);
    expect(received[0]!.verified).toEqual(JSON.parse(body));
    expect(received[0]!.body).toBe(body);
    expect(received[0]!.headers).toMatchObject({
      "webhook-id": "msg_0123456789abcdef0123456789abcdef",
      "webhook-timestamp": String(Math.floor(attempt.attemptedAt.getTime() / 1000)),
      "content-type": "application/json",
    });
    expect(received[0]!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it("is refused by a receiver holding another secret", async () => {
    receiverSecret = newDestinationSecret();
    await send(`http://127.0.0.1:${port}/ok`);
    expect(received[0]!.verified).toBeInstanceOf(Error);
    expect((received[0]!.verified as Error).message).toBe("No matching signature found");
  });

  it("during a rotation verifies with the previous secret as well as the current one", async () => {
    for (const secret of [current, previous]) {
      receiverSecret = secret;
      await send(`http://127.0.0.1:${port}/ok`, { secrets: [current, previous] });
    }
    expect(received.map((request) => request.verified)).toEqual([JSON.parse(body), JSON.parse(body)]);
    expect(received[0]!.headers["webhook-signature"]).toMatch(/^v1,\S+ v1,\S+$/);
  });

  it("keeps the same webhook-id on a retry, so the receiver can drop the repeat", async () => {
    await send(`http://127.0.0.1:${port}/fail`);
    await send(`http://127.0.0.1:${port}/ok`);
    expect(received.map((request) => request.headers["webhook-id"])).toEqual([
      "msg_0123456789abcdef0123456789abcdef",
      "msg_0123456789abcdef0123456789abcdef",
    ]);
  });

  it("records a 500 with what the receiver said, to be tried again", async () => {
    expect(await send(`http://127.0.0.1:${port}/fail`)).toMatchObject({
      status: 500,
      outcome: "retry",
      responseBody: "database unavailable",
    });
  });

  it("pauses the destination on 410 Gone", async () => {
    expect(await send(`http://127.0.0.1:${port}/gone`)).toMatchObject({ status: 410, outcome: "pause-destination" });
  });

  it("does not follow a 302: the redirect is a failure that says so", async () => {
    const attempt = await send(`http://127.0.0.1:${port}/redirect`);
    expect(attempt).toMatchObject({ status: 302, outcome: "retry", error: "redirect not followed: 302 to /ok" });
    expect(received.map((request) => request.path)).toEqual(["/redirect"]);
  });

  it("gives up on a receiver slower than the timeout, and says so", async () => {
    const attempt = await send(`http://127.0.0.1:${port}/slow`, { timeoutMs: 300 });
    expect(attempt).toMatchObject({ status: null, outcome: "retry", error: "timed out after 0.3 s", responseBody: null });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(290);
    expect(attempt.latencyMs).toBeLessThan(2_000);
    expect(sendTimeoutMs).toBe(15_000);
  });

  it("records the status of a receiver that answers but never finishes its body, and stops waiting", async () => {
    expect(await send(`http://127.0.0.1:${port}/stall`, { timeoutMs: 300 })).toMatchObject({
      status: 200,
      outcome: "delivered",
      responseBody: "accepted, still writing",
      error: "timed out after 0.3 s while reading the answer",
    });
  });

  it("reports a closed port as a connection refused", async () => {
    expect(await send(`http://127.0.0.1:${closedPort}/ok`)).toMatchObject({
      status: null,
      outcome: "retry",
      error: "connection refused",
    });
  });

  it("reports a host no DNS knows as a failed lookup", async () => {
    expect(await send("https://hookloop-receiver.invalid/ok")).toMatchObject({
      status: null,
      outcome: "retry",
      error: "DNS lookup failed for hookloop-receiver.invalid",
    });
  });

  it("reports a certificate no authority vouches for as an invalid TLS certificate", async () => {
    expect(await send(`https://127.0.0.1:${tlsPort}/ok`)).toMatchObject({
      status: null,
      outcome: "retry",
      error: "TLS certificate invalid: it is self-signed",
    });
    expect(received).toHaveLength(0);
  });
});

describe("the answer a message log shows", () => {
  it("keeps the first 1 KB as text, without half a character at the cut", async () => {
    const { responseBody } = await send(`http://127.0.0.1:${port}/long`);
    expect(responseBody).toBe(`a${"é".repeat(511)}`);
    expect(Buffer.byteLength(responseBody!)).toBe(1_023);
  });

  it("shows control bytes and invalid UTF-8 as replacement characters, never a NUL", async () => {
    expect((await send(`http://127.0.0.1:${port}/binary`)).responseBody).toBe("ok\uFFFD\uFFFD\uFFFD\uFFFD\n");
  });

  it("is read in the charset the receiver names", async () => {
    expect((await send(`http://127.0.0.1:${port}/latin1`)).responseBody).toBe("café");
  });
});

describe("where a message may not go (server-side request forgery)", () => {
  const publicOnly = { allowPrivateTargets: false };
  const publicOnlyMessage = "Hookloop sends messages only to public addresses unless private targets are allowed.";

  it.each([
    [() => `https://127.0.0.1:${port}/ok`, "127.0.0.1 is a loopback address (this machine)"],
    [() => "https://10.0.0.1/ok", "10.0.0.1 is a private network address"],
    [() => "https://169.254.169.254/latest/meta-data/", "169.254.169.254 is the cloud metadata address"],
    [() => `https://[::1]:${port}/ok`, "::1 is a loopback address (this machine)"],
    [() => `https://[::ffff:127.0.0.1]:${port}/ok`, "::ffff:7f00:1 is a loopback address (this machine)"],
    [() => `https://0x7f000001:${port}/ok`, "127.0.0.1 is a loopback address (this machine)"],
    [() => `https://localhost:${port}/ok`, "localhost resolves to 127.0.0.1, a loopback address (this machine)"],
  ])("%s is refused before any connection", async (url, why) => {
    const attempt = await send(url(), publicOnly);
    expect(attempt).toMatchObject({ status: null, outcome: "retry", error: `Refused: ${why}. ${publicOnlyMessage}` });
    expect(received).toHaveLength(0);
  });

  it("plain http is refused where private targets are not allowed", async () => {
    expect(await send(`http://localhost:${port}/ok`, publicOnly)).toMatchObject({
      status: null,
      error: "Use an https:// URL: messages carry your contacts' details, so they travel encrypted.",
    });
    expect(received).toHaveLength(0);
  });

  it("a receiver on this machine is reached where private targets are allowed", async () => {
    expect(await send(`http://localhost:${port}/ok`)).toMatchObject({ status: 200, outcome: "delivered" });
    expect(await send(`http://127.0.0.1:${port}/ok`)).toMatchObject({ status: 200, outcome: "delivered" });
    expect(received.map((request) => request.verified)).toEqual([JSON.parse(body), JSON.parse(body)]);
  });
});

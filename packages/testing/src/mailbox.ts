// A real SMTP server on loopback that keeps what it receives, for tests of mail a user would get:
// read in-process (`mailbox.next`), or over HTTP from another process (the browser tests).
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string[]; from: string; subject: string; text: string };

export type Mailbox = {
  /** Where a mailer sends: `smtp://127.0.0.1:<port>`. */
  smtpUrl: string;
  /** `GET <httpUrl>/messages` answers every mail so far, as JSON; absent unless asked for. */
  httpUrl?: string;
  received: ReceivedMail[];
  /** The first mail to `to` whose subject matches, received now or within `timeoutMs`. */
  next: (to: string, subject: RegExp, timeoutMs?: number) => Promise<ReceivedMail>;
  close: () => Promise<void>;
};

export async function startMailbox(options: { http?: boolean } = {}): Promise<Mailbox> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const addresses = [parsed.to ?? []].flat().flatMap((group) => group.value.map((address) => address.address ?? ""));
          received.push({
            to: addresses,
            from: parsed.from?.value[0]?.address ?? "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  let http: Server | undefined;
  if (options.http) {
    http = createHttpServer((request, response) => {
      if (request.url !== "/messages") return void response.writeHead(404).end();
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received));
    });
    await new Promise<void>((resolve) => http!.listen(0, "127.0.0.1", resolve));
  }

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    ...(http ? { httpUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}` } : {}),
    received,
    next: async (to, subject, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = received.find((candidate) => candidate.to.includes(to.toLowerCase()) && subject.test(candidate.subject));
        if (mail) return mail;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      if (http) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

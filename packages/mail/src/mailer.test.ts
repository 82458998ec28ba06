import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startMailbox, type Mailbox } from "@hookloop/testing/mailbox";
import { createMailer } from "./index";

describe("createMailer", () => {
  let mailbox: Mailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
  });
  afterAll(() => mailbox.close());

  test("sends over SMTP from the configured address", async () => {
    const mailer = createMailer({ smtpUrl: mailbox.smtpUrl, from: "Hookloop <hookloop@acme.test>", log: () => undefined });
    await mailer.send({
      to: "ada@example.com",
      subject: "Confirm your email",
      text: "Open https://hookloop.test/verify?token=t1",
    });
    mailer.close();
    const mail = await mailbox.next("ada@example.com", /Confirm your email/);
    expect(mail).toMatchObject({ from: "hookloop@acme.test", text: "Open https://hookloop.test/verify?token=t1\n" });
  });

  test("without an SMTP server, writes the whole mail, link included, to the log", async () => {
    const lines: string[] = [];
    const mailer = createMailer({ from: "hookloop@acme.test", log: (line) => lines.push(line) });
    await mailer.send({ to: "ada@example.com", subject: "Reset", text: "https://hookloop.test/reset/t2" });
    expect(mailer.target).toBe("the log");
    expect(lines.join("\n")).toContain("email to ada@example.com");
    expect(lines.join("\n")).toContain("https://hookloop.test/reset/t2");
  });

  test("a refused send is an error the caller sees, not a mail silently lost", async () => {
    const mailer = createMailer({ smtpUrl: "smtp://127.0.0.1:1", from: "hookloop@acme.test", log: () => undefined });
    await expect(mailer.send({ to: "ada@example.com", subject: "x", text: "y" })).rejects.toThrow();
    mailer.close();
  });
});

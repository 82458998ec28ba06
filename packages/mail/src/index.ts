// Hookloop's outgoing email: over SMTP where one is configured, else written to the log with its
// text, so on a developer's machine every link a mail carries can still be followed.
import nodemailer from "nodemailer";

export type Mail = { to: string; subject: string; text: string };

export type Mailer = {
  send: (mail: Mail) => Promise<void>;
  /** Where mail goes, for the boot log: the SMTP server's host, or "the log". */
  readonly target: string;
  close: () => void;
};

export type MailerOptions = {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; absent, mails are written to `log`. */
  smtpUrl?: string | undefined;
  from: string;
  /** Where a mail goes when there is no SMTP server, and what is said about it. */
  log: (line: string) => void;
};

export function createMailer(options: MailerOptions): Mailer {
  if (!options.smtpUrl) {
    return {
      target: "the log",
      send: async (mail) => {
        options.log(`email to ${mail.to} (no SMTP_URL set, so it is written here)\nSubject: ${mail.subject}\n\n${mail.text}`);
        return Promise.resolve();
      },
      close: () => undefined,
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    target: new URL(options.smtpUrl).host,
    send: async (mail) => {
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}

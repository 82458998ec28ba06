// What Hookloop writes to people about their account. Plain text: every mail client shows it, and
// a link in it is exactly the link, with nothing to hide it behind.
import type { Mail } from "@hookloop/mail";

type Person = { email: string; name?: string | undefined };

const greeting = (person: Person) => (person.name ? `Hi ${person.name},` : "Hi,");
const ignore = "If this was not you, ignore this email: nothing changes until the link is opened.";

export function verifyEmailMail(person: Person, url: string): Mail {
  return {
    to: person.email,
    subject: "Confirm your email for Hookloop",
    text: `${greeting(person)}\n\nConfirm this address to finish creating your Hookloop account:\n\n${url}\n\nThe link works for 24 hours.\n\n${ignore}\n`,
  };
}

/** Sent instead of a confirmation when someone signs up with an address that already has an account. */
export function existingAccountMail(person: Person, signInUrl: string, resetUrl: string): Mail {
  return {
    to: person.email,
    subject: "You already have a Hookloop account",
    text: `${greeting(person)}\n\nSomeone, probably you, tried to create a Hookloop account with this address, which already has one.\n\nSign in: ${signInUrl}\nForgot your password? Choose a new one: ${resetUrl}\n\nIf this was not you, ignore this email: your account has not changed.\n`,
  };
}

export function resetPasswordMail(person: Person, url: string): Mail {
  return {
    to: person.email,
    subject: "Choose a new Hookloop password",
    text: `${greeting(person)}\n\nOpen this link to choose a new password for your Hookloop account:\n\n${url}\n\nThe link works for one hour, once. Choosing a new password signs you out everywhere else.\n\n${ignore}\n`,
  };
}

export function invitationMail(invitation: {
  email: string;
  inviter: string;
  workspace: string;
  role: string;
  url: string;
}): Mail {
  return {
    to: invitation.email,
    subject: `${invitation.inviter} invited you to ${invitation.workspace} on Hookloop`,
    text: `Hi,\n\n${invitation.inviter} invited you to join the workspace ${invitation.workspace} on Hookloop as ${
      invitation.role === "admin" ? "an admin" : `a ${invitation.role}`
    }.\n\nOpen this link to join (sign in, or create an account with this address, first):\n\n${invitation.url}\n\nThe invitation works for 48 hours and only for ${invitation.email}.\n`,
  };
}

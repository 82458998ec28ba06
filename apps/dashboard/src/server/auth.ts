import "server-only";
import { hash, verify, type Options } from "@node-rs/argon2";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { organization } from "better-auth/plugins";
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  existingAccountMail,
  invitationMail,
  passwordProblem,
  resetPasswordMail,
  verifyEmailMail,
} from "@hookloop/accounts";
import { env } from "../env";
import { afterMemberChange, beforeMemberChange } from "./audit-member-changes";
import { services } from "./services";
import {
  FAILED_SIGN_INS_ALLOWED,
  LOCKOUT_MINUTES,
  accountLocked,
  clearFailedSignIns,
  recordFailedSignIn,
} from "./sign-in-failures";

// OWASP's first argon2id configuration: 19 MiB, 2 iterations, 1 lane. (2 is Algorithm.Argon2id, a
// const enum that isolated modules cannot import.)
const argon2id: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const text = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * What better-auth's own checks leave to us: the password policy on every new password, and the
 * per-account limit on sign-in, checked before the password is and counted after it fails.
 */
const beforeHook = createAuthMiddleware(async (ctx) => {
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  if (ctx.path === "/sign-up/email" || ctx.path === "/reset-password") {
    const password = text(ctx.path === "/sign-up/email" ? body.password : body.newPassword);
    const problem = passwordProblem(password, { email: text(body.email), name: text(body.name) });
    if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: "PASSWORD_REFUSED" });
  }
  if (ctx.path === "/sign-in/email" && (await accountLocked(text(body.email)))) {
    throw new APIError("TOO_MANY_REQUESTS", {
      code: "ACCOUNT_LOCKED",
      message: `${FAILED_SIGN_INS_ALLOWED} wrong passwords in a row: sign-in to this account is paused for ${LOCKOUT_MINUTES} minutes. Choosing a new password (Forgot your password?) lifts the pause.`,
    });
  }
  await beforeMemberChange(ctx);
});

const afterHook = createAuthMiddleware(async (ctx) => {
  // Invitations, joining, role changes, removals and leaving go to the audit log.
  await afterMemberChange(ctx);
  if (ctx.path !== "/sign-in/email") return;
  const email = text((ctx.body as Record<string, unknown> | undefined)?.email);
  const returned = ctx.context.returned;
  if (isAPIError(returned)) {
    if (returned.statusCode === 401) await recordFailedSignIn(email);
  } else {
    await clearFailedSignIns(email);
  }
});

function createAuth() {
  const settings = env();
  const { mailer } = services();
  const page = (path: string) => new URL(path, settings.DASHBOARD_URL).toString();
  return betterAuth({
    secret: settings.BETTER_AUTH_SECRET,
    baseURL: settings.DASHBOARD_URL,
    trustedOrigins: [settings.DASHBOARD_URL],
    database: prismaAdapter(services().db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      // No session until the address is proved: an account is only ever its mailbox's owner's.
      // It also makes sign-up answer alike whether or not the address has an account.
      requireEmailVerification: true,
      onExistingUserSignUp: async ({ user }) => {
        await mailer.send(existingAccountMail(user, page("/sign-in"), page("/forgot-password")));
      },
      sendResetPassword: async ({ user, url }) => {
        await mailer.send(resetPasswordMail(user, url));
      },
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      onPasswordReset: async ({ user }) => {
        await clearFailedSignIns(user.email);
      },
      password: {
        hash: (password) => hash(password, argon2id),
        verify: ({ hash: stored, password }) => verify(stored, password),
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      // An unconfirmed account that signs in with the right password gets a fresh link.
      sendOnSignIn: true,
      autoSignInAfterVerification: true,
      expiresIn: 24 * 60 * 60,
      sendVerificationEmail: async ({ user, url }) => {
        await mailer.send(verifyEmailMail(user, url));
      },
    },
    hooks: { before: beforeHook, after: afterHook },
    advanced: {
      useSecureCookies: settings.NODE_ENV === "production",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // The only X-Forwarded-For the dashboard sees is the one serve.ts wrote from the socket's
      // peer and TRUSTED_PROXIES: what a client sends itself never reaches here.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: 5 },
        "/sign-up/email": { window: 60, max: 10 },
        "/request-password-reset": { window: 60, max: 3 },
        "/send-verification-email": { window: 60, max: 3 },
      },
    },
    plugins: [
      organization({
        schema: {
          organization: { modelName: "workspace" },
          member: { fields: { organizationId: "workspaceId" } },
          invitation: { fields: { organizationId: "workspaceId" } },
          session: { fields: { activeOrganizationId: "activeWorkspaceId" } },
        },
        requireEmailVerificationOnInvitation: true,
        sendInvitationEmail: async ({ id, email, role, organization: workspace, inviter }) => {
          await mailer.send(
            invitationMail({
              email,
              role,
              workspace: workspace.name,
              inviter: inviter.user.name,
              url: page(`/invitations/${id}`),
            }),
          );
        },
      }),
      nextCookies(),
    ],
  });
}

type Auth = ReturnType<typeof createAuth>;
const holder = globalThis as typeof globalThis & { hookloopAuth?: Auth };

export function auth(): Auth {
  holder.hookloopAuth ??= createAuth();
  return holder.hookloopAuth;
}

import "server-only";
import { hash, verify, type Options } from "@node-rs/argon2";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { organization } from "better-auth/plugins";
import { env } from "../env";
import { services } from "./services";

// OWASP's first argon2id configuration: 19 MiB, 2 iterations, 1 lane. (2 is Algorithm.Argon2id, a
// const enum that isolated modules cannot import.)
const argon2id: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

function createAuth() {
  const settings = env();
  return betterAuth({
    secret: settings.BETTER_AUTH_SECRET,
    baseURL: settings.DASHBOARD_URL,
    trustedOrigins: [settings.DASHBOARD_URL],
    database: prismaAdapter(services().db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      password: {
        hash: (password) => hash(password, argon2id),
        verify: ({ hash: stored, password }) => verify(stored, password),
      },
    },
    advanced: {
      useSecureCookies: settings.NODE_ENV === "production",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: 5 }, "/sign-up/email": { window: 60, max: 5 } },
    },
    plugins: [
      organization({
        schema: {
          organization: { modelName: "workspace" },
          member: { fields: { organizationId: "workspaceId" } },
          invitation: { fields: { organizationId: "workspaceId" } },
          session: { fields: { activeOrganizationId: "activeWorkspaceId" } },
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

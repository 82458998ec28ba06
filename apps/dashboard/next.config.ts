import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const config: NextConfig = {
  // A self-contained server (.next/standalone) with only the files it needs, node_modules
  // included; traced from the repository root so the workspace packages and hoisted
  // dependencies are found. `npm run build` then copies the static files next to it.
  output: "standalone",
  outputFileTracingRoot: fileURLToPath(new URL("../../", import.meta.url)),
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@hookloop/core", "@hookloop/domain", "@hookloop/config", "@hookloop/queue", "@hookloop/secrets"],
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "@node-rs/argon2", "bullmq", "ioredis", "@hookloop/db"],
  poweredByHeader: false,
  // What every response carries, static files included; the policy with its nonce, HSTS and
  // no-store are set per request in src/proxy.ts.
  headers: async () => [
    {
      source: "/:path*",
      headers: [
        { key: "X-Content-Type-Options", value: "nosniff" },
        { key: "X-Frame-Options", value: "DENY" },
        // Other sites learn at most the dashboard's origin, never a page's path with its endpoint or contact id.
        { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      ],
    },
  ],
  typedRoutes: false,
};

export default config;

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
  typedRoutes: false,
};

export default config;

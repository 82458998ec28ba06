import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@hookloop/core", "@hookloop/domain", "@hookloop/config", "@hookloop/queue", "@hookloop/secrets"],
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "@node-rs/argon2", "bullmq", "ioredis", "@hookloop/db"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;

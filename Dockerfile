# syntax=docker/dockerfile:1
# Hookloop's images, one target per deployable, all built from the same stages:
#   ingest · api · worker · dashboard · migrate (applies prisma/migrations, then exits) · cli (admin commands)
# docker-compose.yml builds and wires them; one alone: docker build --target worker -t hookloop-worker .
# The images hold built JavaScript and the npm packages it imports, nothing else: no TypeScript
# loader, no dev tools, and nothing is downloaded when a container starts (migrations run
# Prisma's schema engine as WebAssembly, from node_modules).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    TURBO_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# Only the lockfile and every workspace's package.json, so the installs below are reused until a
# dependency changes, whatever else does.
FROM base AS manifests
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete && find . -type d -empty -delete

# Every dependency, dev tools included, as the lockfile pins them. Install scripts are skipped:
# the one the build needs, `prisma generate`, runs in the next stage, pointed away from the
# native engine it would otherwise download (packages/db/scripts/generate.mjs).
FROM base AS deps
COPY --from=manifests /app ./
RUN npm ci --ignore-scripts

# `npm run build` (turbo): the services' dist/ bundles, packages/db's migrate script and the
# dashboard's standalone server with its static files.
FROM deps AS build
COPY . .
RUN npm run db:generate && npm run build

# What the bundles import at run time, for this platform only: no dev dependencies, no optional
# ones (the platform binaries of esbuild, turbo, sharp…; msgpackr's native speed-up is optional
# too, and BullMQ runs without it). Our own packages are bundled in, so their links go.
FROM base AS server-modules
COPY --from=manifests /app ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts \
      --workspace=@hookloop/ingest --workspace=@hookloop/api --workspace=@hookloop/worker --workspace=@hookloop/cli \
      --workspace=@hookloop/db \
    && rm -rf node_modules/@hookloop \
    && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production

# The package.json files (each says "type": "module" for its dist/) and node_modules.
FROM runtime AS server
COPY --from=server-modules /app ./

FROM server AS ingest
COPY --from=build /app/apps/ingest/dist apps/ingest/dist
ENV HOST=0.0.0.0 PORT=3100
EXPOSE 3100
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "apps/ingest/dist/main.js"]

# The public API (/v1, Bearer hl_live_ keys made by the cli's apikey:create).
FROM server AS api
COPY --from=build /app/apps/api/dist apps/api/dist
ENV HOST=0.0.0.0 PORT=3200
EXPOSE 3200
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "apps/api/dist/main.js"]

# No published port: its /healthz and /readyz are for the healthcheck and the orchestrator, so
# any number of workers can run side by side.
FROM server AS worker
COPY --from=build /app/apps/worker/dist apps/worker/dist
ENV HOST=0.0.0.0 WORKER_HEALTH_PORT=3101
EXPOSE 3101
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.WORKER_HEALTH_PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "apps/worker/dist/main.js"]

# Needs MIGRATION_DATABASE_URL (the schema owner's) and DATABASE_APP_PASSWORD (set as hookloop_app's
# password: the services log in with it, in their DATABASE_URL, and never as the owner). Applies what
# the database has not seen and exits 0; a second run applies nothing.
FROM server AS migrate
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/prisma prisma
USER node
CMD ["node", "--enable-source-maps", "packages/db/dist/migrate.js"]

# docker compose run --rm cli workspace:create --name Acme
FROM server AS cli
COPY --from=build /app/apps/cli/dist apps/cli/dist
USER node
ENTRYPOINT ["node", "--enable-source-maps", "apps/cli/dist/main.js"]
CMD ["help"]

# Next's standalone output brings the node_modules its server traced; it needs nothing else.
# Owned by `node` because Next writes its cache under .next at run time.
FROM runtime AS dashboard
COPY --from=build --chown=node:node /app/apps/dashboard/.next/standalone ./
ENV HOSTNAME=0.0.0.0 PORT=3000
EXPOSE 3000
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/sign-in`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/dashboard/serve.mjs"]

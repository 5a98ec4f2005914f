# agentmeter collector image for a ClickHouse server deployment (see docker-compose.yml).
# Multi-stage: dependencies are installed in a build stage, the dashboard is built there, and
# the runtime stage carries production dependencies only and runs as a non-root user. The
# embedded engine (chdb) is left out: this image expects AGENTMETER_CLICKHOUSE_URL.
# test/deploy-files.test.ts checks these properties; the image itself has not been built where
# agentmeter is developed (no Docker engine there).
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm --filter @agentmeter/dashboard build

FROM node:20.20.2-bookworm-slim AS runtime
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY --from=build /app/package.json /app/pnpm-lock.yaml /app/pnpm-workspace.yaml ./
COPY packages/core/package.json packages/core/
COPY packages/core/src packages/core/src
COPY apps/collector/package.json apps/collector/
COPY apps/collector/src apps/collector/src
COPY --from=build /app/apps/dashboard/dist ./apps/dashboard/dist
# Production dependencies only. The embedded engine (chdb, an optional dependency of the
# collector, about 540 MB) is removed in the same layer, so it never lands in the image;
# --no-optional is not used because it would also drop esbuild's platform binary, which tsx
# needs (esbuild would then download it at install time).
RUN pnpm install --prod --frozen-lockfile --filter @agentmeter/collector... \
  && rm -rf node_modules/.pnpm/chdb@* node_modules/.pnpm/@chdb+* apps/collector/node_modules/chdb
# The collector's own directory: its spool of acknowledged batches while ClickHouse is away
# (a volume in docker-compose.yml, so a restart replays them), writable by the non-root user.
RUN mkdir -p /var/lib/agentmeter && chown node:node /var/lib/agentmeter
USER node
ENV AGENTMETER_HOST=0.0.0.0 AGENTMETER_PORT=4318 NODE_ENV=production \
  AGENTMETER_DATA_DIR=/var/lib/agentmeter
EXPOSE 4318
# tsx as a loader of this node process (not the tsx CLI, which would run the collector in a
# child process): SIGTERM from `docker stop` reaches the collector, which drains and exits.
CMD ["node", "--import", "./apps/collector/node_modules/tsx/dist/esm/index.mjs", "apps/collector/src/cli/main.ts", "start"]

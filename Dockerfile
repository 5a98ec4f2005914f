# agentmeter collector image for a ClickHouse server deployment (see docker-compose.yml).
# Multi-stage: dependencies are installed in a build stage, the dashboard is built there, and
# the runtime stage carries production dependencies only and runs as a non-root user. The
# embedded engine (chdb) is left out: this image expects AGENTMETER_CLICKHOUSE_URL.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm --filter @agentmeter/dashboard build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY --from=build /app/package.json /app/pnpm-lock.yaml /app/pnpm-workspace.yaml ./
COPY packages/core/package.json packages/core/
COPY packages/core/src packages/core/src
COPY apps/collector/package.json apps/collector/
COPY apps/collector/src apps/collector/src
COPY --from=build /app/apps/dashboard/dist ./apps/dashboard/dist
# chdb is an optional dependency of the collector, so --no-optional leaves the engine out.
RUN pnpm install --prod --frozen-lockfile --no-optional --filter @agentmeter/collector...
USER node
ENV AGENTMETER_HOST=0.0.0.0 AGENTMETER_PORT=4318 NODE_ENV=production
EXPOSE 4318
CMD ["node", "apps/collector/node_modules/tsx/dist/cli.mjs", "apps/collector/src/cli/main.ts", "start"]

#!/usr/bin/env bash
# Every check the project has, in the order that fails fastest: format, lint, types, the
# dashboard build, then all Vitest suites (unit, integration, end-to-end, real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-chromium.sh

pnpm run format:check
pnpm run lint
pnpm run typecheck
pnpm run build
pnpm exec vitest run

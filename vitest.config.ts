import { defineConfig } from 'vitest/config'

// One Vitest run covers unit tests beside the code and the end-to-end suites in test/.
// End-to-end suites start real servers and an embedded ClickHouse each, so they get more time.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})

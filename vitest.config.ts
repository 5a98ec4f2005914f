import { defineConfig } from 'vitest/config'

// Vitest 5's reporter calls Map.groupBy (Node 21+) when it prints a failure; on Node 20 the
// report of a failing test would itself crash. Remove once the project requires Node 22.
if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value<K, T>(items: Iterable<T>, keyOf: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>()
      let index = 0
      for (const item of items) {
        const key = keyOf(item, index++)
        const group = groups.get(key)
        if (group) group.push(item)
        else groups.set(key, [item])
      }
      return groups
    },
  })
}

// One Vitest run covers unit tests beside the code and the end-to-end suites in test/.
// End-to-end suites start real servers and an embedded ClickHouse each, so they get more time.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // `expect.poll` waits on a page or a server; its 1 s default fails on a loaded machine
    // where the same page takes seconds to load its data.
    expect: { poll: { timeout: 20_000 } },
  },
})

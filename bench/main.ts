/**
 * Benchmark runner: `pnpm bench <suite> [args]`. Each suite measures against a baseline taken in
 * the same run and prints its figures; suites register here by name.
 */
const SUITES: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  fingerprint: () => import('./fingerprint'),
  hotspots: () => import('./hotspots'),
}

const [suite, ...args] = process.argv.slice(2)
const load = suite ? SUITES[suite] : undefined
if (!load) {
  console.error(`usage: pnpm bench <suite> [args]; suites: ${Object.keys(SUITES).join(', ')}`)
  process.exit(2)
}
await (await load()).run(args)

export {}

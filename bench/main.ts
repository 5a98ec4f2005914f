/**
 * Benchmark entry point: `pnpm bench <suite> [--quick] [--json]`, or `pnpm bench` to list the
 * suites. A suite is a module exporting `run(options)`; add one by adding it to SUITES. Every
 * suite measures its subject against a baseline in the same run and reports ratios, since
 * absolute figures depend on the machine.
 */

export interface BenchOptions {
  /** A short run (smaller payloads, shorter budgets), for a smoke check. */
  quick: boolean
  /** Print nothing but errors (the entry point prints the JSON result itself). */
  quiet: boolean
}

export interface SuiteResult {
  suite: string
  /** One entry per measured case; each suite chooses its own fields. */
  results: Record<string, unknown>[]
  /** Subject time divided by baseline time (or the suite's stated ratio), by name. */
  ratios: Record<string, number>
}

type Suite = (options: BenchOptions) => Promise<SuiteResult>

const SUITES: Record<string, () => Promise<Suite>> = {
  'decode-normalize': async () => (await import('./decode-normalize')).run,
  ingest: async () => (await import('./ingest')).run,
  sdk: async () => (await import('./sdk')).run,
  startup: async () => (await import('./startup')).run,
  query: async () => (await import('./query')).run,
  recommendations: async () => (await import('./recommendations')).run,
}

/**
 * Suites that take their own arguments (sizes, iterations) and print their own table:
 * `pnpm bench fingerprint 3000`, `pnpm bench hotspots 200000`, `pnpm bench shadow 400`,
 * `pnpm bench what-if 1000000`, `pnpm bench explore 200000`.
 */
const ARGUMENT_SUITES: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  failover: () => import('./failover'),
  fingerprint: () => import('./fingerprint'),
  hotspots: () => import('./hotspots'),
  explore: () => import('./explore'),
  shadow: () => import('./shadow'),
  'what-if': () => import('./what-if'),
}

async function main(argv: string[]): Promise<number> {
  const argumentSuite = argv[0] ? ARGUMENT_SUITES[argv[0]] : undefined
  if (argumentSuite) {
    await (await argumentSuite()).run(argv.slice(1))
    return 0
  }
  const names = argv.filter((arg) => !arg.startsWith('--'))
  const json = argv.includes('--json')
  const options: BenchOptions = { quick: argv.includes('--quick'), quiet: json }
  if (names.length === 0) {
    console.log(
      `usage: pnpm bench <suite...> [--quick] [--json]\nsuites: ${[...Object.keys(SUITES), ...Object.keys(ARGUMENT_SUITES)].join(', ')}`,
    )
    return 1
  }
  const unknown = names.filter((name) => !(name in SUITES))
  if (unknown.length > 0) {
    console.error(
      `unknown suite ${unknown.join(', ')}; expected one of: ${Object.keys(SUITES).join(', ')}`,
    )
    return 1
  }
  const results: SuiteResult[] = []
  for (const name of names) {
    const run = await SUITES[name]!()
    results.push(await run(options))
  }
  if (json) console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 2))
  return 0
}

process.exitCode = await main(process.argv.slice(2))

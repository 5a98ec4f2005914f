// A fake web for the research-report agent: search results and pages from fixed data.
import { createRng } from '../prng'
import { fakeProse, stableHash } from './text'

export interface SearchResult {
  title: string
  url: string
}

/** Research topics and the queries a plan for each would run. */
export const TOPICS: readonly { topic: string; queries: readonly string[] }[] = [
  {
    topic: 'heat pump adoption in Europe',
    queries: ['heat pump sales 2025', 'heat pump subsidies', 'heat pump cold climate'],
  },
  {
    topic: 'battery recycling economics',
    queries: ['battery recycling cost', 'lithium recovery rate', 'recycling plant capacity'],
  },
  {
    topic: 'remote work and office demand',
    queries: ['office vacancy rates', 'hybrid work survey', 'office lease trends', 'coworking'],
  },
  {
    topic: 'vertical farming viability',
    queries: ['vertical farm energy use', 'vertical farm closures', 'indoor farming yield'],
  },
]

// A small pool, so different queries often land on the same pages (as on the real web).
const SITES = [
  'energy-review.example',
  'stats-office.example',
  'industry-weekly.example',
  'policy-notes.example',
  'research-hub.example',
  'paywalled-journal.example',
]

/** Three results for a query, the same every time. */
export function search(query: unknown): SearchResult[] {
  const rng = createRng(stableHash(String(query)))
  const picks = rng.shuffle(SITES).slice(0, 3)
  return picks.map((site, index) => ({
    title: `${String(query)} (${site}, part ${index + 1})`,
    url: `https://${site}/${rng.int(1, 2)}`,
  }))
}

/**
 * The text of a page, 600 to 6,000 characters.
 * @throws Error for paywalled pages (a timeout, as a scraper would see it)
 */
export function fetchPage(url: unknown): string {
  const address = String(url)
  if (address.includes('paywalled')) throw new Error(`timed out fetching ${address}`)
  const length = 600 + (stableHash(address) % 5400)
  return fakeProse(address, length)
}

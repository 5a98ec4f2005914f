// A fake web for the research-report agent: search results and pages made from their query or
// address, the same every time.
import { createRng, type Rng } from '../prng'
import { fakeProse, stableHash } from './text'

export interface SearchResult {
  title: string
  url: string
}

/** A research brief: the topic and the web searches a plan for it would run. */
export interface ResearchTopic {
  topic: string
  queries: readonly string[]
}

/** The kinds of brief the research agent gets, each with the searches its plan runs. */
export const TOPICS: readonly ResearchTopic[] = [
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

const REGIONS = [
  'Germany',
  'France',
  'Spain',
  'Italy',
  'Poland',
  'the Nordics',
  'the UK',
  'the US',
  'Canada',
  'Japan',
  'South Korea',
  'Australia',
  'Brazil',
  'India',
]

/**
 * A new brief of the kind of `template`: the same question for a region and a year of its
 * own, as different clients ask it; its searches name them too.
 */
export function newTopic(template: ResearchTopic, rng: Rng): ResearchTopic {
  const region = rng.pick(REGIONS)
  const year = rng.int(2019, 2026)
  const scope = `${region} ${year}`
  return {
    topic: `${template.topic.replace(/ in Europe$/, '')} in ${scope}`,
    queries: template.queries.map((query) => `${query.replace(/ 2025$/, '')} ${scope}`),
  }
}

// A small pool, so different queries often land on the same pages (as on the real web).
const SITES = [
  'energy-review.example',
  'stats-office.example',
  'industry-weekly.example',
  'policy-notes.example',
  'research-hub.example',
  'paywalled-journal.example',
]

/**
 * Three results for a query, the same every time. Searches of one brief (same first word, same
 * region and year at the end) often land on the same pages, as searches on one subject do.
 */
export function search(query: unknown): SearchResult[] {
  const text = String(query)
  const rng = createRng(stableHash(text))
  const words = text.split(' ')
  const subject = [words[0], ...words.slice(-2)]
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
  const picks = rng.shuffle(SITES).slice(0, 3)
  return picks.map((site, index) => ({
    title: `${text} (${site}, part ${index + 1})`,
    url: `https://${site}/${subject || 'page'}/${rng.int(1, 2)}`,
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

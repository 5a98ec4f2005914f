// System prompts of the demo agents. The long ones are long on purpose: they are the shared
// prefixes that prompt caching (or its absence) shows up on.

function rules(title: string, items: readonly string[], sections: number): string {
  const lines = [title, '']
  for (let section = 1; section <= sections; section++) {
    lines.push(`Section ${section}.`)
    items.forEach((item, index) => lines.push(`${section}.${index + 1} ${item}`))
    lines.push('')
  }
  return lines.join('\n')
}

const SUPPORT_RULES = [
  'Greet the customer by name and restate the problem in one sentence.',
  'Never promise a delivery date the order system does not show.',
  'Refunds over 100 USD need a supervisor; say that a specialist will follow up.',
  'Enterprise customers get a named contact and a reply within four business hours.',
  'Do not ask for information the ticket or the customer record already contains.',
  'Offer a replacement before a refund for hardware that fails within 30 days.',
  'Keep replies under 150 words and end with one clear next step.',
  'Never include internal notes, order margins or other customers in a reply.',
]

/** About 5,700 characters: Claude caches it when the agent marks it with `cache_control`. */
export const SUPPORT_POLICY = rules(
  'You write replies for the customer support team. Follow the support policy below.',
  SUPPORT_RULES,
  9,
)

/** Short classifier instructions: the call itself is trivial, whatever model runs it. */
export const CLASSIFIER =
  'Classify the support ticket into exactly one of: shipping, hardware, billing. Answer with the label.'

export const LOOKUP =
  'You are a support assistant with access to the customer and order systems. Use the tool asked for.'

const REVIEW_RULES = [
  'Flag unhandled promise rejections and missing awaits.',
  'Flag any secret, token or credential written into the code.',
  'Check that errors carry context and keep the original error as cause.',
  'Prefer small functions; point out any function over 50 lines.',
  'Check input validation at every boundary that accepts user data.',
  'Look for retries without backoff and loops without a bound.',
  'Note missing tests for new branches, but do not ask for tests of trivial getters.',
  'Comment on naming only when a name is misleading, not when it is merely long.',
]

/** About 4,700 characters of review guidelines, shared by every file review. */
export const REVIEW_GUIDE = rules(
  'You review TypeScript pull requests. Apply these guidelines and cite line numbers.',
  REVIEW_RULES,
  8,
)

export const REVIEW_PLANNER =
  'You plan code reviews. List the changed files of the pull request with the tool, then order them.'

export const REVIEW_SUMMARIZER =
  'Summarize the file reviews into at most three bullet points and a verdict: approve or request changes.'

export const RESEARCH_PLANNER =
  'You plan desk research. Break the topic into three to four web searches and say what each should find.'

export const SEARCHER =
  'You research topics on the web. Use web_search for the query you are given.'

const SUMMARY_RULES = [
  'Keep only claims the page supports with a number or a named source.',
  'Give the publication and, when the page states it, the date of the data.',
  'Separate facts from the author’s opinion.',
  'Write at most five sentences.',
  'Name the unit of every figure and the population or market it measures.',
  'Prefer the primary source the page cites over the page’s own paraphrase of it.',
  'Say when a figure is a forecast, an estimate or a survey answer rather than a measurement.',
  'Keep ranges as ranges; never round a range into a single number.',
  'Note the sample size of any survey and who commissioned it, when the page says.',
  'Drop marketing language, superlatives and claims without a source.',
  'Flag figures that contradict another source the report already cites.',
  'Quote no more than one short phrase; paraphrase everything else.',
  'Leave out personal data about private individuals, even when the page shows it.',
  'End with one line on how far the page can be trusted, and why.',
]

const SOURCE_KINDS = [
  'a news report',
  'a government statistics release',
  'a peer-reviewed paper',
  'a preprint',
  'an industry survey',
  'a company filing or annual report',
  'a press release',
  'a trade publication',
  'a non-profit or think-tank report',
  'a market research summary',
  'a blog post or newsletter',
  'an encyclopedia or reference page',
  'a conference talk or transcript',
  'a forum thread or social media post',
  'a court ruling or regulatory decision',
  'a standards document',
  'a patent',
  'a product page or datasheet',
  'a dataset page or data portal',
  'an interview',
]

/**
 * About 21,000 characters (some 5,200 tokens, above every provider's cache minimum, Claude
 * Haiku 4.5's 4,096 included): one source-evaluation policy, sent before every page summary
 * and never marked for caching. OpenAI caches it by itself; Claude reads it afresh on every
 * page of every brief, the missed prompt cache a `cache_control` breakpoint would fix.
 */
export const SUMMARIZER = [
  'You summarize web pages for a research report. Apply the rules for the kind of page given.',
  '',
  ...SOURCE_KINDS.flatMap((kind) => [
    `When the page is ${kind}:`,
    ...SUMMARY_RULES.map((rule, index) => `${index + 1}. ${rule}`),
    '',
  ]),
].join('\n')

export const REPORT_WRITER =
  'You write short research reports from source summaries: an overview, key findings, open questions.'

import { outcome, step, tool } from '@agentmeter/sdk'

import { inputSource } from '../fakes/recurring'
import { fetchPage, newTopic, search, TOPICS } from '../fakes/web'
import type { SearchResult } from '../fakes/web'
import { ask, askWithTool } from '../llm/dispatch'
import type { DemoTool } from '../llm/types'
import { REPORT_WRITER, RESEARCH_PLANNER, SEARCHER, SUMMARIZER } from './prompts'
import type { Agent, AgentContext } from './types'

const TOOLS: readonly DemoTool[] = [
  {
    name: 'web_search',
    description: 'Search the web; returns titles and URLs',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    run: (args) => search(args.query),
  },
  {
    name: 'fetch_page',
    description: 'Fetch the text of a web page',
    parameters: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
    run: (args) => fetchPage(args.url),
  },
]

/**
 * Desk research: plan the searches, run them, fetch and summarize the top page of each, write
 * the report. Every task is a brief of its own (a region and a year), and some are asked for
 * again. Waste it shows: a query searched twice, pages that two queries share fetched and
 * summarized twice (identical prompts), a 5,200-token summarizer policy Claude is never asked
 * to cache (read afresh on every page; OpenAI caches it by itself), and a brief asked for again
 * researched from scratch. Paywalled pages time out in the fetch tool; a report
 * with more failed sources than good ones fails.
 */
export const researchReport: Agent = {
  name: 'research-report',
  prepare(context) {
    const { rng } = context
    const kind = rng.pick(TOPICS)
    const choices = {
      planModel: rng.pick(['gpt-5-mini', 'gpt-4.1']),
      streamPlan: rng.chance(0.5),
      summaryModel: rng.pick(['gpt-4o-mini', 'gpt-4o-mini', 'claude-haiku-4-5']),
      reportModel: rng.pick(['claude-opus-4-1', 'gpt-4o', 'claude-sonnet-4-5', 'gpt-4.1']),
      searchAgain: rng.chance(0.4),
      score: 0.5 + rng.int(0, 50) / 100,
    }
    // Drawn last, so the choices above do not depend on the brief's words.
    const topic = newTopic(kind, inputSource(rng, 'research', 0.1, 4))
    const plan = { topic: topic.topic, queries: topic.queries, ...choices }
    return {
      attributes: { 'research.topic': topic.topic, 'research.queries': topic.queries.length },
      run: () => research(context, plan),
    }
  },
}

interface ResearchPlan {
  topic: string
  queries: readonly string[]
  planModel: string
  streamPlan: boolean
  summaryModel: string
  reportModel: string
  searchAgain: boolean
  score: number
}

async function research(context: AgentContext, plan: ResearchPlan): Promise<boolean> {
  await step('plan', () =>
    ask(context, {
      api: 'responses',
      model: plan.planModel,
      system: RESEARCH_PLANNER,
      user: `Plan research on ${plan.topic}.`,
      stream: plan.streamPlan,
    }),
  )

  const urls = await step('search', async () => {
    const [first, ...rest] = plan.queries
    const found = await askWithTool(context, {
      api: 'responses',
      model: plan.planModel,
      system: SEARCHER,
      user: first ?? plan.topic,
      tools: TOOLS,
      use: 'web_search',
    })
    const results = [found.result as SearchResult[]]
    for (const query of rest) {
      results.push(await tool('web_search', { query }, () => search(query)))
    }
    // Forgetting the first search ran already: the same arguments, the same answer.
    if (plan.searchAgain && first !== undefined) {
      await tool('web_search', { query: first }, () => search(first))
    }
    return results.map((list) => list[0]?.url).filter((url) => url !== undefined)
  })

  const { summaries, failed } = await step('summarize-sources', async () => {
    const done: string[] = []
    let failures = 0
    for (const url of urls) {
      let page: string
      try {
        page = await tool('fetch_page', { url }, () => fetchPage(url))
      } catch {
        failures++
        continue
      }
      done.push(
        await ask(context, {
          model: plan.summaryModel,
          system: SUMMARIZER,
          user: `Summarize this page (${url}):\n\n${page}`,
          stream: true,
        }),
      )
    }
    return { summaries: done, failed: failures }
  })

  if (summaries.length === 0) {
    outcome(false, 0)
    return false
  }

  await step('write-report', () =>
    ask(context, {
      model: plan.reportModel,
      system: REPORT_WRITER,
      user: `Write the report on ${plan.topic} from these summaries:\n\n${summaries.join('\n\n')}`,
      maxTokens: 2048,
    }),
  )

  const ok = failed <= summaries.length
  outcome(ok, ok ? plan.score : 0.3)
  return ok
}

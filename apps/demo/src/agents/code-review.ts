import { outcome, step, tool } from '@agentmeter/sdk'

import { inputSource } from '../fakes/recurring'
import { changedFiles, newPullRequest, PULL_REQUESTS, readSource } from '../fakes/repo'
import { ask, askWithTool } from '../llm/dispatch'
import type { DemoTool } from '../llm/types'
import { REVIEW_GUIDE, REVIEW_PLANNER, REVIEW_SUMMARIZER } from './prompts'
import type { Agent, AgentContext } from './types'

const TOOLS: readonly DemoTool[] = [
  {
    name: 'list_changed_files',
    description: 'List the files a pull request changes',
    parameters: { type: 'object', properties: { pr_id: { type: 'string' } }, required: ['pr_id'] },
    run: (args) => changedFiles(args.pr_id),
  },
  {
    name: 'read_file',
    description: 'Read a file of the repository at the pull request head',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' }, pr_id: { type: 'string' } },
      required: ['path', 'pr_id'],
    },
    run: (args) => readSource(args.path, args.pr_id),
  },
]

/**
 * Pull request review: list the changed files, read them, review each, summarize. Every task
 * is a new pull request (its own files at its own head), and some are reviewed again after a
 * push. Waste it shows: a file read twice, sometimes Opus for a three-bullet summary, and the
 * unchanged files of a pull request reviewed again. Files of 20 to 400 lines make input sizes
 * vary; the review guidelines are a cached Claude prefix. A binary file makes the read tool
 * throw; some reviews end with changes requested (outcome failure).
 */
export const codeReview: Agent = {
  name: 'code-review',
  prepare(context) {
    const { rng } = context
    const kind = rng.pick(PULL_REQUESTS)
    const choices = {
      reviewModel: rng.pick(['claude-sonnet-4-5', 'claude-sonnet-4-5', 'gpt-4.1']),
      streamReviews: rng.chance(0.5),
      summaryModel: rng.pick(['gpt-4o-mini', 'claude-opus-4-1', 'claude-haiku-4-5']),
      rereadFirst: rng.chance(0.15),
      approved: rng.chance(0.85),
      score: 0.7 + rng.int(0, 30) / 100,
    }
    // Drawn last, so the choices above (and the outcomes) do not depend on which pull request.
    const pr = newPullRequest(kind, inputSource(rng, 'pull-request', 0.15, 4))
    const plan = { prId: pr.id, title: pr.title, ...choices }
    return {
      attributes: { 'review.pr': pr.id, 'review.files': pr.files.length },
      run: () => review(context, plan),
    }
  },
}

interface ReviewPlan {
  prId: string
  title: string
  reviewModel: string
  streamReviews: boolean
  summaryModel: string
  rereadFirst: boolean
  approved: boolean
  score: number
}

async function review(context: AgentContext, plan: ReviewPlan): Promise<boolean> {
  const files = await step('plan', async () => {
    const listed = await askWithTool(context, {
      api: 'responses',
      model: 'gpt-5-mini',
      system: REVIEW_PLANNER,
      user: `Plan the review of pull request ${plan.prId}: ${plan.title}.`,
      tools: TOOLS,
      use: 'list_changed_files',
    })
    return listed.result as string[]
  })

  const sources = await step('read-files', async () => {
    const [first, ...rest] = files
    if (first === undefined) return []
    // The model reads the first file itself; the agent reads the rest directly.
    const read = await askWithTool(context, {
      model: plan.reviewModel,
      system: REVIEW_PLANNER,
      user: `Read ${first} of ${plan.prId} before the review.`,
      tools: TOOLS,
      use: 'read_file',
    })
    const contents = [{ path: first, text: String(read.result) }]
    for (const path of rest) {
      const args = { path, pr_id: plan.prId }
      contents.push({
        path,
        text: await tool('read_file', args, () => readSource(path, plan.prId)),
      })
    }
    if (plan.rereadFirst) {
      await tool('read_file', { path: first, pr_id: plan.prId }, () => readSource(first, plan.prId))
    }
    return contents
  })

  const reviews = await step('review-file', async () => {
    const notes: string[] = []
    for (const source of sources) {
      const note = await ask(context, {
        model: plan.reviewModel,
        system: REVIEW_GUIDE,
        cacheSystem: true,
        stream: plan.streamReviews,
        user: `Review ${source.path} from ${plan.prId}:\n\n${source.text}`,
      })
      notes.push(`${source.path}: ${note}`)
    }
    return notes
  })

  await step('summarize', () =>
    ask(context, {
      model: plan.summaryModel,
      system: REVIEW_SUMMARIZER,
      user: reviews.join('\n\n'),
      maxTokens: 256,
    }),
  )

  outcome(plan.approved, plan.approved ? plan.score : 0.4)
  return plan.approved
}

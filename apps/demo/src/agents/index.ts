import { codeReview } from './code-review'
import { researchReport } from './research-report'
import { ticketTriage } from './ticket-triage'
import type { Agent } from './types'

export type { Agent, AgentContext, PreparedTask } from './types'

/** Every demo agent kind, with how often the demo draws it (relative weights). */
export const AGENTS: readonly { agent: Agent; weight: number }[] = [
  { agent: ticketTriage, weight: 3 },
  { agent: researchReport, weight: 2 },
  { agent: codeReview, weight: 2 },
]

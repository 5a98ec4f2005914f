import type { CallOutcome } from '../llm/outcome'

/** An outcome's members as a plain object (a stream reader's are getters), leaving out unset ones. */
export function plainOutcome(outcome: CallOutcome): CallOutcome {
  const members: Record<string, unknown> = {
    responseModel: outcome.responseModel,
    responseId: outcome.responseId,
    finishReasons: outcome.finishReasons,
    usage: outcome.usage,
    usageFinal: outcome.usageFinal,
    toolCalls: outcome.toolCalls,
    requests: outcome.requests,
    text: outcome.text,
    serviceTier: outcome.serviceTier,
    reportedCostUsd: outcome.reportedCostUsd,
    responseContent: outcome.responseContent,
  }
  for (const key of Object.keys(members)) if (members[key] === undefined) delete members[key]
  return members as unknown as CallOutcome
}

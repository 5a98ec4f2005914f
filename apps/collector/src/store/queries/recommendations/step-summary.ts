import { picoToUsd, usdToPico, type StepCluster } from '@agentmeter/core'

/** A step cluster as the response shows it: what the step used, and its calls per model. */
export interface StepSummary {
  taskName: string
  step: string
  needs: StepCluster['needs']
  models: Array<{
    model: string
    provider: string
    calls: number
    unpricedCalls: number
    spendUsd: number
    meanInputTokens: number
    meanOutputTokens: number
    outputInputRatio: number | null
    finishReasons: Record<string, number>
    errorRate: number
    retryRate: number
    tasksWithOutcome: number
    successRate: number | null
  }>
}

export function summarize(cluster: StepCluster): StepSummary {
  return {
    taskName: cluster.taskName,
    step: cluster.step,
    needs: cluster.needs,
    models: cluster.arms.map((arm) => {
      const tasks = arm.outcomes.successes + arm.outcomes.failures
      const spend = arm.bands.reduce((sum, band) => sum + usdToPico(band.costUsd), 0n)
      return {
        model: arm.model,
        provider: arm.provider,
        calls: arm.calls,
        unpricedCalls: arm.unpricedCalls,
        spendUsd: Number(picoToUsd(spend)),
        meanInputTokens: arm.meanInputTokens,
        meanOutputTokens: arm.meanOutputTokens,
        outputInputRatio:
          arm.meanInputTokens > 0 ? arm.meanOutputTokens / arm.meanInputTokens : null,
        finishReasons: arm.finishReasons,
        errorRate: arm.errorRate,
        retryRate: arm.retryRate,
        tasksWithOutcome: tasks,
        successRate: tasks > 0 ? arm.outcomes.successes / tasks : null,
      }
    }),
  }
}

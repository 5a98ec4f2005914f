/** What one group of tasks (a period, or a release) spent on one model. */
export interface ModelUsage {
  model: string
  /** Priced calls; unpriced calls have no cost to explain and are left out. */
  calls: number
  inputTokens: number
  cacheReadTokens: number
  inputCostUsd: number
  /** Whole cost of the calls: input, output and request fees. */
  costUsd: number
}

export interface GroupUsage {
  tasks: number
  /** Fees of paid tools in these tasks. */
  toolCostUsd: number
  models: ModelUsage[]
}

/** The parts of a change in cost per task; they add up to `changeUsd`. */
export interface ChangeParts {
  /** More or fewer LLM calls per task, at the baseline's mix and cost per call. */
  callsPerTask: number
  /** A different share of calls per model (a model change is a mix moving 100% over). */
  modelMix: number
  /** Longer or shorter prompts: input tokens per call, at the baseline's cost per input token. */
  promptLength: number
  /** Input cost per prompt token: for one model at one price, it rises as cache hits are lost. */
  cacheHits: number
  /** Output tokens and request fees per call (the rest of a call's cost). */
  outputAndOther: number
  /** Paid tool fees per task. */
  toolFees: number
}

export interface CostChange {
  baselineCostPerTaskUsd: number
  costPerTaskUsd: number
  changeUsd: number
  parts: ChangeParts
}

/** Stated in every regressions answer, so the numbers can be checked by hand. */
export const DECOMPOSITION_METHOD =
  'Chained substitution on cost per task = calls per task × Σ over models (share of calls × (input tokens per call × input cost per token + other cost per call)) + tool fees per task: the factors move from the baseline to the current value one at a time in the order calls per task, model mix, prompt length, cache hits (input cost per token), output and other, tool fees, so the parts add up to the whole change. A model seen in only one group takes that group’s per-call figures in the other.'

interface PerCall {
  inputTokens: number
  inputRate: number
  other: number
}

interface Factors {
  callsPerTask: number
  shares: Map<string, number>
  perCall: Map<string, PerCall>
}

/**
 * Explains the change in cost per task from `baseline` to `current` (see
 * `DECOMPOSITION_METHOD`). Each part is the difference between two consecutive states of the
 * chain, so they telescope to the total; only floating-point rounding separates their sum from
 * `changeUsd`.
 */
export function decomposeCostChange(baseline: GroupUsage, current: GroupUsage): CostChange {
  const a = factors(baseline)
  const b = factors(current)
  const models = new Set([...a.perCall.keys(), ...b.perCall.keys()])
  // A model one side never called takes the other side's per-call figures; a side without any
  // priced call takes the other side's mix.
  for (const model of models) {
    if (!a.perCall.has(model)) a.perCall.set(model, b.perCall.get(model)!)
    if (!b.perCall.has(model)) b.perCall.set(model, a.perCall.get(model)!)
  }
  if (a.shares.size === 0) a.shares = b.shares
  if (b.shares.size === 0) b.shares = a.shares

  const cost = (
    n: number,
    shares: Map<string, number>,
    prompt: Factors,
    rate: Factors,
    other: Factors,
  ) => {
    let perCall = 0
    for (const [model, share] of shares) {
      perCall +=
        share *
        (prompt.perCall.get(model)!.inputTokens * rate.perCall.get(model)!.inputRate +
          other.perCall.get(model)!.other)
    }
    return n * perCall
  }
  const c0 = cost(a.callsPerTask, a.shares, a, a, a)
  const c1 = cost(b.callsPerTask, a.shares, a, a, a)
  const c2 = cost(b.callsPerTask, b.shares, a, a, a)
  const c3 = cost(b.callsPerTask, b.shares, b, a, a)
  const c4 = cost(b.callsPerTask, b.shares, b, b, a)
  const c5 = cost(b.callsPerTask, b.shares, b, b, b)
  const toolA = baseline.tasks > 0 ? baseline.toolCostUsd / baseline.tasks : 0
  const toolB = current.tasks > 0 ? current.toolCostUsd / current.tasks : 0
  return {
    baselineCostPerTaskUsd: c0 + toolA,
    costPerTaskUsd: c5 + toolB,
    changeUsd: c5 + toolB - (c0 + toolA),
    parts: {
      callsPerTask: c1 - c0,
      modelMix: c2 - c1,
      promptLength: c3 - c2,
      cacheHits: c4 - c3,
      outputAndOther: c5 - c4,
      toolFees: toolB - toolA,
    },
  }
}

function factors(group: GroupUsage): Factors {
  const models = group.models.filter((usage) => usage.calls > 0)
  const calls = models.reduce((sum, usage) => sum + usage.calls, 0)
  const shares = new Map<string, number>()
  const perCall = new Map<string, PerCall>()
  for (const usage of models) {
    const inputRate = usage.inputTokens > 0 ? usage.inputCostUsd / usage.inputTokens : 0
    shares.set(usage.model, usage.calls / calls)
    perCall.set(usage.model, {
      inputTokens: usage.inputTokens / usage.calls,
      inputRate,
      other: (usage.costUsd - usage.inputTokens * inputRate) / usage.calls,
    })
  }
  return { callsPerTask: group.tasks > 0 ? calls / group.tasks : 0, shares, perCall }
}

/**
 * Steps with known truth. `observed` steps run on a mixed fleet (half the tasks on each
 * model); `replay` steps run on the current model only, and a share of their calls is shadowed
 * on the cheap model with a propensity that depends on the input size (large inputs are
 * shadowed 4× as often), while the cheap model is as good less often on large inputs, so an
 * unweighted estimate would be biased.
 */
export interface Scenario {
  taskName: string
  step: string
  evidence: 'observed' | 'replay'
  provider: string
  current: string
  cheap: string
  /** Tasks per arm (observed) or tasks of the step (replay) in the window. */
  tasks: number
  /** True success rates of tasks on the current and on the cheap model. */
  currentRate: number
  cheapRate: number
  /** True output-length ratio cheap/current. */
  outputRatio: number
  /** Whether switching saves money at all (a row is expected only then). */
  savesMoney?: false
  /** Savings under a tenth of the cost: scored on the projected cost instead (see the test). */
  thin?: true
  /** Replay only: chance that the cheap result is as good, on small and on large inputs. */
  asGood?: { small: number; large: number }
}

/** Inputs above this are "large" for the replay scenarios. */
export const LARGE_INPUT = 8000

const observed = (
  name: string,
  provider: string,
  current: string,
  cheap: string,
  tasks: number,
  currentRate: number,
  cheapRate: number,
  outputRatio: number,
): Scenario => ({
  taskName: `sim-${name}`,
  step: name,
  evidence: 'observed',
  provider,
  current,
  cheap,
  tasks,
  currentRate,
  cheapRate,
  outputRatio,
})

export const SCENARIOS: readonly Scenario[] = [
  observed('equal-high', 'openai', 'gpt-4o', 'gpt-4o-mini', 800, 0.99, 0.99, 1),
  observed(
    'equal-longer',
    'anthropic',
    'claude-opus-4-1',
    'claude-haiku-4-5',
    800,
    0.98,
    0.98,
    1.3,
  ),
  observed('slight-drop', 'openai', 'gpt-4.1', 'gpt-4.1-mini', 800, 0.97, 0.965, 0.9),
  observed('beyond-tolerance', 'openai', 'gpt-4.1', 'gpt-4.1-nano', 800, 0.95, 0.92, 1.1),
  observed('clear-drop', 'anthropic', 'claude-opus-4-1', 'claude-haiku-4-5', 600, 0.95, 0.8, 1),
  observed('too-few', 'openai', 'gpt-4o', 'gpt-4o-mini', 15, 1, 1, 1),
  // A thin margin: gpt-5's cache reads cost a tenth of its input price, so gpt-5-mini read cold
  // saves only on output; the savings are a small difference of two large costs.
  { ...observed('thin-margin', 'openai', 'gpt-5', 'gpt-5-mini', 800, 0.95, 0.95, 1.1), thin: true },
  // Most of this mix's input is read from the cache; Haiku, starting cold, would cost more
  // than Sonnet with its warm cache: no row may be shown at all.
  {
    ...observed(
      'cold-cache',
      'anthropic',
      'claude-sonnet-4-5',
      'claude-haiku-4-5',
      300,
      0.98,
      0.98,
      1,
    ),
    savesMoney: false,
  },
  {
    taskName: 'sim-replay-good',
    step: 'replay-good',
    evidence: 'replay',
    provider: 'openai',
    current: 'gpt-4.1',
    cheap: 'gpt-4.1-mini',
    tasks: 1500,
    currentRate: 0.98,
    cheapRate: 0,
    outputRatio: 1.2,
    asGood: { small: 1, large: 0.995 },
  },
  {
    taskName: 'sim-replay-bad',
    step: 'replay-bad',
    evidence: 'replay',
    provider: 'openai',
    current: 'gpt-4o',
    cheap: 'gpt-4o-mini',
    tasks: 1500,
    currentRate: 0.98,
    cheapRate: 0,
    outputRatio: 1,
    asGood: { small: 0.99, large: 0.8 },
  },
]

/** Propensity of shadowing a call of a replay step. */
export function propensityOf(input: number): number {
  return input > LARGE_INPUT ? 0.4 : 0.1
}

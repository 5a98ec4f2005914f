export { runDemo, startDemo } from './run-demo'
export type { BatchOptions, DemoSession, DemoSummary, RunDemoOptions } from './run-demo'
export { createRng, type Rng } from './prng'

export { runDemo, startDemo } from './run-demo'
export type {
  BatchOptions,
  DemoSession,
  DemoSummary,
  RoutingOptions,
  RunDemoOptions,
} from './run-demo'
export { readDemoState, writeDemoState, type DemoState } from './demo-state'
export { createRng, type Rng } from './prng'

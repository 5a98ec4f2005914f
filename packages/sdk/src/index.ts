export type { InitOptions } from './config'
export type { ContentMask } from './mask'
export { init, type AgentmeterHandle } from './init'
export type { ExportStats, LossReason } from './export/export-stats'
export { task, outcome, type TaskAttributes } from './task'
export { step } from './step'
export { stepScore } from './step-score'
export {
  configureShadow,
  shadowStats,
  type ShadowCompare,
  type ShadowOptions,
  type ShadowResult,
  type ShadowRule,
  type ShadowStats,
} from './shadow/options'
export { settleShadowCalls } from './shadow/run-shadow'
export { tool } from './tool'
export { instrumentOpenAI } from './openai/instrument'
export { instrumentAnthropic } from './anthropic/instrument'
export { createAgentmeterSpanProcessor } from './span-processor'
export {
  agentmeterInstrumentations,
  type AgentmeterInstrumentation,
  type AgentmeterInstrumentationOptions,
} from './instrumentations'

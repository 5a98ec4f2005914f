export * from './anthropic'
export type { MappedUsage } from './count'
export * from './gemini'
export * from './openai'

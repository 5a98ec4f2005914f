import { synthesizeMessage } from './anthropic-messages'
import type { SynthesizedResponse } from './encode'
import { synthesizeChatCompletion } from './openai-chat'
import { synthesizeResponse } from './openai-responses'
import { PromptCache } from './prompt-cache'

export type { SynthesizedResponse } from './encode'
export { estimateTokens } from './prompt'

type Synthesize = (body: Record<string, unknown>, cache: PromptCache) => SynthesizedResponse

/** The routes the synthesizer answers, by path without query. */
export const SYNTHESIZED_ROUTES: Readonly<Record<string, Synthesize>> = {
  '/v1/chat/completions': synthesizeChatCompletion,
  '/v1/responses': synthesizeResponse,
  '/v1/messages': synthesizeMessage,
}

/** A synthesizer with its own prompt caches: one per replay server. */
export type Synthesizer = (pathname: string, body: unknown) => SynthesizedResponse | undefined

/** Create a synthesizer; it returns undefined for a path it has no answer for. */
export function createSynthesizer(): Synthesizer {
  const cache = new PromptCache()
  return (pathname, body) => {
    const synthesize = SYNTHESIZED_ROUTES[pathname]
    if (synthesize === undefined) return undefined
    const request = body !== null && typeof body === 'object' ? body : {}
    return synthesize(request as Record<string, unknown>, cache)
  }
}

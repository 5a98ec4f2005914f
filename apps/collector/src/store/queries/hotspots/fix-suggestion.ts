import type { HotspotCause } from './detector'

/** One sentence on what to change, from the cause, its detail and where it happened. */
export function fixSuggestion(
  cause: HotspotCause,
  detail: string,
  tool: string,
  step: string,
): string {
  const where = step ? ` in step "${step}"` : ''
  switch (cause) {
    case 'duplicate_llm_call':
      return `Dedupe this call${where}: the same request was sent again with the same inputs, so memoize its answer by request instead of calling the model twice.`
    case 'repeated_tool_call':
      return `Cache the result of tool "${tool}"${where}: it was called again with the same arguments and returned the same result.`
    case 'missed_prompt_cache':
      switch (detail) {
        case 'system':
          return `Move what changes (timestamps, ids) out of the system prompt${where}: it changed between calls and broke the provider's prompt cache.`
        case 'tools':
          return `Keep the tool list${where} in a fixed order and content: a changed tool schema broke the provider's prompt cache.`
        case 'history':
          return `Append to the conversation${where} instead of rewriting earlier messages: the rewrite broke the provider's prompt cache.`
        case 'ttl':
          return `Calls${where} came after the cache expired: use the 1-hour cache class or send them closer together.`
        default:
          return `Add a cache breakpoint after the shared prefix${where} (Anthropic cache_control, or a stable prefix for automatic caches): it was resent uncached.`
      }
    case 'near_duplicate_prompt':
      return `Cache answers by a normalized prompt${where}: near-identical prompts got the same answer again.`
    case 'loop':
      return `Stop the loop${where}: the agent called "${tool}" with the same arguments again and again; add a repeat guard or a step limit.`
  }
}

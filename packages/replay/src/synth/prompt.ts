import { canonicalJson } from './determinism'

/** Time-to-live of an Anthropic cache breakpoint. */
export type CacheTtl = '5m' | '1h'

/**
 * One piece of a prompt in the order a provider caches it (tools, system, messages). `cache` is
 * set on Anthropic blocks that carry `cache_control`, i.e. the cache breakpoints.
 */
export interface PromptBlock {
  text: string
  cache?: CacheTtl
}

/** The synthesizer's tokenizer: about four characters a token, rounded up. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4)
}

/** Characters of a whole prompt. */
export function promptChars(blocks: readonly PromptBlock[]): number {
  return blocks.reduce((sum, block) => sum + block.text.length, 0)
}

/**
 * Text a model would read from one content value of any of the three APIs: plain strings, text
 * parts, tool calls (name and arguments) and tool results. Parts it does not know (images,
 * documents) count as their JSON, which keeps them in the token estimate and the cache key.
 */
export function contentText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(contentText).join('')
  if (typeof value !== 'object') return String(value)

  const part = value as Record<string, unknown>
  if (typeof part.text === 'string') return part.text
  switch (part.type) {
    case 'tool_use':
      return `${String(part.name)}${canonicalJson(part.input ?? {})}`
    case 'tool_result':
      return contentText(part.content)
    case 'function_call':
      return `${String(part.name)}${String(part.arguments ?? '')}`
    case 'function_call_output':
      return contentText(part.output)
    case 'function':
      return contentText(part.function)
  }
  if (typeof part.arguments === 'string') return `${String(part.name)}${part.arguments}`
  return canonicalJson(withoutCacheControl(part))
}

/** `cache_control` as a breakpoint TTL, or undefined when the block has none. */
export function cacheTtl(block: unknown): CacheTtl | undefined {
  if (block === null || typeof block !== 'object') return undefined
  const control = (block as { cache_control?: { ttl?: unknown } | null }).cache_control
  if (control === null || control === undefined) return undefined
  return control.ttl === '1h' ? '1h' : '5m'
}

/** A copy of an object without its `cache_control` marker (which is not prompt content). */
export function withoutCacheControl(value: Record<string, unknown>): Record<string, unknown> {
  const { cache_control: _cacheControl, ...rest } = value
  return rest
}

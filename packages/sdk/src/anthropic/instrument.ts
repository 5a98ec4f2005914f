import type { Method } from '../llm/traced-method'
import { isEnabled, log } from '../state'
import { restore, traceWith, wrapMethod, type Patch } from '../patch'
import { withoutClientSpans } from './client-spans'
import { safely } from '../safe'
import { asRecord } from '../llm/shape'
import { messagesAdapter } from './messages'

const patches: Patch[] = []

/**
 * Patches `Messages.prototype` of one loaded `@anthropic-ai/sdk` module: `create` (which
 * `messages.stream()` and `messages.parse` call) is traced, and `stream` runs with the client's
 * own spans off (see `withoutClientSpans`). Returns how many methods were patched (0 when already patched).
 */
export function patchAnthropicModule(moduleExports: unknown): number {
  const exports = moduleExports as Record<string, unknown> | undefined
  const Anthropic = (exports?.['Anthropic'] ?? exports?.['default']) as
    Record<string, unknown> | undefined
  const messages = Anthropic?.['Messages'] as { prototype?: unknown } | undefined

  let count = 0
  for (const patch of [
    wrapMethod(messages?.prototype, 'create', traceWith(messagesAdapter)),
    wrapMethod(messages?.prototype, 'stream', withoutOwnSpans),
  ]) {
    if (!patch) continue
    patches.push(patch)
    count++
  }
  return count
}

/** Puts back every prototype method `patchAnthropicModule` replaced. */
export function unpatchAnthropicModules(): void {
  for (const patch of patches.splice(0)) restore(patch)
}

/**
 * Traces one Anthropic client instance; a client whose prototype is patched already is left as
 * it is (one span per call). Returns the same client.
 */
export function instrumentAnthropic<C>(client: C): C {
  safely('instrumenting an Anthropic client', () => {
    const messages = asRecord(asRecord(client)?.['messages'])
    if (!messages) log.warn('instrumentAnthropic() was given no Anthropic client')
    wrapMethod(messages, 'create', traceWith(messagesAdapter))
    wrapMethod(messages, 'stream', withoutOwnSpans)
  })
  return client
}

/**
 * `messages.stream()` starts the client's own span before it calls `create`: it runs with the
 * client's spans off, and `create` (our wrapper) makes the one span of the call.
 */
function withoutOwnSpans(original: Method): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!isEnabled('anthropic')) return original.apply(this, args)
    return withoutClientSpans(this, original, args)
  }
}

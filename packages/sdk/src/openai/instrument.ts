import { log } from '../state'
import { restore, traceWith, wrapMethod, type Patch } from '../patch'
import { safely } from '../safe'
import { asRecord } from '../llm/shape'
import { chatCompletionsAdapter } from './chat'
import { responsesAdapter } from './responses'

const patches: Patch[] = []

/**
 * Patches the resource prototypes of one loaded `openai` module (its CommonJS or its ESM build),
 * so every client, made before or after, is traced: `chat.completions.create` (which `parse`,
 * `stream` and `runTools` call) and `responses.create` (which `responses.parse` and
 * `responses.stream` call). Returns how many methods were patched (0 when already patched).
 */
export function patchOpenAIModule(moduleExports: unknown): number {
  const exports = moduleExports as Record<string, unknown> | undefined
  const OpenAI = (exports?.['OpenAI'] ?? exports?.['default']) as
    Record<string, unknown> | undefined
  const chat = OpenAI?.['Chat'] as Record<string, unknown> | undefined
  const completions = chat?.['Completions'] as { prototype?: unknown } | undefined
  const responses = OpenAI?.['Responses'] as { prototype?: unknown } | undefined

  let count = 0
  for (const patch of [
    wrapMethod(completions?.prototype, 'create', traceWith(chatCompletionsAdapter)),
    wrapMethod(responses?.prototype, 'create', traceWith(responsesAdapter)),
  ]) {
    if (!patch) continue
    patches.push(patch)
    count++
  }
  return count
}

/** Puts back every prototype method `patchOpenAIModule` replaced. */
export function unpatchOpenAIModules(): void {
  for (const patch of patches.splice(0)) restore(patch)
}

/**
 * Traces one OpenAI client instance (for apps that do not call `init()`, or whose `openai` copy
 * was not found). A client whose prototype is patched already is left as it is, so each call
 * still gets exactly one span. Returns the same client.
 */
export function instrumentOpenAI<C>(client: C): C {
  safely('instrumenting an OpenAI client', () => {
    const instance = asRecord(client)
    const completions = asRecord(asRecord(instance?.['chat'])?.['completions'])
    const responses = asRecord(instance?.['responses'])
    if (!completions && !responses) log.warn('instrumentOpenAI() was given no OpenAI client')
    wrapMethod(completions, 'create', traceWith(chatCompletionsAdapter))
    wrapMethod(responses, 'create', traceWith(responsesAdapter))
  })
  return client
}

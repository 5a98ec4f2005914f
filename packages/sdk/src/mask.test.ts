import { trace } from '@opentelemetry/api'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { setContentMask } from './state'
import { setupTestTracing } from './test-support/setup-test-tracing'
import { tool } from './tool'

const tracing = setupTestTracing()
afterAll(() => tracing.shutdown())
beforeEach(() => {
  tracing.reset()
  setContentMask(undefined)
})

function toolSpan() {
  const [span] = tracing.spansOfKind('tool')
  if (!span) throw new Error('no tool span')
  return span
}

describe('the content mask hook', () => {
  it('should rewrite every captured content attribute, and nothing else, before export', async () => {
    tracing.setCaptureContent(true)
    const seen: string[] = []
    setContentMask((value, { attribute }) => {
      seen.push(attribute)
      return value.replaceAll('Ottoline Vexworth', '<customer>')
    })
    await tool('lookup', { customer: 'Ottoline Vexworth' }, () => 'found Ottoline Vexworth')
    // Another instrumentation's content attribute is masked too.
    const other = trace.getTracer('other').startSpan('llm', {
      attributes: { 'input.value': 'Ottoline Vexworth asks', 'app.customer': 'Ottoline Vexworth' },
    })
    other.end()

    expect(toolSpan().attributes['gen_ai.tool.call.arguments']).toBe('{"customer":"<customer>"}')
    expect(toolSpan().attributes['gen_ai.tool.call.result']).toBe('found <customer>')
    const llm = tracing.spans().find((span) => span.name === 'llm')!
    expect(llm.attributes['input.value']).toBe('<customer> asks')
    // Not a content attribute: the app chose to put it there, the mask is for captured content.
    expect(llm.attributes['app.customer']).toBe('Ottoline Vexworth')
    expect(seen.sort()).toEqual([
      'gen_ai.tool.call.arguments',
      'gen_ai.tool.call.result',
      'input.value',
    ])
  })

  it('should drop the attribute, never send it unmasked or throw, when the mask fails', async () => {
    tracing.setCaptureContent(true)
    setContentMask((value) => {
      if (value.includes('result')) throw new Error('mask bug')
      return 42 as unknown as string
    })
    const result = await tool('lookup', { id: 1 }, () => 'the result')
    expect(result).toBe('the result')
    const attributes = toolSpan().attributes
    expect(attributes['gen_ai.tool.call.arguments']).toBeUndefined()
    expect(attributes['gen_ai.tool.call.result']).toBeUndefined()
    expect(attributes['gen_ai.tool.name']).toBe('lookup')
  })
})

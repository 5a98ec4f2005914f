import { trace } from '@opentelemetry/api'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { step } from './step'
import { outcome, task } from './task'
import { setupTestTracing } from './test-support/setup-test-tracing'
import { tool } from './tool'

const tracing = setupTestTracing()
afterAll(() => tracing.shutdown())
beforeEach(() => tracing.reset())

function spanNamed(name: string) {
  const span = tracing.spans().find((candidate) => candidate.name === name)
  if (!span) throw new Error(`no span named ${name}`)
  return span
}

describe('task()', () => {
  it('should root a task with a random id and stamp it on every span inside', async () => {
    const result = await task(
      'ticket-triage',
      async () => {
        await step('classify', async () => {
          await tool('lookup', { id: 7 }, () => 'found')
          trace.getTracer('app').startSpan('app work').end()
        })
        return 42
      },
      { 'app.tenant': 'acme' },
    )

    expect(result).toBe(42)
    const root = spanNamed('task ticket-triage')
    const taskId = root.attributes['agentmeter.task.id']
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/)
    expect(root.parentSpanContext).toBeUndefined()
    expect(root.attributes).toEqual({
      'app.tenant': 'acme',
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': 'ticket-triage',
    })

    const stepSpan = spanNamed('step classify')
    expect(stepSpan.parentSpanContext?.spanId).toBe(root.spanContext().spanId)
    expect(stepSpan.attributes).toEqual({
      'agentmeter.span.kind': 'agent',
      'agentmeter.step.name': 'classify',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': 'ticket-triage',
    })

    const toolSpan = spanNamed('execute_tool lookup')
    expect(toolSpan.parentSpanContext?.spanId).toBe(stepSpan.spanContext().spanId)
    expect(toolSpan.attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup',
      'gen_ai.tool.type': 'function',
      'agentmeter.span.kind': 'tool',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': 'ticket-triage',
      'agentmeter.step.name': 'classify',
    })

    expect(spanNamed('app work').attributes).toEqual({
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': 'ticket-triage',
      'agentmeter.step.name': 'classify',
    })
    expect(new Set(tracing.spans().map((span) => span.spanContext().traceId)).size).toBe(1)
  })

  it('should give each task its own id and let an inner task keep its own labels', async () => {
    await task('outer', () =>
      step('plan', () => task('inner', () => tool('search', {}, () => undefined))),
    )

    const outerId = spanNamed('task outer').attributes['agentmeter.task.id']
    const inner = spanNamed('task inner')
    expect(inner.attributes['agentmeter.task.id']).not.toBe(outerId)
    expect(inner.attributes['agentmeter.task.name']).toBe('inner')
    expect(inner.attributes['agentmeter.step.name']).toBe('plan')
    const toolSpan = spanNamed('execute_tool search')
    expect(toolSpan.attributes['agentmeter.task.id']).toBe(inner.attributes['agentmeter.task.id'])
    expect(toolSpan.attributes['agentmeter.task.name']).toBe('inner')
    expect(toolSpan.attributes['agentmeter.step.name']).toBeUndefined()
  })

  it('should take the task id from attrs when the app has one', async () => {
    await task('import', () => undefined, { 'agentmeter.task.id': 'job-123' })
    expect(spanNamed('task import').attributes['agentmeter.task.id']).toBe('job-123')
  })

  it('should end a failing task with an error and outcome failure, and rethrow', async () => {
    const failure = new Error('no such ticket')
    await expect(task('triage', () => Promise.reject(failure))).rejects.toBe(failure)

    const root = spanNamed('task triage')
    expect(root.status).toEqual({ code: 2, message: 'Error: no such ticket' })
    expect(root.attributes['agentmeter.task.outcome']).toBe('failure')
    expect(root.events.map((event) => event.name)).toEqual(['exception'])
  })

  it('should keep the outcome set by outcome() when the task then throws', async () => {
    await expect(
      task('triage', () => {
        outcome(true, 0.5)
        throw new Error('late')
      }),
    ).rejects.toThrow('late')

    const root = spanNamed('task triage')
    expect(root.attributes['agentmeter.task.outcome']).toBe('success')
    expect(root.attributes['agentmeter.task.score']).toBe(0.5)
    expect(root.status.code).toBe(2)
  })
})

describe('outcome()', () => {
  it('should set outcome and score on the enclosing task root from deep inside', async () => {
    await task('grade', () => step('check', () => tool('judge', null, () => outcome(false, 0.25))))

    const root = spanNamed('task grade')
    expect(root.attributes['agentmeter.task.outcome']).toBe('failure')
    expect(root.attributes['agentmeter.task.score']).toBe(0.25)
    expect(spanNamed('step check').attributes['agentmeter.task.outcome']).toBeUndefined()
  })

  it('should leave the outcome unset when not called and the task succeeds', async () => {
    await task('quiet', () => undefined)
    expect(spanNamed('task quiet').attributes['agentmeter.task.outcome']).toBeUndefined()
  })

  it('should ignore a score that is not a number and do nothing outside a task', async () => {
    expect(() => outcome(true)).not.toThrow()
    await task('odd', () => outcome(true, Number.NaN))
    const root = spanNamed('task odd')
    expect(root.attributes['agentmeter.task.outcome']).toBe('success')
    expect(root.attributes['agentmeter.task.score']).toBeUndefined()
  })
})

describe('step() and tool() errors', () => {
  it('should record a tool error on the tool span and rethrow it', async () => {
    const failure = new TypeError('bad args')
    await expect(
      task('t', () =>
        tool('parse', { raw: 'x' }, () => {
          throw failure
        }),
      ),
    ).rejects.toBe(failure)

    const toolSpan = spanNamed('execute_tool parse')
    expect(toolSpan.status).toEqual({ code: 2, message: 'TypeError: bad args' })
    expect(toolSpan.attributes['gen_ai.tool.call.arguments']).toBeUndefined()
    expect(spanNamed('task t').attributes['agentmeter.task.outcome']).toBe('failure')
  })

  it('should record a step error and rethrow it', async () => {
    await expect(step('fetch', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    expect(spanNamed('step fetch').status).toEqual({ code: 2, message: 'Error: down' })
  })

  it('should put tool arguments and result on the span only with content capture on', async () => {
    tracing.setCaptureContent(true)
    await tool('lookup', { city: 'Oslo' }, () => ({ temp: 3 }))

    const toolSpan = spanNamed('execute_tool lookup')
    expect(toolSpan.attributes['gen_ai.tool.call.arguments']).toBe('{"city":"Oslo"}')
    expect(toolSpan.attributes['gen_ai.tool.call.result']).toBe('{"temp":3}')
  })
})

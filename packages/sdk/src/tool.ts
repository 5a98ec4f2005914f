import { context, SpanKind, trace } from '@opentelemetry/api'
import { Agentmeter, fingerprintToolArgs, fingerprintToolResult, GenAi } from '@agentmeter/core'
import { SdkAttr } from './attributes'
import { toJson } from './llm/content'
import { safely } from './safe'
import { captureContent, getTracer, hashKey } from './state'
import { recordError } from './task'

/**
 * Runs `fn` as the execution of tool `name` and returns its result: a span
 * `execute_tool {name}` with `gen_ai.operation.name=execute_tool`, `gen_ai.tool.name` and
 * `agentmeter.span.kind=tool`. `args` goes on the span (as `gen_ai.tool.call.arguments`, with the
 * result as `gen_ai.tool.call.result`) only when content capture is on; keyed hashes of both
 * (`agentmeter.tool.args_hash`, `.result_hash`) and the result's estimated size in tokens
 * (`agentmeter.tool.result_tokens`) always go on it, so repeated calls can be found without the
 * content. Errors are recorded on the span and rethrown. Without `init()` this is a plain call
 * of `fn`.
 */
export async function tool<T>(name: string, args: unknown, fn: () => T | Promise<T>): Promise<T> {
  const started = safely('starting a tool span', () => {
    const parent = context.active()
    const span = getTracer().startSpan(
      `execute_tool ${name}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [GenAi.operationName]: 'execute_tool',
          [GenAi.toolName]: name,
          [GenAi.toolType]: 'function',
          [Agentmeter.spanKind]: 'tool',
        },
      },
      parent,
    )
    if (captureContent()) span.setAttribute(SdkAttr.toolCallArguments, toJson(args))
    const key = hashKey()
    if (key) span.setAttribute(Agentmeter.toolArgsHash, fingerprintToolArgs(key, name, args))
    return { span, context: trace.setSpan(parent, span) }
  })
  if (!started) return fn()

  try {
    const result = await context.with(started.context, fn)
    safely('ending a tool span', () => {
      if (captureContent()) started.span.setAttribute(SdkAttr.toolCallResult, toJson(result))
      const key = hashKey()
      if (key) {
        const fp = fingerprintToolResult(key, result)
        started.span.setAttribute(Agentmeter.toolResultHash, fp.resultHash)
        started.span.setAttribute(Agentmeter.toolResultTokens, fp.resultTokens)
      }
      started.span.end()
    })
    return result
  } catch (error) {
    safely('ending a failed tool span', () => {
      recordError(started.span, error)
      started.span.end()
    })
    throw error
  }
}

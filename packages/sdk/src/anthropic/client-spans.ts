import { asRecord } from '../llm/shape'

/**
 * Runs `original` (a `Messages` method) on `resource` with the Anthropic client's own OpenTelemetry spans off.
 *
 * Since 1.x the client makes a span per API call, with usage, whenever a tracer provider is
 * registered; next to ours every call would be counted twice. The client decides whether to
 * make one synchronously, inside the method, from its `_tracer` field, so the field is cleared
 * for exactly that synchronous call and put back before anything else runs. Unlike suppressing
 * tracing in the OTel context, this leaves the app's own spans alone (in `MessageStream` event
 * handlers, in HTTP instrumentation). A client without the field makes no spans of its own.
 */
export function withoutClientSpans(
  resource: unknown,
  original: (...args: unknown[]) => unknown,
  args: unknown[],
): unknown {
  const client = asRecord(asRecord(resource)?.['_client'])
  if (!client || client['_tracer'] === undefined) return original.apply(resource, args)
  const tracer = client['_tracer']
  client['_tracer'] = undefined
  try {
    return original.apply(resource, args)
  } finally {
    client['_tracer'] = tracer
  }
}

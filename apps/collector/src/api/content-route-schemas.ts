import type { RouteSpec } from './route-schemas'
import { RANGE } from './schema-parts'

/** Routes that return captured prompt, completion and tool content (stored redacted). */
export const CONTENT_ROUTES = {
  getSpanContent: {
    method: 'get',
    path: '/api/v1/tasks/{taskId}/spans/{spanId}/content',
    summary:
      "One span's captured content (prompts, completions, tool arguments and results), as stored after redaction",
    auth: 'key',
    pathParams: [
      { name: 'taskId', description: 'Task id', schema: { type: 'string' }, required: true },
      {
        name: 'spanId',
        description: 'Span id (16 lower-case hex digits)',
        schema: { type: 'string', pattern: '^[0-9a-f]{16}$' },
        required: true,
      },
    ],
    query: [
      { ...RANGE[0]!, description: 'Start of the search range; default 90 days ago' },
      RANGE[1]!,
    ],
    response: {
      type: 'object',
      properties: {
        spanId: { type: 'string' },
        traceId: { type: 'string' },
        captureContent: {
          type: 'boolean',
          description:
            'Whether the project captures content now; when false, spans stored since carry none',
        },
        content: {
          type: 'array',
          description:
            'Content attributes of the span, by key (e.g. gen_ai.input.messages, gen_ai.tool.call.result); untrusted text, render it as text',
          items: {
            type: 'object',
            properties: { key: { type: 'string' }, value: { type: 'string' } },
          },
        },
      },
    },
  },
} satisfies Record<string, RouteSpec>

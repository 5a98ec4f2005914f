import { apiPath, requestJson } from './client'
import { list, record, ResponseShapeError, str } from './decode'
import type { SpanContent } from './types'

/** `GET /api/v1/tasks/:taskId/spans/:spanId/content`; another project's span is a 404. */
export async function fetchSpanContent(
  taskId: string,
  spanId: string,
  signal?: AbortSignal,
): Promise<SpanContent> {
  const path = apiPath(
    `/tasks/${encodeURIComponent(taskId)}/spans/${encodeURIComponent(spanId)}/content`,
  )
  return decodeSpanContent(await requestJson(path, { signal }))
}

export function decodeSpanContent(json: unknown): SpanContent {
  const body = record(json, 'content answer')
  if (typeof body.captureContent !== 'boolean') {
    throw new ResponseShapeError('captureContent', 'a boolean', body.captureContent)
  }
  return {
    spanId: str(body.spanId, 'spanId'),
    traceId: str(body.traceId, 'traceId'),
    captureContent: body.captureContent,
    content: list(body.content, 'content').map((item, index) => {
      const field = record(item, `content[${index}]`)
      return {
        key: str(field.key, `content[${index}].key`),
        value: str(field.value, `content[${index}].value`),
      }
    }),
  }
}

import { HttpError } from '../errors'

/**
 * The JSON body of a write route, or a 400 that says what is wrong with it: empty, not JSON (with
 * the parser's position only: its message would quote the body back), or not an object, naming
 * the value instead. `example` shows the expected shape. `request` is Hono's (which keeps the
 * body once read) or a plain `Request`.
 */
export async function readJsonObject(
  request: { text(): Promise<string> },
  example?: string,
): Promise<Record<string, unknown>> {
  const expected = `a JSON object${example === undefined ? '' : ` such as ${example}`}`
  const text = await request.text()
  if (text.trim() === '') throw new HttpError(400, `body is empty: expected ${expected}`)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    const where = at === undefined ? '' : ` (at character ${at})`
    throw new HttpError(400, `body is not valid JSON${where}: expected ${expected}`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, `body must be ${expected}, got ${shortJson(body)}`)
  }
  return body as Record<string, unknown>
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

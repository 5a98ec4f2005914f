import { describe, expect, it } from 'vitest'
import { HttpError } from '../errors'
import { readJsonObject } from './json-body'

const body = (text: string) => new Request('http://127.0.0.1/', { method: 'POST', body: text })

async function refusal(text: string, example?: string) {
  const error = await readJsonObject(body(text), example).then(
    () => null,
    (err: unknown) => err,
  )
  expect(error).toBeInstanceOf(HttpError)
  return { status: (error as HttpError).status, message: (error as HttpError).message }
}

describe('readJsonObject', () => {
  it('should return the object of a JSON object body', async () => {
    expect(await readJsonObject(body(' {"name":"x","n":[1,2]} '))).toEqual({ name: 'x', n: [1, 2] })
  })

  it('should say the body is empty, not that it is not an object', async () => {
    expect(await refusal('')).toEqual({
      status: 400,
      message: 'body is empty: expected a JSON object',
    })
    expect(await refusal(' \n', '{ "key": "..." }')).toEqual({
      status: 400,
      message: 'body is empty: expected a JSON object such as { "key": "..." }',
    })
  })

  it('should say where JSON that does not parse stops, without quoting the body back', async () => {
    expect(await refusal('{"name":"secret-value",', '{ "name": "..." }')).toEqual({
      status: 400,
      message:
        'body is not valid JSON (at character 23): expected a JSON object such as { "name": "..." }',
    })
  })

  it('should name the value that is JSON but not an object', async () => {
    expect((await refusal('[]')).message).toBe('body must be a JSON object, got []')
    expect((await refusal('null')).message).toBe('body must be a JSON object, got null')
    expect((await refusal('42')).message).toBe('body must be a JSON object, got 42')
    expect((await refusal(JSON.stringify('x'.repeat(100)))).message).toBe(
      `body must be a JSON object, got "${'x'.repeat(56)}...`,
    )
  })
})

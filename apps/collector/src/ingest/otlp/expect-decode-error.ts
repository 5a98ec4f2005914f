/** Test assertion shared by this folder's tests: `run` fails with exactly this OtlpDecodeError. */

import { expect } from 'vitest'
import { OtlpDecodeError } from './otlp-decode-error'

export function expectDecodeError(run: () => unknown, status: number, message: string | RegExp) {
  let thrown: unknown
  try {
    run()
  } catch (err) {
    thrown = err
  }
  expect(thrown).toBeInstanceOf(OtlpDecodeError)
  const error = thrown as OtlpDecodeError
  expect(error.status).toBe(status)
  if (typeof message === 'string') expect(error.message).toBe(message)
  else expect(error.message).toMatch(message)
}

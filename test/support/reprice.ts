import { expect } from 'vitest'
import { callApi, type CollectorEndpoint } from './alert-spans'

/**
 * Gives `model` a custom price ($1 in and $2 out per million tokens, from 2026-11-01) and
 * reprices the range through the API, as an operator would; returns the reprice answer.
 */
export async function priceAndReprice(
  collector: CollectorEndpoint,
  model: string,
  range: { from: string; to: string },
): Promise<Record<string, unknown>> {
  const price = await callApi(collector, 'POST', '/api/v1/prices', {
    model,
    inputMtok: '1',
    outputMtok: '2',
    effectiveFrom: '2026-11-01T00:00:00Z',
  })
  expect(price.status, '/api/v1/prices').toBeLessThan(300)
  const reprice = await callApi(collector, 'POST', '/api/v1/reprice', range)
  expect(reprice.status, '/api/v1/reprice').toBeLessThan(300)
  return reprice.body
}

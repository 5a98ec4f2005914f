import { HttpError } from '../errors'
import type { AcceptedSwitch, WhatIfInput } from '../store/queries/what-if/types'

export type { AcceptedSwitch, WhatIfInput }

export const WHAT_IF_LIMITS = { maxAccepted: 200, maxDays: 90, defaultDays: 30, maxRatio: 100 }

const TEXT_FIELDS = ['taskName', 'step', 'currentModel', 'suggestedModel'] as const

/**
 * Reads and checks the what-if body. Every error names the field, the value it got and what
 * was expected, so a client can fix the request without reading the server's code.
 */
export function parseWhatIfInput(body: unknown): WhatIfInput {
  const record = objectOf(body, 'body')
  const known = new Set(['accepted', 'days'])
  for (const key of Object.keys(record)) {
    if (!known.has(key)) {
      throw new HttpError(400, `unknown field ${JSON.stringify(key)}; expected accepted, days`)
    }
  }
  const days = record['days'] ?? WHAT_IF_LIMITS.defaultDays
  if (
    !Number.isInteger(days) ||
    (days as number) < 1 ||
    (days as number) > WHAT_IF_LIMITS.maxDays
  ) {
    throw new HttpError(
      400,
      `days must be an integer from 1 to ${WHAT_IF_LIMITS.maxDays}, got ${JSON.stringify(days)}`,
    )
  }
  const accepted = record['accepted']
  if (!Array.isArray(accepted) || accepted.length > WHAT_IF_LIMITS.maxAccepted) {
    throw new HttpError(
      400,
      `accepted must be an array of at most ${WHAT_IF_LIMITS.maxAccepted} recommendations, got ${describe(accepted)}`,
    )
  }
  return {
    accepted: accepted.map((item, index) => parseSwitch(item, `accepted[${index}]`)),
    days: days as number,
  }
}

function parseSwitch(value: unknown, path: string): AcceptedSwitch {
  const item = objectOf(value, path)
  const text: Record<string, string> = {}
  for (const field of TEXT_FIELDS) {
    const given = item[field]
    if (typeof given !== 'string' || given === '' || given.length > 500) {
      throw new HttpError(
        400,
        `${path}.${field} must be a non-empty string of at most 500 characters, got ${describe(given)}`,
      )
    }
    text[field] = given
  }
  const provider = item['suggestedProvider'] ?? ''
  if (typeof provider !== 'string' || provider.length > 100) {
    throw new HttpError(
      400,
      `${path}.suggestedProvider must be a string, got ${describe(provider)}`,
    )
  }
  const ratio = item['outputRatio'] ?? 1
  if (typeof ratio !== 'number' || !(ratio > 0 && ratio <= WHAT_IF_LIMITS.maxRatio)) {
    throw new HttpError(
      400,
      `${path}.outputRatio must be a number above 0 and at most ${WHAT_IF_LIMITS.maxRatio}, got ${describe(ratio)}`,
    )
  }
  return {
    taskName: text['taskName']!,
    step: text['step']!,
    currentModel: text['currentModel']!,
    suggestedModel: text['suggestedModel']!,
    suggestedProvider: provider,
    outputRatio: ratio,
  }
}

function objectOf(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, `${path} must be a JSON object, got ${describe(value)}`)
  }
  return value as Record<string, unknown>
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}

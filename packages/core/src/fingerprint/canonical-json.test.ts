import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json'

/** The definition as first written (map, filter, sort, join): the output must never change. */
function reference(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined && typeof record[key] !== 'function')
      .sort()
      .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`)
    return `{${members.join(',')}}`
  }
  return 'null'
}

/** A deterministic pseudo-random JSON-ish value (xorshift), with the awkward cases mixed in. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = next() % (depth > 3 ? 8 : 11)
  const strings = ['', 'a', 'é', '😀', '"q"', 'line\nbreak', '\u0000', 'Ünïcode ✓', '\\']
  switch (pick) {
    case 0:
      return null
    case 1:
      return undefined
    case 2:
      return (next() % 2000) / 7 - 100
    case 3:
      return [Infinity, -Infinity, NaN, -0, 1e21, 5e-7][next() % 6]
    case 4:
      return next() % 2 === 0
    case 5:
      return strings[next() % strings.length]
    case 6:
      return BigInt(next())
    case 7:
      return () => 1
    case 8:
    case 9: {
      const out: Record<string, unknown> = {}
      for (let i = next() % 5; i > 0; i--) {
        out[strings[next() % strings.length]! + String(next() % 4)] = randomValue(next, depth + 1)
      }
      return out
    }
    default:
      return Array.from({ length: next() % 4 }, () => randomValue(next, depth + 1))
  }
}

describe('canonicalJson', () => {
  it('should write exactly what the reference definition writes', () => {
    let state = 0x9e3779b9
    const next = () => {
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      return state >>> 0
    }
    for (let i = 0; i < 5000; i++) {
      const value = randomValue(next, 0)
      expect(canonicalJson(value)).toBe(reference(value))
    }
    expect(canonicalJson({ b: [1, { z: undefined, y: () => 1 }], a: 'é' })).toBe(
      '{"a":"é","b":[1,{}]}',
    )
  })
})

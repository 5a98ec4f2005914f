import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json'
import { deriveHashKey } from './hash-key'
import { keyedHash64 } from './keyed-hash'
import { fingerprintRequest, fingerprintResponse, resumableRequestWork } from './llm-fingerprint'
import { MinhashBuilder, minhashBands } from './minhash'
import { scaleBoundaryTokens } from './token-estimate'
import { fingerprintToolArgs, fingerprintToolResult } from './tool-fingerprint'

const key = deriveHashKey({ hashKey: 'project-a' })!
const other = deriveHashKey({ hashKey: 'project-b' })!
const system = { role: 'system', content: 'You triage support tickets.' }
const user = { role: 'user', content: 'My invoice is wrong.' }
const reply = { role: 'assistant', content: 'Which invoice?' }

describe('canonicalJson', () => {
  it('should sort keys at every depth and drop undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"z":1}]},"b":1}',
    )
  })
})

describe('deriveHashKey', () => {
  it('should derive the same key from the same API key and none without one', () => {
    const a = deriveHashKey({ apiKey: 'am_key_1' })!
    const b = deriveHashKey({ apiKey: 'am_key_1' })!
    expect(keyedHash64(a, 'x')).toBe(keyedHash64(b, 'x'))
    expect(keyedHash64(a, 'x')).not.toBe(keyedHash64(deriveHashKey({ apiKey: 'am_key_2' })!, 'x'))
    expect(deriveHashKey({})).toBeNull()
  })

  it('should prefer the explicit hash key over the API key', () => {
    const explicit = deriveHashKey({ hashKey: 'project-a', apiKey: 'am_key_1' })!
    expect(keyedHash64(explicit, 'x')).toBe(keyedHash64(key, 'x'))
  })
})

describe('fingerprintRequest', () => {
  const request = {
    model: 'gpt-4o',
    params: { temperature: 0 },
    tools: [{ name: 'lookup' }],
    messages: [system, user],
  }

  it('should give 16-hex hashes that ignore key order', () => {
    const a = fingerprintRequest(key, request)
    const b = fingerprintRequest(key, {
      ...request,
      messages: [
        { content: system.content, role: 'system' },
        { content: user.content, role: 'user' },
      ],
    })
    expect(a.requestHash).toMatch(/^[0-9a-f]{16}$/)
    expect(b.requestHash).toBe(a.requestHash)
    expect(a.prefixHashes).toEqual(b.prefixHashes)
  })

  it('should chain one boundary per segment and extend the chain when the prompt grows', () => {
    const first = fingerprintRequest(key, request)
    const next = fingerprintRequest(key, { ...request, messages: [system, user, reply, user] })
    expect(first.prefixHashes).toHaveLength(3)
    expect(next.prefixHashes.slice(0, 3)).toEqual(first.prefixHashes)
    expect(next.prefixHashes).toHaveLength(5)
    expect(next.prefixTokenEstimates[2]).toBe(first.prefixTokenEstimates[2])
  })

  it('should change the request hash but not the prefix when only a parameter changes', () => {
    const hot = fingerprintRequest(key, { ...request, params: { temperature: 1 } })
    const cold = fingerprintRequest(key, request)
    expect(hot.requestHash).not.toBe(cold.requestHash)
    expect(hot.prefixHashes).toEqual(cold.prefixHashes)
  })

  it('should separate the system prompt and tool hashes', () => {
    const a = fingerprintRequest(key, request)
    const b = fingerprintRequest(key, { ...request, tools: [{ name: 'search' }] })
    expect(b.systemHash).toBe(a.systemHash)
    expect(b.toolsHash).not.toBe(a.toolsHash)
    expect(b.prefixHashes[0]).not.toBe(a.prefixHashes[0])
  })

  it('should never match across projects', () => {
    const a = fingerprintRequest(key, request)
    const b = fingerprintRequest(other, request)
    expect(b.requestHash).not.toBe(a.requestHash)
    expect(b.systemHash).not.toBe(a.systemHash)
    expect(b.prefixHashes.filter((hash) => a.prefixHashes.includes(hash))).toEqual([])
  })
})

describe('minhashBands', () => {
  const text = Array.from({ length: 80 }, (_, i) => `token${i}`).join(' ')

  it('should give 32 bands for a long text and none for a short one', () => {
    expect(minhashBands(key, text)).toHaveLength(32)
    expect(minhashBands(key, 'too short to compare')).toEqual([])
  })

  it('should keep most bands through a one-word edit and share none across projects', () => {
    const edited = text.replace('token40', 'changed')
    const a = minhashBands(key, text)
    const b = minhashBands(key, edited)
    const shared = a.filter((band, i) => band === b[i]).length
    expect(shared).toBeGreaterThanOrEqual(8)
    const c = minhashBands(other, text)
    expect(c.filter((band, i) => band === a[i])).toEqual([])
  })
})

describe('minhash band values', () => {
  // Stored values: the collector compares bands across SDK versions, so the hashing (FNV-1a of
  // each word shingle, fed without building the shingle string) must keep producing these.
  it('should keep the values of a fixed key and text', () => {
    const vectorKey = deriveHashKey({ hashKey: 'minhash-vector' })!
    const text =
      'Please check the order history and tell me what happened with the delivery and the ' +
      'refund of order ORD-9, naïve café ✓ 😀 twice twice.'
    expect(minhashBands(vectorKey, text.repeat(2))).toEqual([
      'e0c6c63fbe1879a0',
      '3208ac70790674e9',
      '2002215b5ad84de0',
      'e7508415c41717a6',
      'd74049a5a07b6ca7',
      'cc8a16bddc4956d6',
      '65aaf60273f037fd',
      '6bb03461f4edda0b',
      '69a3c53989c24fcf',
      '019654b34c6e2848',
      '884e04868797690a',
      'd9909154d17913bd',
      '2bbe4453c5de4e4e',
      'f17e9533861d5d12',
      '258139c4bed238eb',
      '418599c5f2c6e3d0',
      '16e7450b88893407',
      'aac0b260eaadcfb3',
      '67ffe565610cc224',
      'be54ac073a83d088',
      '83ed37cc959b2c04',
      '6edc2b2cd1a375c2',
      '269f19ba485faa1a',
      '1aeff41b03ca67c9',
      'd480f27318f24b3b',
      '4548858df8174808',
      '6207f4050b485160',
      'ee34864ed7d9b9d3',
      '45368ec52e5c5d61',
      'dac6f770c497b5ac',
      '04f1c3fd53d47f55',
      '5be9ae6e5e60fac5',
    ])
  })
})

describe('sliced MinHash and resumable request work', () => {
  const longText = Array.from({ length: 3000 }, (_, i) => `word${(i * 31) % 977}`).join(' ')

  it('should give the bands of one go when built a few shingles per step', () => {
    const builder = new MinhashBuilder(key, longText)
    let steps = 0
    // A deadline already passed: each step hashes one look's worth of shingles, then stops.
    while (!builder.step(0)) steps++
    expect(steps).toBeGreaterThan(10)
    expect(builder.bands()).toEqual(minhashBands(key, longText))
  })

  it('should leave fingerprintRequest the values it computes in one go', () => {
    const tail = { role: 'tool', content: longText }
    const request = { model: 'gpt-4o', params: {}, tools: [{ name: 'x' }], messages: [user, tail] }
    const expected = fingerprintRequest(key, {
      ...request,
      tools: [{ name: 'x' }],
      messages: [{ ...user }, { ...tail }],
    })
    const work = resumableRequestWork(key, request)
    let steps = 0
    while (!work.step(0)) steps++
    expect(steps).toBeGreaterThan(10)
    expect(fingerprintRequest(key, request)).toEqual(expected)
    expect(expected.minhash).toHaveLength(32)
  })
})

describe('response and tool fingerprints', () => {
  it('should ignore provider-minted ids in responses', () => {
    const a = fingerprintResponse(key, [
      { content: 'ok', tool_calls: [{ id: 'call_1', name: 'x' }] },
    ])
    const b = fingerprintResponse(key, [
      { content: 'ok', tool_calls: [{ id: 'call_2', name: 'x' }] },
    ])
    expect(a).toBe(b)
  })

  it('should hash tool arguments canonically and estimate result tokens', () => {
    expect(fingerprintToolArgs(key, 'read', { b: 1, a: 2 })).toBe(
      fingerprintToolArgs(key, 'read', { a: 2, b: 1 }),
    )
    expect(fingerprintToolArgs(key, 'read', { a: 2 })).not.toBe(
      fingerprintToolArgs(key, 'write', { a: 2 }),
    )
    expect(fingerprintToolResult(key, 'x'.repeat(400)).resultTokens).toBe(100)
  })

  it('should rescale boundary estimates to the reported input tokens', () => {
    expect(scaleBoundaryTokens([100, 300, 400], 1000)).toEqual([250, 750, 1000])
  })
})

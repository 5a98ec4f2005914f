import { createHmac } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { HashKey } from './hash-key'

/** 32 bands of 4 rows: a pair with word-shingle Jaccard J shares a band with odds 1-(1-J⁴)³². */
export const MINHASH_BANDS = 32
export const MINHASH_ROWS = 4
const PERMUTATIONS = MINHASH_BANDS * MINHASH_ROWS
/** Shorter texts are left out: a few common words would make unrelated prompts collide. */
export const MINHASH_MIN_WORDS = 20
const MAX_WORDS = 4000

const seedCache = new WeakMap<HashKey, Uint32Array>()

/** Permutation parameters drawn from the project key, so band values only match within it. */
function seeds(key: HashKey): Uint32Array {
  const cached = seedCache.get(key)
  if (cached) return cached
  const out = new Uint32Array(PERMUTATIONS * 2 + 2)
  for (let block = 0; block * 8 < out.length; block++) {
    const bytes = createHmac('sha256', key.bytes).update(`minhash:${block}`).digest()
    for (let i = 0; i < 8 && block * 8 + i < out.length; i++)
      out[block * 8 + i] = bytes.readUInt32LE(i * 4)
  }
  seedCache.set(key, out)
  return out
}

function fmix32(input: number): number {
  let h = input
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const SPACE = 0x20

/** FNV-1a over `text`'s UTF-16 code units, continuing from `h`. */
function fnv1aFrom(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h
}

/**
 * FNV-1a of the shingle `${a} ${b} ${c}` under `seed`, without building that string: the same
 * code units go through the same steps, so the value is the one the joined string would hash to.
 */
function shingleHash(a: string, b: string, c: string, seed: number): number {
  let h = fnv1aFrom((0x811c9dc5 ^ seed) >>> 0, a)
  h = Math.imul(h ^ SPACE, 0x01000193)
  h = fnv1aFrom(h, b)
  h = Math.imul(h ^ SPACE, 0x01000193)
  return fnv1aFrom(h, c) >>> 0
}

/** Lower-cased words of the text, punctuation kept as part of words. */
export function words(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, MAX_WORDS)
}

/** Shingles hashed between two looks at the clock: 64 × 128 permutations, ~30 µs here. */
const SHINGLES_PER_CHECK = 64

/**
 * MinHash of one text, computable in slices: `step(deadline)` hashes shingles until the clock
 * (`performance.now()`) passes `deadline`, and says whether it is done; `bands()` then gives
 * exactly what `minhashBands` gives (it runs this same loop to the end in one go). A long tool
 * output (4,000 words: 512,000 permutation steps) takes milliseconds; an exporter that must not
 * hold the event loop that long runs it a slice at a time.
 */
export class MinhashBuilder {
  readonly #tokens: string[]
  readonly #seed: Uint32Array | null
  readonly #mins = new Uint32Array(PERMUTATIONS).fill(0xffffffff)
  #next = 0

  constructor(key: HashKey, text: string) {
    this.#tokens = words(text)
    this.#seed = this.#tokens.length < MINHASH_MIN_WORDS ? null : seeds(key)
  }

  get done(): boolean {
    return this.#seed === null || this.#next + 2 >= this.#tokens.length
  }

  /** Hashes shingles until `deadline` (ms, `performance.now()` clock) passes; true when done. */
  step(deadline = Number.POSITIVE_INFINITY): boolean {
    const seed = this.#seed
    if (seed === null) return true
    const tokens = this.#tokens
    const mins = this.#mins
    const shingleSeed = seed[PERMUTATIONS * 2]!
    let i = this.#next
    while (i + 2 < tokens.length) {
      const stop = Math.min(tokens.length - 2, i + SHINGLES_PER_CHECK)
      for (; i < stop; i++) {
        const x = shingleHash(tokens[i]!, tokens[i + 1]!, tokens[i + 2]!, shingleSeed)
        for (let p = 0; p < PERMUTATIONS; p++) {
          const h = fmix32((Math.imul(x, seed[2 * p]! | 1) + seed[2 * p + 1]!) >>> 0)
          if (h < mins[p]!) mins[p] = h
        }
      }
      if (i + 2 < tokens.length && performance.now() >= deadline) break
    }
    this.#next = i
    return this.done
  }

  /** The band values (see `minhashBands`); runs what is left first. */
  bands(): string[] {
    if (this.#seed === null) return []
    this.step()
    const mins = this.#mins
    const bands: string[] = []
    for (let band = 0; band < MINHASH_BANDS; band++) {
      const at = band * MINHASH_ROWS
      const hi = fmix32(mins[at]! ^ fmix32((mins[at + 1]! + band) >>> 0))
      const lo = fmix32(
        mins[at + 2]! ^ fmix32((mins[at + 3]! ^ Math.imul(band + 1, 0x9e3779b1)) >>> 0),
      )
      // Zero means "absent" in the stored UInt64 column, so a zero band is nudged off it.
      const value = hi === 0 && lo === 0 ? 1 : lo
      bands.push(hi.toString(16).padStart(8, '0') + value.toString(16).padStart(8, '0'))
    }
    return bands
  }
}

/**
 * MinHash band values (16 hex each) of the text's word 3-shingles under the project key, or an
 * empty list for a text under `MINHASH_MIN_WORDS` words. Two texts are near duplicates when they
 * share several bands; the share of equal bands estimates J⁴.
 */
export function minhashBands(key: HashKey, text: string): string[] {
  return new MinhashBuilder(key, text).bands()
}

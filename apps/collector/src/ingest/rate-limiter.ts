/**
 * Spans per second per API key, as token buckets: a key may send `burst` spans at once and
 * `ratePerSecond` on average. A key over its budget gets 429 with the seconds until its request
 * would fit, so one flooding key cannot starve the others of the store.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes `spans` tokens for `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string, spans: number): number {
    if (this.ratePerSecond <= 0) return 0
    const now = this.now()
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now }
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond,
    )
    bucket.at = now
    this.buckets.set(key, bucket)
    // A request larger than the burst could never fit: it is let through alone when the bucket
    // is full, rather than refused forever.
    const needed = Math.min(spans, this.burst)
    if (bucket.tokens >= needed) {
      bucket.tokens -= needed
      return 0
    }
    return Math.max(1, Math.ceil((needed - bucket.tokens) / this.ratePerSecond))
  }
}

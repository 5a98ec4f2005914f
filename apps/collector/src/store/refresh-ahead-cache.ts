/**
 * A small per-key cache for what every ingest request reads from the store (its key's identity,
 * its project's price book and content policy), loaded at most `maxAgeMillis` before it is used.
 *
 * A copy past half its age is still served, and one load of a fresh copy starts beside it, so
 * requests under steady traffic never wait for the store: a lookup that waits behind a running
 * insert took up to half a second on the embedded engine, and every request of those seconds
 * waited with it (the longest acks at half load). Only a copy past its whole age is waited for,
 * by one load that the requests share. While the store fails, the last copy keeps being served,
 * as before. `delete` drops a key's copy at once (a revocation or write through this process),
 * and a load that started before it is not kept.
 */
export class RefreshAheadCache<V> {
  private readonly entries = new Map<string, { value: V; loadedAt: number }>()
  private readonly loads = new Map<string, Promise<V>>()

  constructor(
    private readonly maxAgeMillis: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The copy of `key`, loaded by `load` when it is missing, old or expired. */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key)
    const age = cached ? this.now() - cached.loadedAt : Infinity
    if (cached && age < this.maxAgeMillis) {
      if (age >= this.maxAgeMillis / 2) this.start(key, load).catch(() => {})
      return cached.value
    }
    try {
      return await this.start(key, load)
    } catch (err) {
      // While the store is unavailable, keys seen before keep their last known value.
      if (cached) return cached.value
      throw err
    }
  }

  delete(key: string): void {
    this.entries.delete(key)
    this.loads.delete(key)
  }

  /** One load per key at a time; its value is kept unless the key was deleted meanwhile. */
  private start(key: string, load: () => Promise<V>): Promise<V> {
    const running = this.loads.get(key)
    if (running) return running
    // The copy's age counts from before the read, so that it never outlives `maxAgeMillis`
    // after what it saw.
    const startedAt = this.now()
    const loading: Promise<V> = load()
      .then((value) => {
        if (this.loads.get(key) === loading) this.entries.set(key, { value, loadedAt: startedAt })
        return value
      })
      .finally(() => {
        if (this.loads.get(key) === loading) this.loads.delete(key)
      })
    this.loads.set(key, loading)
    return loading
  }
}

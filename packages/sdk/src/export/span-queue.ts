/**
 * A first-in first-out queue whose `push` and `shift` cost O(1) at any size: the batch processor
 * drops the oldest span when full, from inside `onEnd` (the app's call path), so it cannot afford
 * `Array.prototype.shift`, which may copy the whole array.
 */
export class SpanQueue<T> {
  #items: (T | undefined)[] = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: T): void {
    this.#items.push(item)
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head++
    this.#compact()
    return item
  }

  /** Up to `count` of the oldest items, removed, oldest first. */
  take(count: number): T[] {
    const taken = this.#items.slice(this.#head, this.#head + count) as T[]
    this.#items.fill(undefined, this.#head, this.#head + taken.length)
    this.#head += taken.length
    this.#compact()
    return taken
  }

  // The removed slots are given back once they are at least half the array: amortized O(1).
  #compact(): void {
    if (this.length === 0) {
      this.#items = []
      this.#head = 0
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
  }
}

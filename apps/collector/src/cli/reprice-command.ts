import { parseTimeRange } from '../store/queries/time-range'
import { PriceBookStore } from '../store/price-book-store'
import { repriceSpans, type RepriceResult } from '../store/reprice'
import { viaStoreOrCollector, type Target } from './store-or-collector'

export interface RepriceCommand extends Target {
  from: string
  to: string
  model?: string
  json: boolean
}

/** Windows the range is repriced in: the progress bar advances one window at a time. */
const MAX_WINDOWS = 50
const MIN_WINDOW_MILLIS = 60 * 60 * 1000

/**
 * `pnpm agentmeter reprice --from --to [--model]`: prices the stored spans of the range again
 * with the current catalog, rules and the project's price book. Directly on the store, or
 * through the running collector's `POST /api/v1/reprice` when it holds the store. Idempotent:
 * only changed rows are written, as new versions of the same rows, so nothing is counted twice.
 */
export async function repriceCommand(options: RepriceCommand): Promise<RepriceResult> {
  parseTimeRange(options.from, options.to)
  const windows = splitRange(new Date(options.from), new Date(options.to))
  const total: RepriceResult = { scanned: 0, changed: 0 }
  const bar = new ProgressBar(windows.length)

  const via = await viaStoreOrCollector(options, async (client, projectId) => {
    const book = await new PriceBookStore(client).book(projectId)
    for (const [index, [from, to]] of windows.entries()) {
      const result = await repriceSpans(client, {
        projectId,
        range: parseTimeRange(from, to),
        model: options.model,
        priceBook: book,
      })
      add(total, result)
      bar.update(index + 1, total)
    }
    return total
  })
  if ('remote' in via) {
    for (const [index, [from, to]] of windows.entries()) {
      const result = await via.remote.call<RepriceResult>('POST', '/api/v1/reprice', {
        from,
        to,
        ...(options.model ? { model: options.model } : {}),
      })
      add(total, result)
      bar.update(index + 1, total)
    }
  }
  bar.done()
  if (options.json) console.log(JSON.stringify(total))
  else console.log(`repriced ${total.changed} of ${total.scanned} spans`)
  return total
}

function add(total: RepriceResult, result: RepriceResult): void {
  total.scanned += result.scanned
  total.changed += result.changed
}

/**
 * Consecutive windows covering [from, to]. Query bounds are inclusive and span times have
 * nanoseconds, so each window ends where the next starts: a span exactly on a boundary is read
 * twice and written at most once (the second read finds its price unchanged), and no span
 * between two milliseconds falls through a gap.
 */
export function splitRange(from: Date, to: Date): Array<[string, string]> {
  const span = to.getTime() - from.getTime()
  const size = Math.max(MIN_WINDOW_MILLIS, Math.ceil(span / MAX_WINDOWS))
  const windows: Array<[string, string]> = []
  for (let start = from.getTime(); ; start += size) {
    const end = Math.min(start + size, to.getTime())
    windows.push([new Date(start).toISOString(), new Date(end).toISOString()])
    if (end >= to.getTime()) break
  }
  return windows
}

/** A one-line progress bar on stderr (redrawn in place on a terminal, one line per step else). */
class ProgressBar {
  constructor(private readonly steps: number) {}

  update(done: number, totals: RepriceResult): void {
    const width = 30
    const filled = Math.round((done / this.steps) * width)
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.steps}  ${totals.scanned} spans scanned, ${totals.changed} repriced`
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`)
    else process.stderr.write(`${line}\n`)
  }

  done(): void {
    if (process.stderr.isTTY) process.stderr.write('\n')
  }
}

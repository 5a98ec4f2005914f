/**
 * What the collector's `/metrics` says about one phase of the ingest benchmark: on which path
 * its batches were acknowledged (insert, write-ahead entry, spool), how many rows each insert
 * carried (the fixed cost per insert makes the batch size decide the throughput), and how long
 * inserts and write-ahead entries took (to tell a slow fsync from a busy event loop).
 */

export interface Histogram {
  /** Upper bounds in seconds, `Infinity` last. */
  bounds: number[]
  /** Cumulative counts per bound. */
  counts: number[]
  sum: number
}

export interface IngestCounters {
  acks: { stored: number; logged: number; spooled: number }
  inserts: number
  insertRows: number
  insertSeconds: Histogram
  writeAheadSeconds: Histogram
}

export async function scrapeIngestCounters(url: string): Promise<IngestCounters> {
  const lines = (await (await fetch(`${url}/metrics`)).text()).split('\n')
  const value = (series: string) => {
    const line = lines.find((candidate) => candidate.startsWith(`${series} `))
    return line ? Number(line.slice(series.length + 1)) : 0
  }
  const histogram = (name: string): Histogram => {
    const bounds: number[] = []
    const counts: number[] = []
    for (const line of lines) {
      const match = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`).exec(line)
      if (!match) continue
      bounds.push(match[1] === '+Inf' ? Infinity : Number(match[1]))
      counts.push(Number(match[2]))
    }
    return { bounds, counts, sum: value(`${name}_sum`) }
  }
  return {
    acks: {
      stored: value('agentmeter_ingest_acks_total{path="stored"}'),
      logged: value('agentmeter_ingest_acks_total{path="logged"}'),
      spooled: value('agentmeter_ingest_acks_total{path="spooled"}'),
    },
    inserts: value('agentmeter_inserts_total{result="ok"}'),
    insertRows: value('agentmeter_insert_rows_total{result="ok"}'),
    insertSeconds: histogram('agentmeter_insert_duration_seconds'),
    writeAheadSeconds: histogram('agentmeter_write_ahead_seconds'),
  }
}

/** Mean and bucket-bounded p50 / p99 (the bucket bound at or above them), in ms. */
export interface TimingDelta {
  count: number
  meanMs: number
  p50AtMostMs: number
  p99AtMostMs: number
}

function histogramDelta(before: Histogram, after: Histogram): TimingDelta {
  const counts = after.counts.map((count, index) => count - (before.counts[index] ?? 0))
  const total = counts[counts.length - 1] ?? 0
  const atMost = (quantile: number) => {
    const index = counts.findIndex((count) => count >= total * quantile)
    return index < 0 || total === 0 ? 0 : after.bounds[index]! * 1000
  }
  return {
    count: total,
    meanMs: total > 0 ? Math.round(((after.sum - before.sum) / total) * 1e4) / 10 : 0,
    p50AtMostMs: atMost(0.5),
    p99AtMostMs: atMost(0.99),
  }
}

/** The counters' growth between two scrapes, with the mean rows per insert. */
export function counterDelta(before: IngestCounters, after: IngestCounters) {
  const inserts = after.inserts - before.inserts
  return {
    acks: {
      stored: after.acks.stored - before.acks.stored,
      logged: after.acks.logged - before.acks.logged,
      spooled: after.acks.spooled - before.acks.spooled,
    },
    inserts,
    rowsPerInsert: inserts > 0 ? Math.round((after.insertRows - before.insertRows) / inserts) : 0,
    insert: histogramDelta(before.insertSeconds, after.insertSeconds),
    writeAhead: histogramDelta(before.writeAheadSeconds, after.writeAheadSeconds),
  }
}

export type CounterDelta = ReturnType<typeof counterDelta>

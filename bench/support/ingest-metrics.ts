/**
 * What the collector's `/metrics` says about one phase of the ingest benchmark: on which path
 * its batches were acknowledged (insert, write-ahead entry, spool) and how many rows each
 * insert carried (the fixed cost per insert makes the batch size decide the throughput).
 */

export interface IngestCounters {
  acks: { stored: number; logged: number; spooled: number }
  inserts: number
  insertRows: number
}

export async function scrapeIngestCounters(url: string): Promise<IngestCounters> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const value = (series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `))
    return line ? Number(line.slice(series.length + 1)) : 0
  }
  return {
    acks: {
      stored: value('agentmeter_ingest_acks_total{path="stored"}'),
      logged: value('agentmeter_ingest_acks_total{path="logged"}'),
      spooled: value('agentmeter_ingest_acks_total{path="spooled"}'),
    },
    inserts: value('agentmeter_inserts_total{result="ok"}'),
    insertRows: value('agentmeter_insert_rows_total{result="ok"}'),
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
  }
}

export type CounterDelta = ReturnType<typeof counterDelta>

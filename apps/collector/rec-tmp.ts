import fs from 'node:fs'
import { createClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { migrate } from './src/store/migrations'
import { ROWS } from '../../bench/recommendations'
const dir = '/tmp/recbench-1m'
const fresh = !fs.existsSync(dir)
const client = createClient({ connection: createChdbConnection({ path: dir }) as any })
if (fresh) {
  await migrate(client)
  const spans = Number(process.argv[2] ?? 1_000_000)
  for (let offset = 0; offset < spans; offset += 250_000) {
    await client.command({ query: `INSERT INTO spans (project_id, trace_id, span_id, task_id, task_name, is_task_root,
            step, kind, name, provider, request_model, start_time, end_time, usage_known,
            input_tokens, output_tokens, cache_read_tokens, priced, cost_usd, outcome,
            request_hash, tools_hash, finish_reasons, attributes)
          SELECT project_id, trace_id, span_id, task_id, task_name, is_task_root, step, kind, name,
            provider, request_model, start_time, end_time, usage_known, input_tokens,
            output_tokens, cache_read_tokens, priced, cost_usd, outcome, request_hash, tools_hash,
            finish_reasons, attributes FROM (${ROWS})`, query_params: { project: 'p', offset, count: Math.min(250_000, spans - offset) } })
  }
}
const sqls = fs.readFileSync('/tmp/sqls.txt', 'utf8').split('\n====\n').filter((s) => s.trim())
for (const sql of sqls) {
  const start = Date.now()
  const r = await client.query({ query: sql, format: 'JSONEachRow', query_params: { a: '2026-10-01 00:00:00.000' } })
  const rows = await r.json()
  console.log(Date.now() - start, 'ms', rows.length, 'rows |', sql.slice(0, 150).replace(/\s+/g, ' '))
}
await client.close()

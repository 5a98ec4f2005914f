import { createClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { queryArms } from './src/store/queries/recommendations/step-arms'
import { queryArmOutcomes } from './src/store/queries/recommendations/step-outcomes'
import { queryReplayArms } from './src/store/queries/recommendations/replay-arms'
const client = createClient({ connection: createChdbConnection({ path: '/tmp/recbench-1m' }) as any })
const q = { projectId: 'p', from: '2026-10-01 00:00:00.000', to: '2026-12-31 00:00:00.000', taskName: '' }
for (let round = 0; round < 2; round++)
for (const f of [queryArms, queryArmOutcomes, queryReplayArms]) {
  const start = Date.now(); const rows = await f(client, q); console.log(f.name, Date.now() - start, 'ms', rows.length)
}
await client.close()

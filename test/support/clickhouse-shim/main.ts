/**
 * Runs the ClickHouse HTTP shim on loopback, for trying the collector's server path by hand:
 *
 *   npx tsx test/support/clickhouse-shim/main.ts [--port 8123] [--path ./.agentmeter-shim]
 *   AGENTMETER_CLICKHOUSE_URL=http://127.0.0.1:8123 pnpm agentmeter start
 *
 * It is a test stand-in (see server.ts), not a ClickHouse server.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startClickHouseShim } from './server'

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8123' }, path: { type: 'string' } },
})
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`)
  process.exit(2)
}
const shim = await startClickHouseShim({
  port,
  path: path.resolve(values.path ?? '.agentmeter-shim'),
})
process.stdout.write(`ClickHouse HTTP shim (engine ${shim.version}) on ${shim.url}\n`)
const stop = () => void shim.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

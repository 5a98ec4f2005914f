/**
 * Alert lease failover: two collector processes on one store (the ClickHouse HTTP shim); the
 * lease holder is killed with SIGKILL and the time until the other one holds the lease is
 * measured, as a ratio to the lease term (the bound is one term plus one renewal period, 4/3).
 * A fresh collector replaces the dead one before the next round.
 *
 *   pnpm bench failover [rounds, default 5] [lease ms, default 3000]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startClickHouseShim } from '../test/support/clickhouse-shim/server'
import { startCollectorProcess, type CollectorProcess } from '../test/support/collector-process'

export async function run(args: string[]): Promise<void> {
  const rounds = Number(args[0] ?? 5)
  const leaseMillis = Number(args[1] ?? 3000)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-bench-failover-'))
  const shim = await startClickHouseShim({ path: dir })
  const env = {
    AGENTMETER_CLICKHOUSE_URL: shim.url,
    AGENTMETER_INIT_PROJECT: 'bench',
    AGENTMETER_INIT_API_KEY: `am_bench_${Date.now().toString(36)}`,
    AGENTMETER_ALERT_LEASE_MS: String(leaseMillis),
    AGENTMETER_LOG_LEVEL: 'error',
  }
  let collectors: CollectorProcess[] = await Promise.all([
    startCollectorProcess(env),
    startCollectorProcess(env),
  ])
  const ratios: number[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      const leader = await waitFor(async () => {
        const flags = await Promise.all(collectors.map(isLeader))
        return flags.filter(Boolean).length === 1 ? collectors[flags.indexOf(true)] : undefined
      })
      const survivor = collectors.find((collector) => collector !== leader)!
      const killedAt = performance.now()
      await leader.kill()
      await waitFor(async () => ((await isLeader(survivor)) ? true : undefined))
      const millis = performance.now() - killedAt
      ratios.push(millis / leaseMillis)
      process.stdout.write(
        `round ${round + 1}: takeover after ${Math.round(millis)} ms = ${(millis / leaseMillis).toFixed(2)} lease terms\n`,
      )
      collectors = [survivor, await startCollectorProcess(env)]
    }
  } finally {
    await Promise.all(collectors.map((collector) => collector.stop()))
    await shim.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const sorted = [...ratios].sort((a, b) => a - b)
  process.stdout.write(
    `lease ${leaseMillis} ms, ${rounds} rounds: takeover / term median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}, max ${sorted.at(-1)!.toFixed(2)} (bound 1.33)\n`,
  )
}

async function isLeader(collector: CollectorProcess): Promise<boolean> {
  const text = await (await fetch(`${collector.url}/metrics`)).text()
  return /^agentmeter_alert_leader 1$/m.test(text)
}

async function waitFor<T>(probe: () => Promise<T | undefined>, millis = 60_000): Promise<T> {
  const deadline = Date.now() + millis
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`nothing after ${millis} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

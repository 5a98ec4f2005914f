import path from 'node:path'
import { loadConfig } from '../config'
import type { QuarantineRecord } from '../store/spool/quarantine'
import type { SpoolStatus } from '../store/spool/settings'
import { Spool } from '../store/spool/spool'
import { readLocalCollector } from './local-collector'
import { requireSpool } from './store-check'

export interface SpoolCommandOptions {
  action: 'list' | 'redrive'
  dataDir?: string
  json: boolean
}

type Listing = SpoolStatus & { quarantine: QuarantineRecord[] }

/**
 * `agentmeter spool list | redrive`: the batches ClickHouse refused (quarantined) and putting
 * them back once the cause is fixed. Works on the spool under the data directory when no
 * collector runs there (a re-driven batch then replays at the next start), or, when one holds
 * the spool, through its admin API with the token it left in the data directory.
 */
export async function spoolCommand(options: SpoolCommandOptions): Promise<number> {
  const config = loadConfig()
  const dataDir = options.dataDir ?? config.dataDir
  const answer = requireSpool(config, dataDir)
    ? await onSpool(dataDir, options.action)
    : nothingSpooled(options.action)
  if (options.json) {
    console.log(JSON.stringify(answer, null, 2))
    return 0
  }
  if ('redriven' in answer) {
    const when = answer.running ? 'replaying now' : 'replayed at the next start'
    console.log(`${answer.redriven} quarantined batches put back in the spool (${when})`)
    return 0
  }
  console.log(
    `spool: ${answer.batches} batches, ${answer.bytes} bytes; quarantined: ${answer.quarantined.batches} batches, ${answer.quarantined.bytes} bytes`,
  )
  for (const record of answer.quarantine) {
    const error = [record.error.code, record.error.type].filter(Boolean).join(' ')
    console.log(
      `  ${record.file}  ${record.spans} spans  refused ${record.attempts}x  ${record.quarantinedAt}  ${error}: ${record.error.message.split('\n')[0]!.slice(0, 160)}`,
    )
  }
  return 0
}

/** The answer for a store no collector has run on: no spool yet, so nothing in it. */
function nothingSpooled(
  action: SpoolCommandOptions['action'],
): Listing | { redriven: number; running: boolean } {
  if (action === 'redrive') return { redriven: 0, running: false }
  const empty = { batches: 0, bytes: 0 }
  return { ...empty, quarantined: { ...empty }, quarantine: [] }
}

async function onSpool(
  dataDir: string,
  action: SpoolCommandOptions['action'],
): Promise<Listing | { redriven: number; running: boolean }> {
  let spool: Spool
  try {
    spool = Spool.open(path.join(dataDir, 'spool'))
  } catch (err) {
    if (!/is in use by process/.test((err as Error).message)) throw err
    return await throughCollector(dataDir, action)
  }
  try {
    if (action === 'redrive') return { redriven: await spool.redrive(), running: false }
    return {
      batches: spool.batches,
      bytes: spool.bytes,
      quarantined: { batches: spool.quarantine.batches, bytes: spool.quarantine.bytes },
      quarantine: await spool.quarantine.list(),
    }
  } finally {
    spool.close()
  }
}

async function throughCollector(
  dataDir: string,
  action: SpoolCommandOptions['action'],
): Promise<Listing | { redriven: number; running: boolean }> {
  const running = readLocalCollector(dataDir)
  if (!running) {
    throw new Error(
      `a collector holds the spool in ${dataDir} but left no address there; run this command where it was started, or call its /api/v1/admin/spool routes with AGENTMETER_ADMIN_TOKEN`,
    )
  }
  const response = await fetch(
    `${running.url}/api/v1/admin/spool${action === 'redrive' ? '/redrive' : ''}`,
    {
      method: action === 'redrive' ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${running.adminToken}` },
    },
  )
  const body = (await response.json()) as Record<string, unknown>
  if (!response.ok) {
    throw new Error(`the collector at ${running.url} answered ${response.status}: ${body.error}`)
  }
  return action === 'redrive'
    ? { redriven: body.redriven as number, running: true }
    : (body as unknown as Listing)
}

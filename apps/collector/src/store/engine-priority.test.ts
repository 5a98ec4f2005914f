import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config'
import { openStoreClient, type StoreClient } from './client'
import { lowerEngineThreadPriority } from './engine-priority'

let dir: string
let store: StoreClient

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-nice-'))
  store = await openStoreClient({ dataDir: path.join(dir, 'chdb') })
  // A query that reads in parallel, so that the engine's pools have started their threads.
  await store.client.query({ query: 'SELECT sum(number) FROM numbers_mt(2000000)' })
})

afterAll(async () => {
  await store?.client.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Every thread of this process: its name and niceness (fields 2 and 19 of its stat). */
function threads(): { name: string; nice: number }[] {
  return fs.readdirSync('/proc/self/task').flatMap((task) => {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const fields = stat.slice(close + 2).split(' ')
      return [{ name: stat.slice(stat.indexOf('(') + 1, close), nice: Number(fields[16]) }]
    } catch {
      return []
    }
  })
}

describe.runIf(process.platform === 'linux')('lowerEngineThreadPriority', () => {
  it("should lower the engine's threads to the niceness given and leave Node's as they are", () => {
    const stop = lowerEngineThreadPriority(7)
    try {
      const all = threads()
      const engine = all.filter((thread) => thread.name !== 'node')
      expect(engine.length).toBeGreaterThan(0)
      for (const thread of engine) expect(thread, thread.name).toMatchObject({ nice: 7 })
      for (const thread of all.filter((t) => t.name === 'node')) expect(thread.nice).toBe(0)
    } finally {
      stop()
    }
  })

  it('should do nothing with niceness 0', () => {
    const before = threads().map((thread) => thread.nice)
    lowerEngineThreadPriority(0)()
    expect(threads().map((thread) => thread.nice)).toEqual(before)
  })
})

describe('AGENTMETER_ENGINE_NICE', () => {
  it('should default to 10 and take 0 to 19', () => {
    expect(loadConfig({}).engineNice).toBe(10)
    expect(loadConfig({ AGENTMETER_ENGINE_NICE: '0' }).engineNice).toBe(0)
    expect(loadConfig({ AGENTMETER_ENGINE_NICE: '19' }).engineNice).toBe(19)
  })

  it('should refuse a niceness outside 0 to 19, naming the value', () => {
    expect(() => loadConfig({ AGENTMETER_ENGINE_NICE: '20' })).toThrow(
      new Error('AGENTMETER_ENGINE_NICE must be from 0 to 19, got "20"'),
    )
    expect(() => loadConfig({ AGENTMETER_ENGINE_NICE: '-5' })).toThrow(
      new Error('AGENTMETER_ENGINE_NICE must be a non-negative integer, got "-5"'),
    )
  })
})

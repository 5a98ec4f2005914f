import { describe, expect, it } from 'vitest'
import { loadConfig } from './config'

describe('loadConfig', () => {
  it('should quarantine a refused spool batch after 5 rejections unless told otherwise', () => {
    expect(loadConfig({}).spool.maxRejections).toBe(5)
    expect(loadConfig({ AGENTMETER_SPOOL_MAX_REJECTIONS: '' }).spool.maxRejections).toBe(5)
    expect(loadConfig({ AGENTMETER_SPOOL_MAX_REJECTIONS: '1' }).spool.maxRejections).toBe(1)
    expect(loadConfig({ AGENTMETER_SPOOL_MAX_REJECTIONS: '12' }).spool.maxRejections).toBe(12)
  })

  it('should refuse a rejection threshold that is not an integer of at least 1', () => {
    for (const raw of ['0', '-2', '2.5', 'five', '1e400']) {
      expect(() => loadConfig({ AGENTMETER_SPOOL_MAX_REJECTIONS: raw }), raw).toThrow(
        new Error(
          `AGENTMETER_SPOOL_MAX_REJECTIONS must be a positive integer (1 or more), got "${raw}"`,
        ),
      )
    }
  })

  it('should name the value when another positive setting is negative', () => {
    expect(() => loadConfig({ AGENTMETER_INSERT_LANES: '-1' })).toThrow(
      new Error('AGENTMETER_INSERT_LANES must be a positive integer (1 or more), got "-1"'),
    )
  })
})

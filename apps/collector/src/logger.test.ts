import { describe, expect, it } from 'vitest'
import { createLogger } from './logger'

describe('createLogger', () => {
  it('should write one JSON object per line at or above its level', () => {
    const lines: string[] = []
    const logger = createLogger('warn', (line) => lines.push(line))
    logger.info({ module: 'test', message: 'hidden' })
    logger.warn({ module: 'test', message: 'shown', args: { rows: 3 } })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      module: 'test',
      message: 'shown',
      args: { rows: 3 },
    })
  })

  it('does log only the code and type of a ClickHouse error, never its message', () => {
    const lines: string[] = []
    const logger = createLogger('error', (line) => lines.push(line))
    const err = Object.assign(
      new Error("Cannot parse input: expected '\"' before: 'secret prompt'"),
      {
        code: '27',
        type: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
      },
    )
    logger.error({ module: 'store', message: 'insert failed', err })
    expect(lines[0]).not.toContain('secret prompt')
    expect(JSON.parse(lines[0]!).err).toEqual({
      code: '27',
      type: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
      name: 'Error',
    })
  })
})

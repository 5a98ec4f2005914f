import { describe, expect, it } from 'vitest'

import { listRecordings, RECORDINGS_DIR, resolveRecording } from './recordings'

describe('listRecordings', () => {
  it('should describe all 27 recordings from their file names', () => {
    const recordings = listRecordings()

    expect(recordings).toHaveLength(27)
    expect(recordings.filter((r) => r.stream)).toHaveLength(12)
    expect(recordings.find((r) => r.name === 'openai-chat-basic.json')).toEqual({
      name: 'openai-chat-basic.json',
      provider: 'openai',
      endpoint: 'chat.completions',
      stream: false,
      file: `${RECORDINGS_DIR}openai-chat-basic.json`,
    })
    expect(
      recordings.find((r) => r.name === 'azure-openai-chat-stream-reasoning-usage.sse'),
    ).toMatchObject({ provider: 'azure-openai', endpoint: 'chat.completions', stream: true })
    expect(recordings.find((r) => r.name === 'gemini-stream-thinking.sse')).toMatchObject({
      provider: 'gemini',
      endpoint: 'streamGenerateContent',
      stream: true,
    })
  })

  it('should count recordings per provider and endpoint', () => {
    const counts: Record<string, number> = {}
    for (const r of listRecordings()) {
      const key = `${r.provider} ${r.endpoint}`
      counts[key] = (counts[key] ?? 0) + 1
    }

    expect(counts).toEqual({
      'anthropic messages': 9,
      'azure-openai chat.completions': 1,
      'gemini generateContent': 2,
      'gemini streamGenerateContent': 2,
      'openai chat.completions': 7,
      'openai responses': 5,
      'xai chat.completions': 1,
    })
  })
})

describe('resolveRecording', () => {
  it('should throw for a name that is not a recording', () => {
    expect(() => resolveRecording('missing.json')).toThrow(
      'unknown recording "missing.json": expected a file name listed by listRecordings()',
    )
    expect(() => resolveRecording('../package.json')).toThrow('unknown recording')
  })
})

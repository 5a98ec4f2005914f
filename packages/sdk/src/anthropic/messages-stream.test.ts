import { describe, expect, it } from 'vitest'
import { responseParts } from '../llm/outcome'
import { messagesResponseContent } from '../llm/response-content'
import { plainOutcome } from '../test-support/outcomes'
import { readMessage } from './messages'
import { MessagesStreamReader } from './messages-stream'

// A text block and a tool_use block whose input comes as JSON fragments, the events as the
// API sends them. The reader must give what the same message, whole, gives.
function events() {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 40, cache_read_input_tokens: 8, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me ' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'look.' } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} },
    },
    {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"id": ' },
    },
    {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '7}' },
    },
    { type: 'content_block_stop', index: 1 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 25 },
    },
    { type: 'message_stop' },
  ]
}

const whole = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-20250514',
  content: [
    { type: 'text', text: 'Let me look.' },
    { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { id: 7 } },
  ],
  stop_reason: 'tool_use',
  usage: { input_tokens: 40, cache_read_input_tokens: 8, output_tokens: 25 },
}

describe('MessagesStreamReader', () => {
  it('should give the outcome of the same message whole', () => {
    for (const keepContent of [false, true]) {
      const reader = new MessagesStreamReader(keepContent, false)
      for (const event of events()) reader.add(event)
      const expected = readMessage(whole, keepContent)
      // Streamed tool input is kept as the JSON text that came; a whole message has an object.
      if (keepContent) expected.toolCalls[0]!.arguments = '{"id": 7}'

      expect(plainOutcome(reader.outcome())).toEqual(expected)
    }
  })

  it('should keep the message_start usage as it came, whatever the helper changes later', () => {
    const reader = new MessagesStreamReader(false, false)
    const [start, ...rest] = events()
    reader.add(start)
    // MessageStream keeps the message_start message as its snapshot and writes into its usage.
    const usage = (start as { message: { usage: Record<string, number> } }).message.usage
    usage['input_tokens'] = 0
    usage['output_tokens'] = 999
    for (const event of rest.slice(0, 3)) reader.add(event)

    const outcome = reader.outcome()
    expect(outcome.usage?.usage).toMatchObject({ inputTokens: 48, outputTokens: 1 })
    expect(outcome.usageFinal).toBe(false)
  })

  it('should build the response hash parts of the whole message, late', () => {
    const reader = new MessagesStreamReader(false, true)
    for (const event of events()) reader.add(event)
    const content = reader.outcome().responseContent

    expect(content).toBe(reader)
    expect(responseParts(content!)).toEqual(messagesResponseContent(whole))
  })

  it('should read kept deltas against the blocks started when they came', () => {
    const text = (index: number, value: string) => ({
      type: 'content_block_delta',
      index,
      delta: { type: 'text_delta', text: value },
    })
    const start = (index: number) => ({
      type: 'content_block_start',
      index,
      content_block: { type: 'text', text: '' },
    })
    const reader = new MessagesStreamReader(true, true)
    // A delta ahead of its block counts for nothing in the hash; a restarted block starts over.
    for (const event of [start(0), text(0, 'a'), text(1, 'early'), start(1), text(1, 'b')]) {
      reader.add(event)
    }
    for (const event of [start(0), text(0, 'c')]) reader.add(event)

    expect(reader.responseParts()).toEqual([
      { choice: 0, type: 'text', text: 'c' },
      { choice: 0, type: 'text', text: 'b' },
    ])
    expect(reader.outcome().text).toBe('aearlybc')
  })
})

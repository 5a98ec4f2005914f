import { describe, expect, it } from 'vitest'
import { responseParts } from '../llm/outcome'
import { chatResponseContent } from '../llm/response-content'
import { plainOutcome } from '../test-support/outcomes'
import { readChatCompletion } from './chat'
import { ChatStreamReader } from './chat-stream'

// Two choices streamed interleaved: the first answers in text, the second calls a tool whose
// arguments come in fragments. The reader must give what the same completion, whole, gives.
const chunks = [
  {
    id: 'chatcmpl-1',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      { index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null },
      {
        index: 1,
        delta: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              index: 0,
              id: 'call_1',
              type: 'function',
              function: { name: 'lookup', arguments: '' },
            },
          ],
        },
        finish_reason: null,
      },
    ],
    usage: null,
  },
  {
    id: 'chatcmpl-1',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      { index: 1, delta: { tool_calls: [{ index: 0, function: { arguments: '{"id"' } }] } },
      { index: 0, delta: { content: 'lo' }, finish_reason: null },
    ],
  },
  {
    id: 'chatcmpl-1',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 1,
        delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] },
        finish_reason: 'tool_calls',
      },
      { index: 0, delta: {}, finish_reason: 'stop' },
    ],
  },
  {
    id: 'chatcmpl-1',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  },
]

const whole = {
  id: 'chatcmpl-1',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    { index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' },
    {
      index: 1,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":1}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
}

function read(keepContent: boolean, hashContent: boolean): ChatStreamReader {
  const reader = new ChatStreamReader(keepContent, hashContent)
  for (const chunk of chunks) reader.add(chunk)
  return reader
}

describe('ChatStreamReader', () => {
  it('should give the outcome of the same completion whole, choices in index order', () => {
    for (const keepContent of [false, true]) {
      const outcome = read(keepContent, false).outcome()
      const expected = readChatCompletion(whole, keepContent)

      expect(plainOutcome(outcome)).toEqual(expected)
      expect(outcome.finishReasons).toEqual(['stop', 'tool_calls'])
      expect(outcome.toolCalls).toEqual([
        keepContent
          ? { id: 'call_1', name: 'lookup', arguments: '{"id":1}' }
          : { id: 'call_1', name: 'lookup' },
      ])
    }
  })

  it('should build the response hash parts of the whole completion, late', () => {
    const reader = read(false, true)
    const content = reader.outcome().responseContent

    expect(content).toBe(reader)
    expect(responseParts(content!)).toEqual(chatResponseContent(whole))
    expect(responseParts(content!)).toEqual([
      { choice: 0, type: 'text', text: 'Hello' },
      { choice: 1, type: 'tool_call', name: 'lookup', arguments: '{"id":1}' },
    ])
  })

  it('should keep a legacy function_call apart from the tool calls, first in the hash', () => {
    const reader = new ChatStreamReader(true, true)
    reader.add({
      choices: [{ index: 0, delta: { function_call: { name: 'old', arguments: '{}' } } }],
    })
    reader.add({
      choices: [
        { index: 0, delta: { tool_calls: [{ index: 0, id: 'c', function: { name: 'new' } }] } },
      ],
    })

    expect(reader.outcome().toolCalls).toEqual([
      { id: '', name: 'old', arguments: '{}' },
      { id: 'c', name: 'new', arguments: '' },
    ])
    expect(reader.responseParts()).toEqual([
      { choice: 0, type: 'tool_call', name: 'old', arguments: '{}' },
      { choice: 0, type: 'tool_call', name: 'new', arguments: '' },
    ])
  })
})

import { describe, expect, it } from 'vitest'
import {
  CAPTURE_OFF_NOTE,
  NO_CONTENT_NOTE,
  PREVIEW_CHARS,
  prepareSpanContent,
} from './span-content'

const base = { spanId: '00000000000000a1', traceId: 'a1'.repeat(16) }

describe('prepareSpanContent', () => {
  it('should split message lists into parts by role, in reading order of the blocks', () => {
    const model = prepareSpanContent({
      ...base,
      captureContent: true,
      content: [
        {
          key: 'gen_ai.output.messages',
          value: JSON.stringify([
            {
              role: 'assistant',
              parts: [
                { type: 'text', content: 'Hi *there*' },
                { type: 'tool_call', id: 'c1', name: 'lookup', arguments: { id: 1 } },
              ],
            },
          ]),
        },
        { key: 'gen_ai.input.messages', value: '[{"role":"user","content":"Hello"}]' },
        { key: 'gen_ai.tool.call.arguments', value: '{"id":1}' },
        { key: 'input.value', value: 'plain **prompt**' },
      ],
    })
    expect(model).toEqual({
      note: null,
      blocks: [
        {
          key: 'gen_ai.input.messages',
          label: 'Prompt',
          parts: [{ role: 'user', format: 'markdown', text: 'Hello', preview: null }],
        },
        {
          key: 'input.value',
          label: 'Prompt',
          parts: [{ role: null, format: 'markdown', text: 'plain **prompt**', preview: null }],
        },
        {
          key: 'gen_ai.tool.call.arguments',
          label: 'Tool arguments',
          parts: [{ role: null, format: 'text', text: '{\n  "id": 1\n}', preview: null }],
        },
        {
          key: 'gen_ai.output.messages',
          label: 'Completion',
          parts: [
            { role: 'assistant', format: 'markdown', text: 'Hi *there*', preview: null },
            {
              role: 'assistant',
              format: 'text',
              text: JSON.stringify(
                { type: 'tool_call', id: 'c1', name: 'lookup', arguments: { id: 1 } },
                null,
                2,
              ),
              preview: null,
            },
          ],
        },
      ],
    })
  })

  it('should collapse long parts to their first lines', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n')
    const [block] = prepareSpanContent({
      ...base,
      captureContent: true,
      content: [{ key: 'output.value', value: long }],
    }).blocks
    expect(block!.label).toBe('Completion')
    expect(block!.parts[0]!.preview).toBe(
      Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n'),
    )
    const wide = prepareSpanContent({
      ...base,
      captureContent: true,
      content: [{ key: 'output.value', value: 'x'.repeat(PREVIEW_CHARS + 1) }],
    })
    expect(wide.blocks[0]!.parts[0]!.preview).toBe('x'.repeat(PREVIEW_CHARS))
  })

  it('should say why there is nothing: capture off, or nothing captured for this span', () => {
    expect(prepareSpanContent({ ...base, captureContent: false, content: [] })).toEqual({
      blocks: [],
      note: CAPTURE_OFF_NOTE,
    })
    expect(prepareSpanContent({ ...base, captureContent: true, content: [] })).toEqual({
      blocks: [],
      note: NO_CONTENT_NOTE,
    })
  })
})

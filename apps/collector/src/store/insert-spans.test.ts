import { describe, expect, it } from 'vitest'
import { encodeSpanRecords } from './insert-spans'

describe('encodeSpanRecords', () => {
  it("should write each row's values under the first row's columns, whatever its key order", () => {
    const encoded = encodeSpanRecords([
      { span_id: 'a', name: 'chat', attributes: { 'app.note': 'línea\nnueva ✓' } },
      { name: 'tool', span_id: 'b', attributes: {} },
      { span_id: 'c', attributes: { k: 'v' } },
      { span_id: 'd', name: 'quote " and \\', attributes: {}, extra: 1 },
    ])
    expect(encoded.columns).toEqual(['span_id', 'name', 'attributes'])
    expect(encoded.rows).toBe(4)
    expect(encoded.lines.toString('utf8').split('\n')).toEqual([
      '["a","chat",{"app.note":"línea\\nnueva ✓"}]',
      '["b","tool",{}]',
      '["c",null,{"k":"v"}]',
      '["d","quote \\" and \\\\",{}]',
      '',
    ])
  })
})

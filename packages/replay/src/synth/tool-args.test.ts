import { describe, expect, it } from 'vitest'

import { toolArguments } from './tool-args'

const zero = () => 0

describe('toolArguments', () => {
  it('should fill required properties with values drawn from the context', () => {
    const schema = {
      type: 'object',
      properties: {
        customer_id: { type: 'string' },
        url: { type: 'string' },
        path: { type: 'string' },
        query: { type: 'string' },
        priority: { type: 'string', enum: ['low', 'high'] },
        limit: { type: 'integer', minimum: 3, maximum: 5 },
        exact: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        ignored: { type: 'string' },
      },
      required: ['customer_id', 'url', 'path', 'query', 'priority', 'limit', 'exact', 'tags'],
    }
    const context = 'Customer CUST-7 cites https://example.com/a and src/app/main.ts today'

    expect(toolArguments(schema, context, zero)).toEqual({
      customer_id: 'CUST-7',
      url: 'https://example.com/a',
      path: 'src/app/main.ts',
      query: 'Customer CUST-7 cites https://example.com/a and src/app/main.ts today',
      priority: 'low',
      limit: 3,
      exact: true,
      tags: ['Customer CUST-7 cites https://example.com/a and src/app/main.ts today'],
    })
  })

  it('should fill every property when none is required, with fallbacks for a bare context', () => {
    const schema = {
      type: 'object',
      properties: { order_id: { type: 'string' }, link: { type: 'string' }, file: {} },
    }

    expect(toolArguments(schema, '', zero)).toEqual({
      order_id: 'order_id_000000',
      link: 'https://example.com/000000',
      file: 'README.md',
    })
  })

  it('should give an empty object for a missing or non-object schema', () => {
    expect(toolArguments(undefined, 'hello', zero)).toEqual({})
    expect(toolArguments({ type: 'string' }, 'hello', zero)).toEqual({})
  })
})

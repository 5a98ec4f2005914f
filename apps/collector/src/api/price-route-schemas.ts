import type { JsonSchema, RouteSpec } from './route-schemas'
import { isoTime, RANGE } from './schema-parts'

const PRICE_ENTRY: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { enum: ['model', 'tool', 'deployment'] },
    provider: { type: 'string', description: "Provider it applies to; '' for any" },
    name: { type: 'string', description: 'Model name, tool name, or deployment name' },
    baseModel: { type: 'string', description: 'For deployments: the base model they run' },
    effectiveFrom: { ...isoTime, description: 'Wins over the catalog for calls from this time on' },
    inputMtok: { type: ['string', 'null'], description: 'USD per million input tokens' },
    outputMtok: { type: ['string', 'null'] },
    cacheReadMtok: { type: ['string', 'null'] },
    cacheWriteMtok: { type: ['string', 'null'] },
    cacheWrite1hMtok: { type: ['string', 'null'] },
    perCallUsd: { type: ['string', 'null'], description: 'Fee per call (tools; models: on top)' },
    note: { type: 'string' },
    createdAt: isoTime,
  },
}

/** Routes of the price book, the unpriced report and reprice. */
export const PRICE_ROUTES = {
  listPrices: {
    method: 'get',
    path: '/api/v1/prices',
    summary: "The project's custom model prices, tool prices and deployment map",
    auth: 'key',
    query: [],
    response: { type: 'object', properties: { prices: { type: 'array', items: PRICE_ENTRY } } },
  },
  createPrice: {
    method: 'post',
    path: '/api/v1/prices',
    summary: 'Add a custom model price, a tool price or a deployment (admin scope)',
    auth: 'key',
    body: {
      type: 'object',
      properties: {
        kind: { enum: ['model', 'tool', 'deployment'], description: 'Default model' },
        provider: { type: 'string' },
        model: { type: 'string', description: 'kind model: the model name' },
        toolName: { type: 'string', description: 'kind tool: the tool name' },
        deployment: { type: 'string', description: 'kind deployment: deployment or profile' },
        baseModel: { type: 'string' },
        effectiveFrom: isoTime,
        inputMtok: { type: ['string', 'number'] },
        outputMtok: { type: ['string', 'number'] },
        cacheReadMtok: { type: ['string', 'number'] },
        cacheWriteMtok: { type: ['string', 'number'] },
        cacheWrite1hMtok: { type: ['string', 'number'] },
        perCallUsd: { type: ['string', 'number'] },
        note: { type: 'string' },
      },
    },
    response: { type: 'object', properties: { price: PRICE_ENTRY } },
  },
  deletePrice: {
    method: 'delete',
    path: '/api/v1/prices/{id}',
    summary: 'Remove a price book entry (admin scope)',
    auth: 'key',
    pathParams: [
      { name: 'id', description: 'Entry id', schema: { type: 'string' }, required: true },
    ],
    response: { type: 'object', properties: { deleted: { type: 'string' } } },
  },
  unpriced: {
    method: 'get',
    path: '/api/v1/unpriced',
    summary: 'Model calls without a price in a range, by model, with their share of calls',
    auth: 'key',
    query: [...RANGE],
    response: {
      type: 'object',
      properties: {
        totalCalls: { type: 'integer' },
        unpricedCalls: { type: 'integer' },
        unpricedShare: { type: 'number' },
        models: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              provider: { type: 'string' },
              model: { type: 'string' },
              calls: { type: 'integer' },
              share: { type: 'number' },
              reason: { type: 'string' },
              firstSeen: isoTime,
              lastSeen: isoTime,
            },
          },
        },
      },
    },
  },
  reprice: {
    method: 'post',
    path: '/api/v1/reprice',
    summary: 'Price the stored spans of a range again (idempotent; admin scope)',
    auth: 'key',
    body: {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: isoTime, to: isoTime, model: { type: 'string' } },
    },
    response: {
      type: 'object',
      properties: { scanned: { type: 'integer' }, changed: { type: 'integer' } },
    },
  },
} satisfies Record<string, RouteSpec>

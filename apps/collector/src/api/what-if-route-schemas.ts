import type { JsonSchema, RouteSpec } from './route-schemas'

/** Spec of the what-if route, merged into `ROUTES` (and so into /api/v1/openapi.json). */

const SUMMARY: JsonSchema = {
  type: 'object',
  properties: {
    totalCostUsd: { type: 'number' },
    tasks: { type: 'integer' },
    costPerTaskUsd: { type: ['number', 'null'] },
    p50TaskCostUsd: { type: ['number', 'null'], description: 'Nearest-rank median task cost' },
    p95TaskCostUsd: { type: ['number', 'null'] },
  },
}

const ACCEPTED: JsonSchema = {
  type: 'object',
  required: ['taskName', 'step', 'currentModel', 'suggestedModel'],
  properties: {
    taskName: { type: 'string', minLength: 1 },
    step: { type: 'string', minLength: 1 },
    currentModel: { type: 'string', minLength: 1, description: 'Requested or served model' },
    suggestedModel: { type: 'string', minLength: 1 },
    suggestedProvider: {
      type: 'string',
      description: 'Provider of the suggested model; resolved from its name when absent',
    },
    outputRatio: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 100,
      description: 'Suggested/current output length; projected output = output × ratio (default 1)',
    },
  },
}

export const WHAT_IF_ROUTES = {
  recommendationsWhatIf: {
    method: 'post',
    path: '/api/v1/recommendations/what-if',
    summary:
      'Reprice the last days as if the accepted model switches had been made: cost per task before and after',
    auth: 'key',
    body: {
      type: 'object',
      required: ['accepted'],
      properties: {
        accepted: { type: 'array', maxItems: 200, items: ACCEPTED },
        days: { type: 'integer', minimum: 1, maximum: 90, description: 'Window (default 30)' },
      },
    },
    response: {
      type: 'object',
      properties: {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
        current: SUMMARY,
        projected: SUMMARY,
        byTaskName: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              taskName: { type: 'string' },
              tasks: { type: 'integer' },
              currentCostPerTaskUsd: { type: 'number' },
              projectedCostPerTaskUsd: { type: 'number' },
              currentTotalUsd: { type: 'number' },
              projectedTotalUsd: { type: 'number' },
              unpricedCalls: {
                type: 'integer',
                description: 'Unpriced calls of these tasks, in neither total',
              },
            },
          },
        },
        switches: {
          type: 'array',
          description: 'Per accepted switch, in request order: the calls it repriced',
          items: {
            type: 'object',
            properties: {
              taskName: { type: 'string' },
              step: { type: 'string' },
              currentModel: { type: 'string' },
              suggestedModel: { type: 'string' },
              calls: { type: 'integer' },
              currentCostUsd: { type: 'number' },
              projectedCostUsd: { type: 'number' },
            },
          },
        },
        unpricedCalls: {
          type: 'integer',
          description: 'LLM calls without a price, in neither total',
        },
        unpricedOnlyTasks: {
          type: 'integer',
          description:
            'Tasks none of whose calls could be priced: unknown spend, left out of every figure',
        },
      },
    },
  },
} satisfies Record<string, RouteSpec>

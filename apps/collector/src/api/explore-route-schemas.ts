import type { JsonSchema, QueryParamSpec, RouteSpec } from './route-schemas'
import { EXPLORE_FILTERS, isoTime, RANGE } from './schema-parts'

/** Schemas of the Overview, Showback, Regressions and dimension-settings routes. */

const EXPLORE_QUERY: QueryParamSpec[] = [...RANGE, ...EXPLORE_FILTERS]
const nullableNumber = { type: ['number', 'null'] }

/** A row's priced spend (null when none of its calls could be priced) and its unpriced calls. */
const pricedSpend = {
  costUsd: { ...nullableNumber, description: 'Priced spend; null when no call could be priced' },
  unpricedCalls: { type: 'integer', description: 'Calls without a price, missing from costUsd' },
}
const period = { type: 'object', properties: { from: isoTime, to: isoTime } }

const MAPPING: JsonSchema = {
  type: 'object',
  properties: {
    dimension: { enum: ['team', 'customer', 'feature'] },
    source: {
      enum: ['span', 'resource', 'any'],
      description: 'Where the attribute is read; `any` tries the span, then its resource',
    },
    attributeKey: { type: ['string', 'null'], description: 'null = not mapped' },
  },
}

const GROUP_FIGURES: JsonSchema = {
  type: ['object', 'null'],
  properties: {
    group: { type: 'string' },
    tasks: { type: 'integer' },
    callsPerTask: nullableNumber,
    inputTokensPerCall: nullableNumber,
    cacheHitShare: nullableNumber,
    topModel: { type: ['string', 'null'] },
  },
}

export const EXPLORE_ROUTES = {
  overview: {
    method: 'get',
    path: '/api/v1/overview',
    summary: 'Spend today, month to date and forecast; per-task figures and top lists of a range',
    auth: 'key',
    query: EXPLORE_QUERY,
    response: {
      type: 'object',
      properties: {
        range: period,
        todayUsd: {
          ...nullableNumber,
          description: 'Priced spend; null when no call today could be priced',
        },
        monthToDateUsd: {
          ...nullableNumber,
          description: 'Priced spend; null when no call of the month could be priced',
        },
        todayUnpricedCalls: {
          type: 'integer',
          description: 'Calls today without a price, missing from todayUsd',
        },
        monthToDateUnpricedCalls: {
          type: 'integer',
          description: 'Calls this month without a price, missing from monthToDateUsd',
        },
        forecast: {
          type: 'object',
          properties: {
            method: { type: 'string' },
            costUsd: {
              ...nullableNumber,
              description: 'null without a run rate, or when no call of its days could be priced',
            },
            unpricedCalls: {
              type: 'integer',
              description:
                'Calls without a price on the days the forecast is made of (month to date and the measured days)',
            },
            lowUsd: nullableNumber,
            highUsd: nullableNumber,
            runRateUsdPerDay: nullableNumber,
            daysMeasured: { type: 'integer' },
            daysRemaining: { type: 'number' },
            month: { type: 'string' },
          },
        },
        costUsd: { ...nullableNumber, description: 'null when nothing could be priced' },
        tasks: { type: 'integer' },
        successfulTasks: { type: 'integer' },
        unpricedOnlyTasks: {
          type: 'integer',
          description: 'Tasks none of whose calls could be priced: left out of both per-task costs',
        },
        unpricedOnlySuccessfulTasks: {
          type: 'integer',
          description: 'Of those, the successes: left out of cost per successful task',
        },
        costPerTaskUsd: { ...nullableNumber, description: 'Over the tasks with a known spend' },
        costPerSuccessfulTaskUsd: {
          ...nullableNumber,
          description: 'The known spend per success of a task with a known spend',
        },
        tasksPerDay: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              day: { type: 'string' },
              tasks: { type: 'integer' },
              successfulTasks: { type: 'integer' },
              ...pricedSpend,
            },
          },
        },
        topTaskTypes: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, tasks: { type: 'integer' }, ...pricedSpend },
          },
        },
        topModels: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              provider: { type: 'string' },
              model: { type: 'string' },
              calls: { type: 'integer' },
              ...pricedSpend,
            },
          },
        },
        unpriced: {
          type: 'object',
          properties: {
            calls: { type: 'integer' },
            totalCalls: { type: 'integer' },
            share: nullableNumber,
          },
        },
      },
    },
  },
  showback: {
    method: 'get',
    path: '/api/v1/showback',
    summary: 'Spend by team, customer, feature, environment or service',
    auth: 'key',
    query: [
      ...EXPLORE_QUERY,
      {
        name: 'groupBy',
        description: 'The dimension (default team)',
        schema: { enum: ['team', 'customer', 'feature', 'environment', 'service'] },
      },
      {
        name: 'split',
        description: '`month`: one row per (month, value), the monthly report',
        schema: { enum: ['month'] },
      },
    ],
    response: {
      type: 'object',
      properties: {
        dimension: { type: 'string' },
        mapping: { type: ['object', 'null'], description: 'null when the dimension is unmapped' },
        totalCostUsd: { ...nullableNumber, description: 'null when nothing could be priced' },
        totalTasks: { type: 'integer' },
        rows: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              key: { type: 'string', description: "'' = tasks without the attribute" },
              month: { type: 'string' },
              tasks: { type: 'integer' },
              ...pricedSpend,
              share: nullableNumber,
            },
          },
        },
      },
    },
  },
  regressions: {
    method: 'get',
    path: '/api/v1/regressions',
    summary: 'Cost per task type against the previous period or release, with the change explained',
    auth: 'key',
    query: [
      ...EXPLORE_QUERY,
      {
        name: 'compare',
        description: '`period` (default): the range against the one before it; `version`: releases',
        schema: { enum: ['period', 'version'] },
      },
      {
        name: 'versionAttribute',
        description: 'Span or resource attribute naming the release (default service.version)',
        schema: { type: 'string' },
      },
    ],
    response: {
      type: 'object',
      properties: {
        compare: { enum: ['period', 'version'] },
        method: { type: 'string' },
        current: period,
        previous: { ...period, type: ['object', 'null'] },
        versionAttribute: { type: ['string', 'null'] },
        rows: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              taskName: { type: 'string' },
              current: GROUP_FIGURES,
              baseline: GROUP_FIGURES,
              costPerTaskUsd: { type: 'number' },
              baselineCostPerTaskUsd: nullableNumber,
              changeUsd: nullableNumber,
              changeShare: nullableNumber,
              parts: {
                type: ['object', 'null'],
                description: 'Add up to changeUsd',
                properties: Object.fromEntries(
                  [
                    'callsPerTask',
                    'modelMix',
                    'promptLength',
                    'cacheHits',
                    'outputAndOther',
                    'toolFees',
                  ].map((name) => [name, { type: 'number' }]),
                ),
              },
            },
          },
        },
      },
    },
  },
  getDimensions: {
    method: 'get',
    path: '/api/v1/settings/dimensions',
    summary: 'The attribute each showback dimension is read from',
    auth: 'key',
    query: [],
    response: {
      type: 'object',
      properties: {
        dimensions: { type: 'array', items: MAPPING },
        builtin: { type: 'array', items: { type: 'object' } },
      },
    },
  },
  putDimensions: {
    method: 'put',
    path: '/api/v1/settings/dimensions',
    summary: 'Map showback dimensions to span or resource attributes (admin scope)',
    auth: 'key',
    body: {
      type: 'object',
      required: ['dimensions'],
      properties: { dimensions: { type: 'array', items: MAPPING } },
    },
    response: {
      type: 'object',
      properties: { dimensions: { type: 'array', items: MAPPING } },
    },
  },
} satisfies Record<string, RouteSpec>

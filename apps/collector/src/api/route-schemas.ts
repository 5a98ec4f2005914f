import { ALERT_ROUTES } from './alert-route-schemas'
import { CONTENT_ROUTES } from './content-route-schemas'
import { SPOOL_ROUTES } from './spool-route-schemas'
import { EXPLORE_ROUTES } from './explore-route-schemas'
import { PRICE_ROUTES } from './price-route-schemas'
import { SETTINGS_ROUTES } from './settings-route-schemas'
import { RECOMMENDATION_ROUTES } from './recommendation-route-schemas'
import { WHAT_IF_ROUTES } from './what-if-route-schemas'
import { EXPLORE_FILTERS, EXPLORE_SPAN_FILTERS, isoTime, RANGE } from './schema-parts'

/**
 * The JSON API's routes as data: their parameters and response shapes in JSON Schema. The
 * routes validate their query strings through these specs (`parseQuery`), and
 * `/api/v1/openapi.json` is rendered from the same objects, so the document cannot drift from
 * what the server accepts.
 */

export type JsonSchema = Record<string, unknown>

export interface QueryParamSpec {
  name: string
  description: string
  schema: JsonSchema
  required?: boolean
}

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** OpenAPI path, with `{param}` placeholders. */
  path: string
  summary: string
  /** Longer notes for the document (rules a client must know, e.g. how money is counted). */
  description?: string
  query?: QueryParamSpec[]
  pathParams?: QueryParamSpec[]
  body?: JsonSchema
  response: JsonSchema
  /** `admin` routes take the instance admin token; `session` routes are the sign-in flow. */
  auth: 'key' | 'admin' | 'session'
}

const money = {
  type: ['number', 'null'],
  description: 'USD; null when nothing in it could be priced',
}

const usage = {
  type: ['object', 'null'],
  description: 'Token usage in the OTel convention; null when the provider reported none',
  properties: {
    inputTokens: { type: 'integer', description: 'All input, cache reads and writes included' },
    outputTokens: { type: 'integer', description: 'All output, reasoning included' },
    cacheReadTokens: { type: 'integer' },
    cacheWriteTokens: { type: 'integer' },
    reasoningTokens: { type: 'integer' },
  },
}

export const TASK_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    taskId: { type: 'string' },
    name: { type: 'string' },
    startTime: isoTime,
    endTime: isoTime,
    costUsd: money,
    unpricedCalls: { type: 'integer' },
    llmCalls: { type: 'integer' },
    toolCalls: { type: 'integer' },
    inputTokens: { type: 'integer', description: 'Over the calls whose usage is known' },
    outputTokens: { type: 'integer', description: 'Over the calls whose usage is known' },
    callsWithoutUsage: {
      type: 'integer',
      description:
        'Model calls whose provider reported no usage: their tokens are unknown, missing from the sums',
    },
    outcome: { enum: ['success', 'failure', ''] },
  },
}

/** The task of `GET /api/v1/tasks/{taskId}`: the list's fields and the task's score. */
const TASK_DETAIL_SCHEMA: JsonSchema = {
  ...TASK_SCHEMA,
  properties: {
    ...(TASK_SCHEMA.properties as Record<string, JsonSchema>),
    score: {
      type: ['number', 'null'],
      description:
        'agentmeter.task.score as recorded on the task root (meant to be in [0, 1]); null when none was',
    },
  },
}

const SPAN_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    spanId: { type: 'string' },
    parentSpanId: { type: 'string' },
    traceId: { type: 'string' },
    name: { type: 'string' },
    kind: { enum: ['task', 'agent', 'llm', 'tool', 'embedding', 'other'] },
    step: { type: 'string' },
    provider: { type: 'string' },
    model: { type: 'string' },
    usage,
    costUsd: money,
    priced: { type: 'boolean' },
    priceReason: { type: 'string' },
    priceSource: { type: 'string' },
    usageNotes: {
      type: 'array',
      items: { type: 'string' },
      description: 'What was wrong with the reported usage and how it was read',
    },
    startTime: isoTime,
    endTime: isoTime,
    status: { enum: ['unset', 'ok', 'error'] },
    statusMessage: { type: 'string' },
    toolName: { type: 'string' },
  },
}

export const ROUTES = {
  listTasks: {
    method: 'get',
    path: '/api/v1/tasks',
    summary: 'Tasks in a time range, newest first, a page at a time',
    description:
      'The order is start time descending, then task id. Without a cursor: the first page. ' +
      'With the nextCursor of a page: the tasks after its last row (tasks stored meanwhile ' +
      'do not shift rows between pages). A cursor is opaque; the range and filters still apply.',
    auth: 'key',
    query: [
      ...RANGE,
      { name: 'name', description: 'Only tasks of this task name', schema: { type: 'string' } },
      ...EXPLORE_SPAN_FILTERS,
      {
        name: 'limit',
        description: 'At most this many tasks (default 100)',
        schema: { type: 'integer', minimum: 1, maximum: 1000 },
      },
      {
        name: 'cursor',
        description: 'The nextCursor of the previous page: this page starts after its last row',
        schema: { type: 'string' },
      },
    ],
    response: {
      type: 'object',
      properties: {
        tasks: { type: 'array', items: TASK_SCHEMA },
        nextCursor: {
          type: ['string', 'null'],
          description: 'The cursor of the next page; null when this page is the last',
        },
      },
    },
  },
  getTask: {
    method: 'get',
    path: '/api/v1/tasks/{taskId}',
    summary: 'One task and its spans',
    auth: 'key',
    pathParams: [
      { name: 'taskId', description: 'Task id', schema: { type: 'string' }, required: true },
    ],
    query: [
      { ...RANGE[0]!, description: 'Start of the search range; default 90 days ago' },
      RANGE[1]!,
    ],
    response: {
      type: 'object',
      properties: { task: TASK_DETAIL_SCHEMA, spans: { type: 'array', items: SPAN_SCHEMA } },
    },
  },
  costs: {
    method: 'get',
    path: '/api/v1/costs',
    summary: 'Spend and cost-per-task percentiles, grouped',
    auth: 'key',
    query: [
      ...RANGE,
      {
        name: 'groupBy',
        description: 'Dimension of the rows (default task_name)',
        schema: { enum: ['task_name', 'model', 'provider', 'day', 'hour'] },
      },
      {
        name: 'split',
        description: 'Second dimension: one row per (key, series)',
        schema: { enum: ['task_name', 'model', 'provider'] },
      },
      { name: 'name', description: 'Only tasks of this task name', schema: { type: 'string' } },
      ...EXPLORE_SPAN_FILTERS,
    ],
    response: {
      type: 'object',
      properties: {
        rows: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              key: { type: 'string' },
              series: { type: 'string' },
              costUsd: {
                type: ['number', 'null'],
                description: 'Priced spend; null when none of the calls could be priced',
              },
              unpricedCalls: {
                type: 'integer',
                description:
                  "Unpriced model calls: of the group's tasks; for model / provider, the row's own calls",
              },
              tasks: { type: 'integer' },
              successfulTasks: { type: 'integer' },
              unpricedOnlyTasks: {
                type: 'integer',
                description:
                  'Tasks of the row with no known spend in it (every call unpriced): left out of the percentiles and cost per successful task',
              },
              unpricedOnlySuccessfulTasks: {
                type: 'integer',
                description: 'Of those, the successes',
              },
              p50TaskCostUsd: { type: ['number', 'null'] },
              p95TaskCostUsd: { type: ['number', 'null'] },
              costPerSuccessfulTaskUsd: {
                type: ['number', 'null'],
                description: 'Known spend per success of a task with a known spend',
              },
            },
          },
        },
      },
    },
  },
  hotspots: {
    method: 'get',
    path: '/api/v1/hotspots',
    summary: 'Money spent on repeated work, ranked by dollars wasted',
    description:
      'Each wasted dollar is counted once. Exact duplicates, near duplicates and loop decisions ' +
      'price an LLM call whole, in that order of precedence; a call one of them priced is not ' +
      'priced again by a later cause (re-read tool tokens, missed prompt cache, cache breaker). ' +
      'The Explore filters select tasks as on every read route; spend and waste are those of ' +
      'the selected tasks.',
    auth: 'key',
    query: [
      ...RANGE,
      ...EXPLORE_FILTERS,
      {
        name: 'duplicateWindowSeconds',
        description: 'Exact duplicates across tasks count within this window (default 3600)',
        schema: { type: 'integer', minimum: 0, maximum: 2592000 },
      },
      {
        name: 'examples',
        description: 'Example task and span ids per hotspot (default 5)',
        schema: { type: 'integer', minimum: 1, maximum: 100000 },
      },
    ],
    response: {
      type: 'object',
      properties: {
        totalWastedUsd: {
          type: 'number',
          description: 'Exact sum of the hotspots (Decimal and pico-dollar integers throughout)',
        },
        totalSpendUsd: { type: 'number', description: 'Priced spend of the range' },
        wastedShare: {
          type: ['number', 'null'],
          description: 'Wasted share of all priced spend, rounded down to six decimals',
        },
        hotspots: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              cause: {
                enum: [
                  'duplicate_llm_call',
                  'repeated_tool_call',
                  'missed_prompt_cache',
                  'near_duplicate_prompt',
                  'loop',
                ],
              },
              taskName: { type: 'string' },
              step: { type: 'string' },
              model: { type: 'string' },
              tool: { type: 'string' },
              occurrences: { type: 'integer' },
              wastedUsd: { type: 'number' },
              exampleTaskIds: { type: 'array', items: { type: 'string' } },
              detail: { type: 'string', description: 'Finer cause, e.g. system, tools, history' },
              shareOfSpend: {
                type: ['number', 'null'],
                description: 'Share of all priced spend, rounded down to six decimals',
              },
              exampleSpanIds: { type: 'array', items: { type: 'string' } },
              examples: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { taskId: { type: 'string' }, spanId: { type: 'string' } },
                },
              },
              trend: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { day: { type: 'string' }, wastedUsd: { type: 'number' } },
                },
              },
              fix: { type: 'string', description: 'One sentence on what to change' },
            },
          },
        },
      },
    },
  },
  createSession: {
    method: 'post',
    path: '/api/v1/session',
    summary: 'Sign the dashboard in with a project key (sets an HttpOnly cookie)',
    auth: 'session',
    body: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
    response: { type: 'object', properties: { project: { type: 'object' } } },
  },
  getSession: {
    method: 'get',
    path: '/api/v1/session',
    summary: 'The signed-in project, or 401',
    auth: 'session',
    response: { type: 'object', properties: { project: { type: 'object' } } },
  },
  deleteSession: {
    method: 'delete',
    path: '/api/v1/session',
    summary: 'Sign out',
    auth: 'session',
    response: { type: 'object' },
  },
  createProject: {
    method: 'post',
    path: '/api/v1/admin/projects',
    summary: 'Create a project and a key with every scope',
    auth: 'admin',
    body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    response: {
      type: 'object',
      properties: {
        project: { type: 'object' },
        key: { type: 'string' },
        prefix: { type: 'string' },
      },
    },
  },
  createKey: {
    method: 'post',
    path: '/api/v1/admin/keys',
    summary: 'Create a key for a project',
    auth: 'admin',
    body: {
      type: 'object',
      required: ['project', 'scopes'],
      properties: {
        project: { type: 'string' },
        scopes: { type: 'array', items: { enum: ['ingest', 'read', 'admin'] } },
      },
    },
    response: {
      type: 'object',
      properties: { key: { type: 'string' }, prefix: { type: 'string' } },
    },
  },
  listKeys: {
    method: 'get',
    path: '/api/v1/admin/keys',
    summary: 'The keys of the instance or of one project, oldest first (never a key or its hash)',
    auth: 'admin',
    query: [
      {
        name: 'project',
        description: 'Only the keys of the project of this name (404 when there is none)',
        schema: { type: 'string' },
      },
    ],
    response: {
      type: 'object',
      properties: {
        keys: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              prefix: { type: 'string', description: 'The first characters of the key: its id' },
              project: {
                type: 'object',
                properties: { id: { type: 'string' }, name: { type: 'string' } },
              },
              scopes: { type: 'array', items: { enum: ['ingest', 'read', 'admin'] } },
              createdAt: { type: 'string', format: 'date-time' },
              revoked: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
  revokeKey: {
    method: 'delete',
    path: '/api/v1/admin/keys/{prefix}',
    summary: 'Revoke the keys with this prefix, at once on every route and dashboard session',
    auth: 'admin',
    pathParams: [
      { name: 'prefix', description: 'Key prefix', schema: { type: 'string' }, required: true },
    ],
    query: [
      {
        name: 'project',
        description:
          'Only a key of the project of this name: another project’s key answers 404, as one that does not exist',
        schema: { type: 'string' },
      },
    ],
    response: { type: 'object', properties: { revoked: { type: 'integer' } } },
  },
  doctor: {
    method: 'get',
    path: '/api/v1/admin/doctor',
    summary: "Run agentmeter doctor's checks on this collector's store",
    auth: 'admin',
    response: {
      type: 'object',
      properties: {
        checks: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              ok: { type: 'boolean' },
              detail: { type: 'string' },
            },
          },
        },
      },
    },
  },
  ...SPOOL_ROUTES,
  ...ALERT_ROUTES,
  ...PRICE_ROUTES,
  ...SETTINGS_ROUTES,
  ...CONTENT_ROUTES,
  ...RECOMMENDATION_ROUTES,
  ...WHAT_IF_ROUTES,
  ...EXPLORE_ROUTES,
} satisfies Record<string, RouteSpec>

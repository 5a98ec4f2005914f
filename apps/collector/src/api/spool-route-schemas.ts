import type { JsonSchema, RouteSpec } from './route-schemas'

const STATUS: Record<string, JsonSchema> = {
  batches: { type: 'integer', description: 'Batches in the spool, waiting for ClickHouse' },
  bytes: { type: 'integer' },
  quarantined: {
    type: 'object',
    description: 'Batches ClickHouse refused for their content, set aside until re-driven',
    properties: { batches: { type: 'integer' }, bytes: { type: 'integer' } },
  },
}

/** Instance admin routes of the collector's local spool. */
export const SPOOL_ROUTES = {
  getSpool: {
    method: 'get',
    path: '/api/v1/admin/spool',
    summary: "This collector's spool and its quarantined batches, with ClickHouse's errors",
    auth: 'admin',
    query: [],
    response: {
      type: 'object',
      properties: {
        ...STATUS,
        quarantine: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              file: { type: 'string' },
              seq: { type: 'integer' },
              owner: { type: 'string', description: 'Prefix of the key that sent the batch' },
              bytes: { type: 'integer' },
              spans: { type: 'integer' },
              attempts: { type: 'integer' },
              quarantinedAt: { type: 'string', format: 'date-time' },
              error: {
                type: 'object',
                properties: {
                  code: { type: 'string' },
                  type: { type: 'string' },
                  name: { type: 'string' },
                  message: {
                    type: 'string',
                    description: "ClickHouse's message, which may quote span data",
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  redriveSpool: {
    method: 'post',
    path: '/api/v1/admin/spool/redrive',
    summary: 'Put every quarantined batch back in the spool, to be replayed (after a fix)',
    auth: 'admin',
    response: {
      type: 'object',
      properties: { redriven: { type: 'integer' }, ...STATUS },
    },
  },
} satisfies Record<string, RouteSpec>

import type { QueryParamSpec } from './route-schemas'

/** Schema pieces that several route groups share (kept apart so route files do not cycle). */
export const isoTime = { type: 'string', format: 'date-time' }

export const RANGE: QueryParamSpec[] = [
  {
    name: 'from',
    description: 'Start of the range (ISO 8601); default 7 days before `to`',
    schema: isoTime,
  },
  { name: 'to', description: 'End of the range (ISO 8601); default now', schema: isoTime },
]

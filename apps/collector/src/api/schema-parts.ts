import type { QueryParamSpec } from './route-schemas'

/** Schema pieces that several route groups share (kept apart so route files do not cycle). */
export const isoTime = { type: 'string', format: 'date-time' }

export const RANGE: QueryParamSpec[] = [
  {
    name: 'from',
    description:
      'Start of the range (ISO 8601, from 1900-01-01T00:00:00Z to 2262-04-11T23:47:16.854Z); default 7 days before `to`',
    schema: isoTime,
  },
  {
    name: 'to',
    description: 'End of the range (ISO 8601, within the same bounds as `from`); default now',
    schema: isoTime,
  },
]

/** The Explore filters beside the task name (see `store/queries/explore/filters.ts`). */
export const EXPLORE_SPAN_FILTERS: QueryParamSpec[] = [
  {
    name: 'environment',
    description: 'Only tasks with a span of this deployment.environment.name',
    schema: { type: 'string' },
  },
  {
    name: 'service',
    description: 'Only tasks with a span of this service.name',
    schema: { type: 'string' },
  },
  { name: 'step', description: 'Only tasks with a span of this step', schema: { type: 'string' } },
  {
    name: 'model',
    description: 'Only tasks with a call to this model (served, else requested)',
    schema: { type: 'string' },
  },
  {
    name: 'provider',
    description: 'Only tasks with a call to this provider',
    schema: { type: 'string' },
  },
  {
    name: 'tag',
    description: 'Only tasks with a span or resource attribute key=value, e.g. team=support',
    schema: { type: 'string' },
  },
]

/** Task name and the span filters: what the Explore bar sends to every read route. */
export const EXPLORE_FILTERS: QueryParamSpec[] = [
  { name: 'name', description: 'Only tasks of this task name', schema: { type: 'string' } },
  ...EXPLORE_SPAN_FILTERS,
]

import { HttpError } from '../../../errors'

/**
 * The Explore filters every dashboard page and the read routes share. Filters select tasks: a
 * task is in when it has the task name, and one of its spans matches every span-level filter at
 * once (environment, service, step, model, provider, tag). A task's spend is then counted whole,
 * so "model = gpt-4o" reads "the tasks that called gpt-4o", not "the dollars spent on gpt-4o".
 */
export interface ExploreFilters {
  /** Task name (`agentmeter.task.name` or the foreign root's name). */
  name?: string
  /** `deployment.environment.name` of a span's resource. */
  environment?: string
  /** `service.name` of a span's resource. */
  service?: string
  /** `agentmeter.step.name`. */
  step?: string
  /** Served model, else the requested one. */
  model?: string
  provider?: string
  /** A span or resource attribute with this exact string value. */
  tag?: { key: string; value: string }
}

/** The query parameters that carry the filters, besides `from` / `to`. */
export const EXPLORE_PARAM_NAMES = [
  'name',
  'environment',
  'service',
  'step',
  'model',
  'provider',
  'tag',
] as const

/** A piece of SQL and the values of its `{name:Type}` placeholders (never spliced in). */
export interface SqlFragment {
  sql: string
  params: Record<string, string>
}

/** Reads the filters from validated query values; `tag` must be `key=value`. */
export function parseExploreFilters(
  query: Record<string, string | number | undefined>,
): ExploreFilters {
  const text = (name: string): string | undefined => {
    const value = query[name]
    return value === undefined || value === '' ? undefined : String(value)
  }
  const filters: ExploreFilters = {}
  for (const name of ['name', 'environment', 'service', 'step', 'model', 'provider'] as const) {
    const value = text(name)
    if (value !== undefined) filters[name] = value
  }
  const tag = text('tag')
  if (tag !== undefined) filters.tag = parseTag(tag)
  return filters
}

function parseTag(raw: string): { key: string; value: string } {
  const equals = raw.indexOf('=')
  if (equals <= 0) {
    throw new HttpError(
      400,
      `tag must be an attribute key and value such as team=support, got ${JSON.stringify(raw)}`,
    )
  }
  return { key: raw.slice(0, equals), value: raw.slice(equals + 1) }
}

const MODEL_SQL = `if(response_model != '', response_model, request_model)`

/** Conditions on one span row for the span-level filters (empty when there are none). */
export function spanConditions(filters: ExploreFilters): SqlFragment {
  const parts: string[] = []
  const params: Record<string, string> = {}
  const add = (sql: string, name: string, value: string | undefined) => {
    if (value === undefined) return
    parts.push(sql)
    params[name] = value
  }
  add('environment = {exploreEnvironment:String}', 'exploreEnvironment', filters.environment)
  add('service_name = {exploreService:String}', 'exploreService', filters.service)
  add('step = {exploreStep:String}', 'exploreStep', filters.step)
  add(`${MODEL_SQL} = {exploreModel:String}`, 'exploreModel', filters.model)
  add('provider = {exploreProvider:String}', 'exploreProvider', filters.provider)
  if (filters.tag) {
    parts.push(
      `(attributes[{exploreTagKey:String}] = {exploreTagValue:String}
        OR resource_attributes[{exploreTagKey:String}] = {exploreTagValue:String})`,
    )
    params.exploreTagKey = filters.tag.key
    params.exploreTagValue = filters.tag.value
  }
  return { sql: parts.join(' AND '), params }
}

/** What `taskFilter` gives: a condition on task rows, and one for the spans under them. */
export interface TaskFilterSql extends SqlFragment {
  /**
   * A condition on the raw span rows a task aggregate reads (`''` when there is none), to pass
   * to `taskAggregateSql` / `rawTaskAggregateSql`. It only drops spans of tasks that `sql` would
   * drop anyway, so results do not change; it makes a name filter cheap. A task's name is an
   * `argMin` over its spans, the costliest column of the aggregate: without this, every task of
   * the range is aggregated and named before all but one task type are thrown away (the Overview
   * with a name filter took ~3 times as long as without any filter).
   */
  scan: string
}

/**
 * A condition on a task-aggregate row (columns `task_id` and `name`, e.g. of
 * `TASK_AGGREGATE_SQL`) that keeps the tasks the filters select; `1` when there are none. The
 * subqueries need the `projectId`, `from` and `to` parameters the aggregate already binds.
 * `prefix` qualifies the columns when the aggregate is joined (`t.`).
 *
 * The span-level filters stay on the task rows rather than in `scan`: measured on 500k spans,
 * moving them into the scan made a filter that keeps most tasks slower and a selective one no
 * faster, since the aggregate's cost is its per-task columns, not the spans it reads.
 */
export function taskFilter(filters: ExploreFilters, prefix = ''): TaskFilterSql {
  const parts: string[] = []
  const params: Record<string, string> = {}
  let scan = ''
  if (filters.name !== undefined) {
    parts.push(`${prefix}name = {exploreName:String}`)
    params.exploreName = filters.name
    // A task is named after one of its spans' names, so a task named so has a span named so.
    scan = `task_id IN (SELECT task_id FROM spans ${RANGE_SQL} AND task_name = {exploreName:String})`
  }
  const spans = spanConditions(filters)
  if (spans.sql !== '') {
    parts.push(`${prefix}task_id IN (SELECT task_id FROM spans ${RANGE_SQL} AND ${spans.sql})`)
    Object.assign(params, spans.params)
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params, scan }
}

const RANGE_SQL = `WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}`

import { spanConditions, type ExploreFilters, type SqlFragment } from '../explore/filters'

/** The tasks of the range with a span that satisfies `condition` (bound by project and time). */
function tasksWith(condition: string): string {
  return `task_id IN (SELECT task_id FROM spans
    WHERE project_id = {projectId:String}
      AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
      AND ${condition})`
}

/**
 * The condition on a span row that keeps the tasks the Explore filters select, as every read
 * route reads them: a task is in when it has a span of the task name, and a span that matches
 * every span-level filter at once (environment, service, step, model, provider, tag). A
 * hotspot of a selected task is then found and priced whole, with all of the task's calls as
 * context, so "model = gpt-4o" reads "the waste of the tasks that called gpt-4o". `1` when no
 * filter is set.
 */
export function hotspotTaskScope(filters: ExploreFilters): SqlFragment {
  const parts: string[] = []
  const params: Record<string, string> = {}
  if (filters.name !== undefined) {
    parts.push(tasksWith('task_name = {exploreName:String}'))
    params.exploreName = filters.name
  }
  const spans = spanConditions(filters)
  if (spans.sql !== '') {
    parts.push(tasksWith(spans.sql))
    Object.assign(params, spans.params)
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params }
}

/**
 * The claimed span ids as one bound string: span ids are hex (the OTLP decoder checks them), so
 * a comma never occurs in one. One string parameter instead of an array literal, since a bound
 * array of 100,000 ids is parsed slowly (see the near-duplicate detector's note).
 */
export function claimedParam(ids: ReadonlySet<string> | undefined): string {
  return ids === undefined ? '' : [...ids].join(',')
}

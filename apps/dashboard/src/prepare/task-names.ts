import type { CostRow } from '../api/types'

/** One choice of the task name select. */
export interface TaskNameOption {
  value: string
  label: string
}

/**
 * The task names to choose from, sorted, from `GET /api/v1/costs?groupBy=task_name` rows of the
 * whole range. The selected name stays listed even when the range holds none of its tasks, so
 * the select never shows a value it does not offer. Unnamed tasks cannot be filtered on (the API
 * reads an empty `name` as no filter), so they are not offered.
 */
export function prepareTaskNameOptions(rows: CostRow[], selected: string | null): TaskNameOption[] {
  const names = new Set(rows.map((row) => row.key).filter((key) => key !== ''))
  if (selected !== null) names.add(selected)
  return [...names].sort((a, b) => a.localeCompare(b)).map((name) => ({ value: name, label: name }))
}

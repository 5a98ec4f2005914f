import { useId } from 'react'
import { RANGE_PRESETS } from '../prepare/filters'
import type { CostFilters, RangePreset } from '../prepare/filters'
import type { TaskNameOption } from '../prepare/task-names'

/** Props of `FiltersBar`. */
export interface FiltersBarProps {
  filters: CostFilters
  /** `null` while the names load or when they failed; the select then offers only the current. */
  names: TaskNameOption[] | null
  onChange: (filters: CostFilters) => void
}

const ALL_NAMES = ''

/** Time range and task name selects of the cost-per-task page. */
export function FiltersBar({ filters, names, onChange }: FiltersBarProps) {
  const rangeId = useId()
  const nameId = useId()
  const options =
    names ?? (filters.name === null ? [] : [{ value: filters.name, label: filters.name }])

  return (
    <form
      className="filters"
      role="search"
      aria-label="Filters"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="field">
        <label htmlFor={rangeId}>Time range</label>
        <select
          id={rangeId}
          value={filters.range}
          onChange={(event) => onChange({ ...filters, range: event.target.value as RangePreset })}
        >
          {RANGE_PRESETS.map((preset) => (
            <option key={preset.value} value={preset.value}>
              {preset.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={nameId}>Task name</label>
        <select
          id={nameId}
          value={filters.name ?? ALL_NAMES}
          aria-busy={names === null}
          onChange={(event) => {
            const name = event.target.value
            onChange({ ...filters, name: name === ALL_NAMES ? null : name })
          }}
        >
          <option value={ALL_NAMES}>All task names</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </form>
  )
}

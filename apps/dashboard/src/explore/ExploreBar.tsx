import { useId } from 'react'
import type { FormEvent } from 'react'
import {
  DEFAULT_EXPLORE,
  SPAN_FILTER_FIELDS,
  exploreToSearch,
  type ExploreFilters,
} from '../prepare/explore-filters'
import { RANGE_PRESETS, type RangePreset } from '../prepare/filters'
import { formatTimestamp } from '../prepare/format'
import { navigate } from '../routing/navigation'
import { useProject } from '../session/project-context'

/** Props of `ExploreBar`. */
export interface ExploreBarProps {
  /** The page's path; the filters go to its query string. */
  path: string
  filters: ExploreFilters
  /** Task names to suggest while typing (null while they load). */
  names?: readonly string[] | null
  /** Page-level parameters (e.g. `by=team`) to keep when the filters change. */
  keep?: Record<string, string>
  /** Only the time range applies on this page (the others are not offered). */
  rangeOnly?: boolean
  /** Page-level parameters that repeat (e.g. `accept=` of each accepted switch), kept too. */
  keepSearch?: string
  /** The page defaults to another range than Explore's, so its range is always written. */
  ownDefaultRange?: boolean
}

/**
 * The Explore filters of every page: time range, the signed-in project (shown, it comes from the
 * key), task name, environment, service, step, model, provider and tag. Applying writes them to
 * the URL (replacing the history entry), so the address is the shareable view.
 */
export function ExploreBar({
  path,
  filters,
  names,
  keep = {},
  rangeOnly = false,
  keepSearch = '',
  ownDefaultRange = false,
}: ExploreBarProps) {
  const project = useProject()
  const ids = { range: useId(), name: useId(), list: useId(), base: useId() }

  const apply = (next: ExploreFilters) => {
    const query = new URLSearchParams(exploreToSearch(next))
    for (const [key, value] of Object.entries(keep)) query.set(key, value)
    for (const [key, value] of new URLSearchParams(keepSearch)) query.append(key, value)
    // A range-only page may default to another preset, so its range is always written out.
    if ((rangeOnly || ownDefaultRange) && next.from === null) query.set('range', next.range)
    const search = query.toString()
    navigate(`${path}${search === '' ? '' : `?${search}`}`, { replace: true })
  }
  /** The filters with what the text inputs hold now, applied or still being typed. */
  const typed = (element: HTMLFormElement): ExploreFilters => {
    // A range-only page has no other inputs: the URL's filters stay as they are.
    if (rangeOnly) return filters
    const form = new FormData(element)
    const text = (name: string) => {
      const value = String(form.get(name) ?? '').trim()
      return value === '' ? null : value
    }
    const next: ExploreFilters = { ...filters, name: text('name') }
    for (const field of SPAN_FILTER_FIELDS) next[field.name] = text(field.name)
    return next
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    apply(typed(event.currentTarget))
  }
  // A new range applies at once, and takes what was typed in the other inputs along: the form
  // is rebuilt from the URL, so text left behind would be lost. An invalid entry (a tag without
  // `=`) holds the change back and says why, as Apply does.
  const changeRange = (select: HTMLSelectElement) => {
    const form = select.form
    if (form && !form.reportValidity()) return
    const base = form ? typed(form) : filters
    apply({ ...base, range: select.value as RangePreset, from: null, to: null })
  }

  return (
    <form
      className="filters explore"
      role="search"
      aria-label="Filters"
      onSubmit={submit}
      // A new URL (back button, a shared link) resets the inputs to what it says.
      key={exploreToSearch(filters)}
    >
      <div className="field">
        <span className="field-label">Project</span>
        <span className="field-value" data-testid="explore-project">
          {project?.name ?? ''}
        </span>
      </div>
      <div className="field">
        <label htmlFor={ids.range}>Time range</label>
        <select
          id={ids.range}
          value={filters.from !== null ? 'custom' : filters.range}
          onChange={(event) => changeRange(event.currentTarget)}
        >
          {filters.from !== null && filters.to !== null && (
            <option value="custom">
              {formatTimestamp(filters.from, 'UTC')} – {formatTimestamp(filters.to, 'UTC')} UTC
            </option>
          )}
          {RANGE_PRESETS.map((preset) => (
            <option key={preset.value} value={preset.value}>
              {preset.label}
            </option>
          ))}
        </select>
      </div>
      {rangeOnly ? (
        <p className="footnote">The other filters do not apply on this page.</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={ids.name}>Task name</label>
            <input
              id={ids.name}
              name="name"
              list={ids.list}
              defaultValue={filters.name ?? ''}
              placeholder="All"
              size={14}
            />
            <datalist id={ids.list}>
              {(names ?? []).map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </div>
          {SPAN_FILTER_FIELDS.map((field) => (
            <div className="field" key={field.name}>
              <label htmlFor={`${ids.base}-${field.name}`}>{field.label}</label>
              <input
                id={`${ids.base}-${field.name}`}
                name={field.name}
                defaultValue={filters[field.name] ?? ''}
                placeholder={field.name === 'tag' ? 'team=support' : 'All'}
                size={field.name === 'tag' ? 14 : 10}
                pattern={field.name === 'tag' ? '[^=]+=.*' : undefined}
                title={
                  field.name === 'tag' ? 'An attribute key=value, e.g. team=support' : undefined
                }
              />
            </div>
          ))}
          <div className="field actions">
            <button type="submit">Apply</button>
            <button
              type="button"
              className="secondary"
              onClick={() => apply({ ...DEFAULT_EXPLORE, range: filters.range })}
            >
              Clear
            </button>
          </div>
        </>
      )}
    </form>
  )
}

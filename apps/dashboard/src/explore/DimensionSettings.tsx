import { useId, useState } from 'react'
import type { FormEvent } from 'react'
import { saveDimensions, type DimensionMapping } from '../api/explore'
import { errorMessage } from '../api/error-message'

/** Props of `DimensionSettings`. */
export interface DimensionSettingsProps {
  mappings: DimensionMapping[]
  /** Called with the stored mappings after a save. */
  onSaved: (mappings: DimensionMapping[]) => void
}

const SOURCES = [
  { value: 'any', label: 'Span, then resource' },
  { value: 'span', label: 'Span attribute' },
  { value: 'resource', label: 'Resource attribute' },
] as const

/**
 * Maps team, customer and feature to the attribute that carries them, once per project
 * (`PUT /api/v1/settings/dimensions`, admin scope). A blank key unmaps the dimension.
 */
export function DimensionSettings({ mappings, onSaved }: DimensionSettingsProps) {
  const base = useId()
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null)
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const next = mappings.map((mapping) => ({
      dimension: mapping.dimension,
      source: String(form.get(`${mapping.dimension}-source`)) as DimensionMapping['source'],
      attributeKey: String(form.get(`${mapping.dimension}-key`) ?? '').trim() || null,
    }))
    try {
      onSaved(await saveDimensions(next))
      setStatus({ tone: 'ok', text: 'Saved.' })
    } catch (error) {
      setStatus({ tone: 'error', text: `Not saved: ${errorMessage(error)}` })
    }
  }
  return (
    <form className="dimension-settings" onSubmit={(event) => void submit(event)}>
      {mappings.map((mapping) => (
        <fieldset key={mapping.dimension} className="filters">
          <legend>{mapping.dimension[0]!.toUpperCase() + mapping.dimension.slice(1)}</legend>
          <div className="field">
            <label htmlFor={`${base}-${mapping.dimension}-key`}>Attribute key</label>
            <input
              id={`${base}-${mapping.dimension}-key`}
              name={`${mapping.dimension}-key`}
              defaultValue={mapping.attributeKey ?? ''}
              placeholder="not mapped"
            />
          </div>
          <div className="field">
            <label htmlFor={`${base}-${mapping.dimension}-source`}>Read from</label>
            <select
              id={`${base}-${mapping.dimension}-source`}
              name={`${mapping.dimension}-source`}
              defaultValue={mapping.source}
            >
              {SOURCES.map((source) => (
                <option key={source.value} value={source.value}>
                  {source.label}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
      ))}
      <button type="submit">Save mapping</button>
      {status !== null && (
        <p role={status.tone === 'error' ? 'alert' : 'status'} className="footnote">
          {status.text}
        </p>
      )}
    </form>
  )
}

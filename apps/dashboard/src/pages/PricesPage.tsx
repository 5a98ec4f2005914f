import { useMemo, useState } from 'react'
import type { FormEvent } from 'react'
import { errorMessage } from '../api/error-message'
import { createModelPrice, deletePrice, fetchPrices, type NewModelPrice } from '../api/pricing'
import { useApi } from '../api/use-api'
import { Panel } from '../components/Panel'
import { preparePriceList } from '../prepare/price-list'

const EMPTY_FORM: NewModelPrice = {
  model: '',
  provider: '',
  inputMtok: '',
  outputMtok: '',
  cacheReadMtok: '',
  effectiveFrom: '',
}

/**
 * The project's price book: custom model prices (they win over the catalog from their
 * effective time on), tool prices and deployments, and a form to add a model price. Stored
 * spans keep their price until `pnpm agentmeter reprice` runs.
 */
export function PricesPage() {
  const [version, setVersion] = useState(0)
  const [form, setForm] = useState<NewModelPrice>(EMPTY_FORM)
  const [error, setError] = useState<string | null>(null)
  const prices = useApi(`prices:${version}`, (signal) => fetchPrices(signal))
  const entries = prices.status === 'ready' ? prices.data : null
  const rows = useMemo(() => (entries === null ? [] : preparePriceList(entries)), [entries])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      const effectiveFrom = form.effectiveFrom ? new Date(form.effectiveFrom).toISOString() : ''
      await createModelPrice({ ...form, effectiveFrom })
      setForm(EMPTY_FORM)
      setVersion((value) => value + 1)
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  const remove = async (id: string) => {
    try {
      await deletePrice(id)
      setVersion((value) => value + 1)
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  const field = (name: keyof NewModelPrice, label: string, type = 'text') => (
    <label>
      {label}
      <input
        name={name}
        type={type}
        value={form[name]}
        onChange={(event) => setForm({ ...form, [name]: event.target.value })}
      />
    </label>
  )

  return (
    <div className="page">
      <title>Prices · agentmeter</title>
      <div className="page-header">
        <h1>Prices</h1>
      </div>
      <div className="grid">
        <Panel
          title="Price book"
          testId="price-book"
          state={prices}
          isEmpty={(data) => data.length === 0}
          emptyText="No custom prices: every call is priced from the catalog."
          className="wide"
        >
          {() => (
            <div className="table-scroll">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col">Name</th>
                    <th scope="col">Provider</th>
                    <th scope="col">Price</th>
                    <th scope="col">From</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.id}>
                      <td>{row.kind}</td>
                      <td>{row.name}</td>
                      <td>{row.provider}</td>
                      <td>{row.price}</td>
                      <td>{row.effectiveFrom}</td>
                      <td>
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => void remove(row.id)}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <section className="panel wide" data-testid="price-form">
          <header className="panel-header">
            <h2>Add a model price</h2>
          </header>
          <form className="price-form" onSubmit={(event) => void submit(event)}>
            {field('model', 'Model')}
            {field('provider', 'Provider (optional)')}
            {field('inputMtok', 'Input $/M')}
            {field('outputMtok', 'Output $/M')}
            {field('cacheReadMtok', 'Cached input $/M (optional; the input rate if empty)')}
            {field('effectiveFrom', 'Effective from (default now)', 'datetime-local')}
            <button type="submit">Add price</button>
          </form>
          {error !== null && (
            <p className="panel-error" role="alert">
              {error}
            </p>
          )}
          <p className="footnote">
            A custom price applies to calls from its effective time on. Run{' '}
            <code>pnpm agentmeter reprice --from … --to …</code> to reprice stored calls.
          </p>
        </section>
      </div>
    </div>
  )
}

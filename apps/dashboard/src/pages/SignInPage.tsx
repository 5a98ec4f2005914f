import { useId, useState } from 'react'
import type { FormEvent } from 'react'

/** Props of `SignInPage`. */
export interface SignInPageProps {
  /** Why the form is shown, e.g. an expired session; `null` on a plain first visit. */
  notice: string | null
  /** Resolves to an error message, or `null` once signed in. */
  onSignIn: (key: string) => Promise<string | null>
}

/** The sign-in form: one project key, traded for a session cookie. */
export function SignInPage({ notice, onSignIn }: SignInPageProps) {
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const inputId = useId()
  const hintId = useId()

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (key.trim() === '' || submitting) return
    setSubmitting(true)
    setError(null)
    const failure = await onSignIn(key)
    // On success this component is already gone; only a failure leaves it to update.
    if (failure !== null) {
      setError(failure)
      setSubmitting(false)
    }
  }

  return (
    <main className="sign-in">
      <title>Sign in · agentmeter</title>
      <form className="sign-in-form" data-testid="sign-in" onSubmit={submit} noValidate>
        <h1>agentmeter</h1>
        {notice !== null && <p className="notice">{notice}</p>}
        <label htmlFor={inputId}>Project key</label>
        <input
          id={inputId}
          name="key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          required
          aria-describedby={hintId}
          aria-invalid={error !== null}
          value={key}
          onChange={(event) => setKey(event.target.value)}
        />
        <p id={hintId} className="hint">
          A key with the read scope, from <code>pnpm agentmeter keys create</code>.
        </p>
        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={submitting || key.trim() === ''}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}

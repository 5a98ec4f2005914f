import { Component } from 'react'
import type { ErrorInfo, ReactNode } from 'react'

/** Props of `ErrorBoundary`. */
export interface ErrorBoundaryProps {
  children: ReactNode
}

interface ErrorBoundaryState {
  failed: boolean
}

/**
 * The last guard against a blank page: a render bug, or a chunk that failed to download, shows
 * a message with a way out. Data failures never get here; panels turn them into error states.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false }

  static getDerivedStateFromError(): ErrorBoundaryState {
    return { failed: true }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('dashboard render failed', error, info.componentStack)
  }

  override render() {
    if (!this.state.failed) return this.props.children
    return (
      <div className="page-error" role="alert">
        <h1>This page could not be shown</h1>
        <p>Something went wrong while drawing it. Reloading usually helps.</p>
        <p>
          <a href={window.location.pathname + window.location.search}>Reload</a> or go to{' '}
          <a href="/">Cost per task</a>.
        </p>
      </div>
    )
  }
}

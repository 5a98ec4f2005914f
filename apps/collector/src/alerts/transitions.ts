import type { EventKind } from './event-store'
import type { AlertStateName, RuleState } from './state-store'

/** What one evaluation of a windowed rule found. */
export interface Evaluation {
  /** Above the threshold now. */
  breach: boolean
  /** Not yet above it, but forecast to be (budgets). */
  warn: boolean
}

export interface Transition {
  state: AlertStateName
  /** The notification to send, or null. */
  notify: EventKind | null
}

export interface NotifyPolicy {
  renotifyMinutes: number
  notifyOnResolve: boolean
}

/**
 * The state machine of a rule's subject: a breach notifies once when it starts, again every
 * `renotifyMinutes` while it lasts (when set), and once when it clears (when `notifyOnResolve`).
 * A forecast warning notifies once; a warning that clears without a breach is silent.
 */
export function transition(
  current: RuleState | null,
  evaluation: Evaluation,
  policy: NotifyPolicy,
  now: Date,
): Transition {
  const previous = current?.state ?? 'ok'
  if (evaluation.breach) {
    if (previous !== 'firing') return { state: 'firing', notify: 'firing' }
    const last = current?.lastNotifiedAt ? Date.parse(current.lastNotifiedAt) : null
    const due =
      policy.renotifyMinutes > 0 &&
      last !== null &&
      now.getTime() - last >= policy.renotifyMinutes * 60_000
    return { state: 'firing', notify: due ? 'renotify' : null }
  }
  if (previous === 'firing') {
    return { state: 'resolved', notify: policy.notifyOnResolve ? 'resolved' : null }
  }
  if (evaluation.warn) {
    return previous === 'warning'
      ? { state: 'warning', notify: null }
      : { state: 'warning', notify: 'warning' }
  }
  if (previous === 'warning') return { state: 'ok', notify: null }
  return { state: previous, notify: null }
}

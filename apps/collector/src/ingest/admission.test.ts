import { describe, expect, it } from 'vitest'
import { IngestAdmission } from './admission'

describe('IngestAdmission', () => {
  it('admits up to the in-flight bound and again once a request is answered', () => {
    const admission = new IngestAdmission({ maxQueuedSpans: 100, maxInFlightRequests: 2 }, () => 0)
    const first = admission.tryAdmit()
    const second = admission.tryAdmit()
    expect(first).not.toBeNull()
    expect(second).not.toBeNull()
    expect(admission.tryAdmit()).toBeNull()
    expect(admission.inFlightRequests()).toBe(2)

    first!()
    // Releasing twice frees one slot, not two.
    first!()
    expect(admission.inFlightRequests()).toBe(1)
    expect(admission.tryAdmit()).not.toBeNull()
    expect(admission.tryAdmit()).toBeNull()
  })

  it('refuses while the writer backlog is at its bound, and admits once it drains', () => {
    let queued = 100
    const admission = new IngestAdmission(
      { maxQueuedSpans: 100, maxInFlightRequests: 10 },
      () => queued,
    )
    expect(admission.tryAdmit()).toBeNull()
    expect(admission.inFlightRequests()).toBe(0)
    queued = 99
    expect(admission.tryAdmit()).not.toBeNull()
  })
})

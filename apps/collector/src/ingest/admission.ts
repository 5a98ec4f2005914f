/**
 * Load shedding in front of the ingest path. Under a burst larger than ClickHouse can absorb,
 * accepting everything would only grow the insert queue (and the process) until it failed; so
 * a request is admitted only while the writer's backlog and the number of requests being
 * decoded are under their bounds, and refused otherwise with 503 and `Retry-After` before a
 * byte of its body is read (the body waits in the socket, which pushes back on the sender).
 */

export interface AdmissionLimits {
  /** `AGENTMETER_MAX_QUEUED_SPANS`: rows waiting for an insert above which requests are refused. */
  maxQueuedSpans: number
  /** `AGENTMETER_MAX_INGEST_REQUESTS`: requests admitted and not yet answered, at most. */
  maxInFlightRequests: number
}

// 32 requests in progress keep a group commit full (the writer batches whatever is waiting) while
// bounding what a burst can hold in memory and how long an admitted request waits for the CPU:
// with 256, a 3x burst on 2 shared cores left admitted requests waiting 30 s for their turn.
export const DEFAULT_ADMISSION_LIMITS: AdmissionLimits = {
  maxQueuedSpans: 20_000,
  maxInFlightRequests: 32,
}

/** Seconds an OTLP client is told to wait when refused: about one insert round. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1

export class IngestAdmission {
  private inFlight = 0

  constructor(
    private readonly limits: AdmissionLimits,
    /** Rows queued in the writer now. */
    private readonly queuedSpans: () => number,
  ) {}

  /**
   * Admits one request, returning its release function (call it once the request is answered),
   * or null when the collector is saturated and the request must be refused.
   */
  tryAdmit(): (() => void) | null {
    if (this.inFlight >= this.limits.maxInFlightRequests) return null
    if (this.queuedSpans() >= this.limits.maxQueuedSpans) return null
    this.inFlight++
    let released = false
    return () => {
      if (released) return
      released = true
      this.inFlight--
    }
  }

  /** Requests admitted and not yet answered. */
  inFlightRequests(): number {
    return this.inFlight
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto'

/** Header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the rule's secret. */
export const SIGNATURE_HEADER = 'x-agentmeter-signature'
/** Unix seconds at signing, part of the signed text so a captured request cannot be replayed later. */
export const TIMESTAMP_HEADER = 'x-agentmeter-timestamp'
/** The event id: the same on every retry of one event, for receivers to deduplicate. */
export const EVENT_ID_HEADER = 'x-agentmeter-event-id'

/** The signature header value for a body sent at `timestamp` (Unix seconds). */
export function signPayload(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  return `sha256=${mac}`
}

/** Checks a received signature in constant time; what a receiver does with the rule's secret. */
export function verifySignature(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(signPayload(secret, timestamp, body))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

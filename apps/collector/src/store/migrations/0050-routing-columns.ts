import type { Migration } from './migration'

/**
 * Columns the routing recommender filters and groups on, materialized from span attributes at
 * insert so its queries over millions of spans never read the `attributes` map. Parts written
 * before this migration compute them from the map when read.
 *
 * - `shadow`: the span is a shadow call our SDK made to a candidate model
 *   (`agentmeter.shadow`); it is real spend, but not a call of the step's current model.
 * - `shadow_propensity`: `agentmeter.shadow.propensity`, on shadow calls and on the real calls
 *   of a step in shadow mode (0 when absent); it lets the replay query pair shadow calls with
 *   their primaries without scanning every call of the range.
 * - `shadow_primary_span_id` and `shadow_score`: the real call a shadow call copied, and the app's
 *   verdict of the shadow result (`agentmeter.shadow.score`, else `agentmeter.shadow.match` as
 *   1 or 0, else NULL); shadow calls are sparse, so reading them from the map would read the map
 *   of every span around them.
 * - `output_type`: `gen_ai.output.type` (`json` for structured output), a capability a
 *   candidate model must have.
 */
export const routingColumns: Migration = {
  version: 50,
  name: 'routing-columns',
  statements: [
    `ALTER TABLE spans ADD COLUMN IF NOT EXISTS shadow Bool
      MATERIALIZED attributes['agentmeter.shadow'] IN ('true', '1')`,
    `ALTER TABLE spans ADD COLUMN IF NOT EXISTS shadow_propensity Float64
      MATERIALIZED toFloat64OrZero(attributes['agentmeter.shadow.propensity'])`,
    `ALTER TABLE spans ADD COLUMN IF NOT EXISTS shadow_primary_span_id String
      MATERIALIZED attributes['agentmeter.shadow.primary_span_id']`,
    `ALTER TABLE spans ADD COLUMN IF NOT EXISTS shadow_score Nullable(Float64)
      MATERIALIZED multiIf(
        attributes['agentmeter.shadow.score'] != '',
          toFloat64OrNull(attributes['agentmeter.shadow.score']),
        attributes['agentmeter.shadow.match'] IN ('true', '1'), 1.0,
        attributes['agentmeter.shadow.match'] IN ('false', '0'), 0.0,
        NULL)`,
    `ALTER TABLE spans ADD COLUMN IF NOT EXISTS output_type LowCardinality(String)
      MATERIALIZED attributes['gen_ai.output.type']`,
  ],
}

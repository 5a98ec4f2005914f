import type { Migration } from './migration'

/**
 * The detector rules each hour's hotspot parts were computed by (`hotspot_hours.rules`, see
 * `HOTSPOT_RULES` in `store/queries/hotspots/parts.ts`). An hour stamped by other rules is not
 * current: readers search it on the spans and the refresher computes it again, as for a new
 * delivery. Hours stamped before this column read 0, so every part of the cache-breaker rule
 * that priced fan-out siblings and step changes as breakers is recomputed once, at the
 * refresher's pace, and never shown meanwhile. A later change of the rules only raises the
 * constant. One metadata-only ALTER: cheap, and idempotent (`IF NOT EXISTS`).
 */
export const hotspotRules: Migration = {
  version: 92,
  name: 'hotspot-rules',
  statements: [`ALTER TABLE hotspot_hours ADD COLUMN IF NOT EXISTS rules UInt32 DEFAULT 0`],
}

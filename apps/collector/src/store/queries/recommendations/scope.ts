import { INPUT_BAND_EDGES } from '@agentmeter/core'

/** `-Resample` parameters that give one array slot per band. */
export const PER_BAND = `Resample(0, ${INPUT_BAND_EDGES.length}, 1)`

/**
 * Filters before FINAL: every column the recommendation queries filter on (project, time, kind,
 * step, task name, shadow, propensity, task root, outcome) is the same in every stored version of
 * a span (a redelivery is identical, a reprice rewrites cost columns only), so filtering the
 * versions first and deduplicating the survivors gives the same rows as FINAL then WHERE, without
 * reading the wide columns (the attribute map) of every span in the range.
 */
export const FILTER_BEFORE_FINAL = { optimize_move_to_prewhere_if_final: 1 } as const

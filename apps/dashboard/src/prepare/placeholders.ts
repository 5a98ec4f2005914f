// The words that stand in for a value we do not have. Each means something different, and the
// rules for which metric gets which are in `./index`.

/** An amount where nothing was priced. */
export const UNPRICED = 'unpriced'

/** A token count the provider did not report. */
export const UNKNOWN = 'unknown'

/** A value that cannot exist here, e.g. the p50 of a group without tasks. */
export const NO_VALUE = '—'

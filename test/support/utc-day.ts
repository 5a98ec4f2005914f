const DAY_MILLIS = 86_400_000

/** The UTC date (`YYYY-MM-DD`) of an instant. */
export function utcDay(millis: number): string {
  return new Date(millis).toISOString().slice(0, 10)
}

/**
 * Waits, when a UTC midnight is less than `marginMillis` away on either side, until
 * `marginMillis` past it; returns at once at any other time of day.
 *
 * For suites against a running collector whose routes and alert evaluator read the real clock
 * (`todayUsd`, a daily budget's period and forecast): the test's day and the server's must be
 * one for the whole test, which a run that straddles midnight breaks, and a day's linear
 * forecast is meaningless in its first seconds. The margin is the longest the part of the test
 * that names the day may take; the wait is at most twice that.
 */
export async function clearOfUtcMidnight(marginMillis: number): Promise<void> {
  const sinceMidnight = Date.now() % DAY_MILLIS
  const wait =
    sinceMidnight < marginMillis
      ? marginMillis - sinceMidnight
      : DAY_MILLIS - sinceMidnight < marginMillis
        ? DAY_MILLIS - sinceMidnight + marginMillis
        : 0
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
}

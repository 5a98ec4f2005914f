import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'

/**
 * A CPU profile of this thread over one stretch of a bench only (not its start-up, warm-up or
 * other phases), written to `$AGENTMETER_PROFILE_OUT` as a `.cpuprofile`: start it before the
 * stretch, call the returned function after. Without the variable both are no-ops, so a bench
 * can keep the calls in place. `bench/support/profile-summary.ts` prints where the time went.
 */
export async function startWindowProfile(
  samplingMicros = 100,
): Promise<() => Promise<string | undefined>> {
  const out = process.env['AGENTMETER_PROFILE_OUT']
  if (!out) return () => Promise.resolve(undefined)
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: samplingMicros })
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    writeFileSync(out, JSON.stringify(profile))
    return out
  }
}

import { createRng, type Rng } from '../prng'
import { stableHash } from './text'

/**
 * The random source of one task's input. Most tasks bring new work (a source of their own); a
 * share `repeatShare` brings again one of `poolSize` recurring inputs of its `kind` (a ticket
 * sent twice, a pull request reviewed again after a push, a report asked for again): the
 * redundancy a real project has, which the hotspots page should find, rather than every task
 * replaying a handful of fixed inputs. Draws from `rng` the same number of times either way.
 */
export function inputSource(rng: Rng, kind: string, repeatShare: number, poolSize: number): Rng {
  const repeat = rng.chance(repeatShare)
  const slot = rng.int(0, poolSize - 1)
  const fresh = rng.fork()
  return repeat ? createRng(stableHash(`${kind}#${slot}`)) : fresh
}

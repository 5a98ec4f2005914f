import { createHash } from 'node:crypto'

import { createRng } from '../prng'

const PROSE = [
  'Analysts expect the market to keep growing through the next two years.',
  'Early adopters report lower running costs once the installation is paid off.',
  'The main obstacle remains the upfront price, which subsidies only partly offset.',
  'Several pilot programmes published their results last quarter.',
  'Independent tests found the efficiency claims broadly accurate in mild climates.',
  'Performance drops in extreme cold, although newer models narrow the gap.',
  'Installers are in short supply in most regions, which delays projects.',
  'Regulators are drafting new standards that would make reporting mandatory.',
  'Critics point out that the savings depend heavily on local energy prices.',
  'A survey of 1,200 households found satisfaction above eighty percent.',
  'Manufacturers plan to double production capacity by the end of the decade.',
  'The data set covers twelve countries and a period of five years.',
]

/** A stable number for a string, so fake data is the same on every run. */
export function stableHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0)
}

/** Plausible prose of about `chars` characters, the same for the same key. */
export function fakeProse(key: string, chars: number): string {
  const rng = createRng(stableHash(key))
  const sentences: string[] = []
  let length = 0
  while (length < chars) {
    const sentence = rng.pick(PROSE)
    sentences.push(sentence)
    length += sentence.length + 1
  }
  return sentences.join(' ')
}

/**
 * A TypeScript-looking source file of `lines` lines, the same for the same path and revision
 * (the path when none is given).
 */
export function fakeSource(path: string, lines: number, revision = path): string {
  const rng = createRng(stableHash(revision))
  const name =
    path
      .split('/')
      .at(-1)
      ?.replace(/\.\w+$/, '')
      .replace(/\W/g, '_') ?? 'module'
  const out = [`// ${path}`, `import { logger } from '../logger'`, '']
  let fn = 0
  while (out.length < lines) {
    fn++
    out.push(`export async function ${name}Step${fn}(input: Input${fn}): Promise<Output> {`)
    for (let i = rng.int(3, 12); i > 0 && out.length < lines - 1; i--) {
      out.push(
        rng.pick([
          `  const value${i} = await input.load(${rng.int(1, 99)})`,
          `  if (!value${i}) throw new Error('missing value ${i}')`,
          `  logger.debug({ step: ${fn}, item: ${i} })`,
          `  const total = items.reduce((sum, item) => sum + item.price * ${i}, 0)`,
          `  await retry(() => client.send(payload), { attempts: ${rng.int(2, 5)} })`,
        ]),
      )
    }
    out.push('  return result', '}', '')
  }
  return out.slice(0, lines).join('\n')
}

import fs from 'node:fs'
import path from 'node:path'

/** One real LLM call's token counts. */
export interface TokenMix {
  input: number
  output: number
  cacheRead: number
}

const TRACE = path.join(
  import.meta.dirname,
  '..',
  'fixtures',
  'traces',
  'mini-swe-agent_pr854_astropy-12907.spans.jsonl',
)

/**
 * The token counts of the 64 LLM calls of a real mini-swe-agent run (input from under 2k to
 * over 20k tokens, most of it cached): the simulated steps draw their calls from this mix.
 */
export function loadTokenMixes(): TokenMix[] {
  return fs
    .readFileSync(TRACE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.record === 'span' && record.kind === 'llm')
    .map((record) => ({
      input: Number(record.input_tokens),
      output: Number(record.output_tokens),
      cacheRead: Number(record.cached_input_tokens ?? 0),
    }))
}

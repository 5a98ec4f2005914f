import { readFileSync } from 'node:fs'

const RECORDINGS = new URL('../../../replay/recordings/', import.meta.url)

/** A recorded `.json` body, parsed (for expected ids and for edited variants of a body). */
export function readRecording(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, RECORDINGS), 'utf8')) as Record<string, unknown>
}

/** How many SSE events a recording has (blank-line separated blocks). */
export function countEvents(name: string): number {
  return readFileSync(new URL(name, RECORDINGS), 'utf8')
    .split(/\n\n/)
    .filter((event) => event.trim() !== '').length
}

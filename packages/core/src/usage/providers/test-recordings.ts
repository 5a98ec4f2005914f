import { readFileSync } from 'node:fs'

// Tests read the recorded provider responses from the replay package's folder; core does not
// depend on that package, it only shares the files.
const RECORDINGS = new URL('../../../../replay/recordings/', import.meta.url)

/** The parsed body of a `.json` recording. */
export function readJsonRecording(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, RECORDINGS), 'utf8')) as Record<string, unknown>
}

/** The JSON `data:` payloads of an `.sse` recording, in order (`[DONE]` left out). */
export function readSseRecording(name: string): Record<string, unknown>[] {
  const text = readFileSync(new URL(name, RECORDINGS), 'utf8')
  return text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice('data:'.length).trim())
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as Record<string, unknown>)
}

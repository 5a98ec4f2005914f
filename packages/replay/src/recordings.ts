import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Folder holding the recorded provider responses (and their `.source.txt` provenance notes). */
export const RECORDINGS_DIR = fileURLToPath(new URL('../recordings/', import.meta.url))

/** Who produced a recording, from the file-name prefix. */
export type RecordingProvider = 'openai' | 'azure-openai' | 'xai' | 'anthropic' | 'gemini'

/** The client method that parses a recording, named as the clients name them. */
export type RecordingEndpoint =
  'chat.completions' | 'responses' | 'messages' | 'generateContent' | 'streamGenerateContent'

/** One recorded response body in `recordings/`. */
export interface Recording {
  /** File name, e.g. `openai-chat-basic.json`; what `ReplayServer.enqueue` takes. */
  name: string
  provider: RecordingProvider
  endpoint: RecordingEndpoint
  /** True for `.sse` files (served as `text/event-stream`). */
  stream: boolean
  /** Absolute path of the file. */
  file: string
}

const PROVIDERS: readonly RecordingProvider[] = [
  'azure-openai',
  'openai',
  'xai',
  'anthropic',
  'gemini',
]

// The file names follow `<provider>-<api>-...`; the api word decides the endpoint.
const ENDPOINTS: Record<string, RecordingEndpoint> = {
  chat: 'chat.completions',
  responses: 'responses',
  messages: 'messages',
  generate: 'generateContent',
  stream: 'streamGenerateContent',
}

/** Every recording in `recordings/`, sorted by name, described from its file name. */
export function listRecordings(): Recording[] {
  return readdirSync(RECORDINGS_DIR)
    .filter((name) => name.endsWith('.json') || name.endsWith('.sse'))
    .sort()
    .map(describeRecording)
}

/**
 * Absolute path of a recording, by file name.
 * @throws Error when the name is not a file in `recordings/` (names with path separators included)
 */
export function resolveRecording(name: string): string {
  const file = join(RECORDINGS_DIR, name)
  if (name.includes('/') || name.includes('\\') || !existsSync(file)) {
    throw new Error(`unknown recording "${name}": expected a file name listed by listRecordings()`)
  }
  return file
}

function describeRecording(name: string): Recording {
  const provider = PROVIDERS.find((prefix) => name.startsWith(`${prefix}-`))
  const api = provider === undefined ? undefined : name.slice(provider.length + 1).split('-')[0]
  const endpoint = api === undefined ? undefined : ENDPOINTS[api]
  if (provider === undefined || endpoint === undefined) {
    throw new Error(`recording "${name}" does not follow <provider>-<api>-<case>.<json|sse>`)
  }
  return {
    name,
    provider,
    endpoint,
    stream: name.endsWith('.sse'),
    file: join(RECORDINGS_DIR, name),
  }
}

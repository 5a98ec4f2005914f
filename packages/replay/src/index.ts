export { startReplayServer } from './replay-server'
export type {
  EnqueueOptions,
  ReplayRequest,
  ReplayServer,
  ReplayServerOptions,
} from './replay-server'
export { listRecordings, RECORDINGS_DIR, resolveRecording } from './recordings'
export type { Recording, RecordingEndpoint, RecordingProvider } from './recordings'
export { estimateTokens } from './synth'

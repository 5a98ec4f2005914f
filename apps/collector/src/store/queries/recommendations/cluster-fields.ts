import { INPUT_BAND_EDGES } from '@agentmeter/core'
import type { ClusterKeys } from './sources'

/** The optional cluster keys as the response shows them, present only when asked for. */
export interface ClusterFields {
  /** The system prompt hash (16 hex digits), null for calls that recorded none. */
  promptHash?: string | null
  /** The input band: inputs above `overTokens`, up to `upToTokens` (null: no upper edge). */
  inputBand?: { overTokens: number; upToTokens: number | null }
}

/** A cluster's fields from an arm's system hash (a UInt64 as text) and band index. */
export function clusterFields(keys: ClusterKeys, systemHash: string, band: number): ClusterFields {
  const fields: ClusterFields = {}
  if (keys.promptHash) {
    fields.promptHash =
      systemHash === '0' ? null : BigInt(systemHash).toString(16).padStart(16, '0')
  }
  if (keys.inputBand) {
    fields.inputBand = {
      overTokens: INPUT_BAND_EDGES[band] ?? 0,
      upToTokens: INPUT_BAND_EDGES[band + 1] ?? null,
    }
  }
  return fields
}

/** Only the cluster fields of an object that carries them. */
export function pickClusterFields(from: ClusterFields): ClusterFields {
  return {
    ...('promptHash' in from ? { promptHash: from.promptHash ?? null } : {}),
    ...(from.inputBand ? { inputBand: from.inputBand } : {}),
  }
}

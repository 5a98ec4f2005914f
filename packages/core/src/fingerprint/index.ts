export { canonicalJson } from './canonical-json'
export { deriveHashKey, type HashKey } from './hash-key'
export { keyedHash64, keyedHashParts } from './keyed-hash'
export {
  fingerprintRequest,
  fingerprintResponse,
  resumableRequestWork,
  type FingerprintRequest,
  type RequestFingerprints,
  type ResumableWork,
} from './llm-fingerprint'
export {
  MINHASH_BANDS,
  MINHASH_MIN_WORDS,
  MINHASH_ROWS,
  MinhashBuilder,
  minhashBands,
  words,
} from './minhash'
export { prefixChain, type PrefixChain } from './prefix-chain'
export { textOf } from './text-of'
export { estimateTokens, scaleBoundaryTokens } from './token-estimate'
export { fingerprintToolArgs, fingerprintToolResult } from './tool-fingerprint'

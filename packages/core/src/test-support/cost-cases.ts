import type { Usage } from '../usage/usage'

/**
 * Every case of `shared/cases/cost-cases.md` (public bug reports about wrong LLM costs), plus
 * the other members of each fault's class, as data. Each gives the usage exactly as the
 * provider reports it, the usage in the OTel convention it must become, and the cost worked by
 * hand from the provider's list prices (the arithmetic is beside each case, never computed by
 * the code under test). Unit tests feed `raw` through core's provider mappers and `priceCall`
 * (the SDK's path); end-to-end tests send `usage` as OTLP attributes through a collector.
 */
export interface CostCase {
  id: string
  /** Which provider mapper reads `raw`. */
  api: 'anthropic' | 'anthropic-stream' | 'bedrock' | 'openai-chat' | 'gemini' | 'openrouter'
  /** `gen_ai.provider.name` as an instrumentation would send it ('' when it sent none). */
  provider: string
  requestModel: string
  responseModel?: string
  /** The provider's usage object, verbatim (for streams: the usage of each event in order). */
  raw: unknown
  /** The same usage in the OTel convention; null when the provider reported none. */
  usage: Usage | null
  /** When the call happened (selects historic prices). */
  at: string
  providerUrl?: string
  serviceTier?: string
  /** The project's deployment map. */
  deployments?: Record<string, string>
  /** Exact USD, or null when the call must stay unpriced. */
  costUsd: string | null
  /** Where the cost must come from. */
  source?: 'computed' | 'provider' | 'custom'
  /** Expected tier label, when the case is about tiers. */
  tier?: string
}

const AT = '2026-11-02T10:00:00.000Z'

function usage(
  inputTokens: number,
  outputTokens: number,
  parts: Partial<Omit<Usage, 'inputTokens' | 'outputTokens'>> = {},
): Usage {
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
    ...parts,
  }
}

export const COST_CASES: readonly CostCase[] = [
  // C01: 3×3 + 12304×3.75 + 550×15 = 54399 µ$ (cache writes not charged again as input)
  {
    id: 'C01 anthropic cache writes charged once',
    api: 'anthropic',
    provider: 'anthropic',
    requestModel: 'claude-3-7-sonnet-20250219',
    raw: {
      input_tokens: 3,
      cache_creation_input_tokens: 12304,
      cache_read_input_tokens: 0,
      output_tokens: 550,
    },
    usage: usage(12307, 550, { cacheWriteTokens: 12304 }),
    at: AT,
    costUsd: '0.054399',
  },
  // C02 (streamed): 4×0.80 + 2455×0.08 + 23×4 = 291.6 µ$
  {
    id: 'C02 anthropic streamed cache reads at the cache rate',
    api: 'anthropic-stream',
    provider: 'anthropic',
    requestModel: 'claude-3-5-haiku-20241022',
    raw: [
      {
        input_tokens: 4,
        cache_read_input_tokens: 2455,
        cache_creation_input_tokens: 0,
        output_tokens: 1,
      },
      { output_tokens: 23 },
    ],
    usage: usage(2459, 23, { cacheReadTokens: 2455 }),
    at: AT,
    costUsd: '0.0002916',
  },
  // C03: EU geo profile at the regional rate 5.50 / 0.55 / 6.875 / 27.50:
  // 10×5.5 + 66360×0.55 + 32435×6.875 + 5120×27.5 = 55 + 36498 + 222990.625 + 140800
  {
    id: 'C03 bedrock opus 4.5 cache read and write, EU profile',
    api: 'bedrock',
    provider: 'aws.bedrock',
    requestModel: 'eu.anthropic.claude-opus-4-5-20251101-v1:0',
    raw: {
      inputTokens: 10,
      cacheReadInputTokens: 66360,
      cacheWriteInputTokens: 32435,
      outputTokens: 5120,
    },
    usage: usage(98805, 5120, { cacheReadTokens: 66360, cacheWriteTokens: 32435 }),
    at: AT,
    costUsd: '0.400343625',
  },
  // C05: 2370×2.50 + 60024×1.25 + 214×10 = 5925 + 75030 + 2140
  {
    id: 'C05 openai cached tokens at the cached rate',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-4o',
    raw: {
      prompt_tokens: 62394,
      completion_tokens: 214,
      prompt_tokens_details: { cached_tokens: 60024 },
    },
    usage: usage(62394, 214, { cacheReadTokens: 60024 }),
    at: AT,
    costUsd: '0.083095',
  },
  // C06: total 130,213 stays in the base tier: 5×3 + 128955×0.30 + 1253×3.75
  {
    id: 'C06 otel total input not inflated past the 200k tier',
    api: 'anthropic',
    provider: 'anthropic',
    requestModel: 'claude-sonnet-4-5',
    raw: {
      input_tokens: 5,
      cache_read_input_tokens: 128955,
      cache_creation_input_tokens: 1253,
      output_tokens: 0,
    },
    usage: usage(130213, 0, { cacheReadTokens: 128955, cacheWriteTokens: 1253 }),
    at: AT,
    costUsd: '0.04340025',
    tier: 'base',
  },
  // C07: 86×2.50 + 17817×1.25 (OpenRouter passes OpenAI's cache discount through)
  {
    id: 'C07 openrouter cached input split, not summed',
    api: 'openrouter',
    provider: 'openrouter',
    requestModel: 'openai/gpt-4o',
    raw: {
      prompt_tokens: 17903,
      completion_tokens: 0,
      prompt_tokens_details: { cached_tokens: 17817 },
    },
    usage: usage(17903, 0, { cacheReadTokens: 17817 }),
    at: AT,
    costUsd: '0.02248625',
  },
  // C09: 100×3 + 2000×3.75 + 5000×0.30 + 500×15
  {
    id: 'C09 anthropic cache writes not left inside input',
    api: 'anthropic',
    provider: 'anthropic',
    requestModel: 'claude-sonnet-4-6',
    raw: {
      input_tokens: 100,
      cache_creation_input_tokens: 2000,
      cache_read_input_tokens: 5000,
      output_tokens: 500,
    },
    usage: usage(7100, 500, { cacheReadTokens: 5000, cacheWriteTokens: 2000 }),
    at: AT,
    costUsd: '0.0168',
  },
  // C10: 3914×0.50 + 16298×0.05 + 931×3
  {
    id: 'C10 gemini cached content not billed twice',
    api: 'gemini',
    provider: 'gcp.gemini',
    requestModel: 'gemini-3-flash-preview',
    raw: { promptTokenCount: 20212, cachedContentTokenCount: 16298, candidatesTokenCount: 931 },
    usage: usage(20212, 931, { cacheReadTokens: 16298 }),
    at: AT,
    costUsd: '0.0055649',
  },
  // C12: 2000×0.15 + 8000×0.075 + 500×0.60
  {
    id: 'C12 azure openai cached input rate',
    api: 'openai-chat',
    provider: 'azure.ai.openai',
    requestModel: 'gpt-4o-mini',
    raw: {
      prompt_tokens: 10000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 8000 },
    },
    usage: usage(10000, 500, { cacheReadTokens: 8000 }),
    at: AT,
    costUsd: '0.0012',
  },
  // C13: never negative: 50×3 + 20000×0.30 + 1000×3.75 + 300×15
  {
    id: 'C13 bedrock converse cache outside input, never negative',
    api: 'bedrock',
    provider: 'aws.bedrock',
    requestModel: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
    raw: {
      inputTokens: 50,
      cacheReadInputTokens: 20000,
      cacheWriteInputTokens: 1000,
      outputTokens: 300,
    },
    usage: usage(21050, 300, { cacheReadTokens: 20000, cacheWriteTokens: 1000 }),
    at: AT,
    costUsd: '0.0144',
  },
  // C14: 5×3 + 4735×3.75 + 255×15 (the uncached count is not the total)
  {
    id: 'C14 anthropic uncached count read as part of the total',
    api: 'anthropic',
    provider: 'anthropic',
    requestModel: 'claude-sonnet-4-20250514',
    raw: {
      input_tokens: 5,
      cache_creation_input_tokens: 4735,
      cache_read_input_tokens: 0,
      output_tokens: 255,
    },
    usage: usage(4740, 255, { cacheWriteTokens: 4735 }),
    at: AT,
    costUsd: '0.02159625',
  },
  // C16: Opus 4.6 global profile, 1-hour writes at 2× $5: 9613×10
  {
    id: 'C16 bedrock 1-hour cache writes at the 1-hour rate',
    api: 'bedrock',
    provider: 'aws.bedrock',
    requestModel: 'global.anthropic.claude-opus-4-6-v1',
    raw: {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 9613,
      cacheDetails: [{ ttl: '1h', inputTokens: 9613 }],
    },
    usage: usage(9613, 0, { cacheWriteTokens: 9613, cacheWrite1hTokens: 9613 }),
    at: AT,
    costUsd: '0.09613',
  },
  // Same class on Anthropic's API: 1000 1h writes of sonnet 4.5 at $6 + 1000 5m writes at $3.75
  {
    id: 'C16b anthropic 5-minute and 1-hour writes apart',
    api: 'anthropic',
    provider: 'anthropic',
    requestModel: 'claude-sonnet-4-5-20250929',
    raw: {
      input_tokens: 0,
      cache_creation_input_tokens: 2000,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 1000 },
      output_tokens: 0,
    },
    usage: usage(2000, 0, { cacheWriteTokens: 2000, cacheWrite1hTokens: 1000 }),
    at: AT,
    costUsd: '0.00975',
  },
  // C18: reasoning inside completion: 14746×30 + 1944×180
  {
    id: 'C18 openai reasoning not added on top',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-5.4-pro',
    raw: {
      prompt_tokens: 14746,
      completion_tokens: 1944,
      completion_tokens_details: { reasoning_tokens: 1360 },
    },
    usage: usage(14746, 1944, { reasoningTokens: 1360 }),
    at: AT,
    costUsd: '0.7923',
  },
  // C20: o3 after its 2025-06-10 cut: 1000×2 + 5000×8
  {
    id: 'C20 reasoning tokens priced as output',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'o3',
    raw: {
      prompt_tokens: 1000,
      completion_tokens: 5000,
      completion_tokens_details: { reasoning_tokens: 4500 },
    },
    usage: usage(1000, 5000, { reasoningTokens: 4500 }),
    at: AT,
    costUsd: '0.042',
  },
  // C20 history: the same call before the cut, at $10 / $40: 1000×10 + 5000×40
  {
    id: 'C20b historic price before the o3 cut',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'o3',
    raw: {
      prompt_tokens: 1000,
      completion_tokens: 5000,
      completion_tokens_details: { reasoning_tokens: 4500 },
    },
    usage: usage(1000, 5000, { reasoningTokens: 4500 }),
    at: '2025-05-01T00:00:00.000Z',
    costUsd: '0.21',
  },
  // C21: thoughts outside candidates: 55021×1.25 + (923+785)×10
  {
    id: 'C21 gemini thinking tokens billed as output',
    api: 'gemini',
    provider: 'gcp.gemini',
    requestModel: 'gemini-2.5-pro',
    raw: {
      promptTokenCount: 55021,
      candidatesTokenCount: 923,
      thoughtsTokenCount: 785,
      totalTokenCount: 56729,
    },
    usage: usage(55021, 1708, { reasoningTokens: 785 }),
    at: AT,
    costUsd: '0.08585625',
  },
  // C23: the final stream chunk's usage: 14×0.15 + 42×0.60
  {
    id: 'C23 streamed usage from the final chunk',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-4o-mini',
    raw: { prompt_tokens: 14, completion_tokens: 42, total_tokens: 56 },
    usage: usage(14, 42),
    at: AT,
    costUsd: '0.0000273',
  },
  // C23: a stream with no usage chunk: usage missing, unpriced, never $0
  {
    id: 'C23b stream without usage stays unpriced',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-4o-mini',
    raw: null,
    usage: null,
    at: AT,
    costUsd: null,
  },
  // C25: a Bedrock id with no provider name at all: 9758×0.25 + 45×1.25
  {
    id: 'C25 bedrock claude id matched without a provider',
    api: 'bedrock',
    provider: '',
    requestModel: 'anthropic.claude-3-haiku-20240307-v1:0',
    raw: { inputTokens: 9758, outputTokens: 45, totalTokens: 9803 },
    usage: usage(9758, 45),
    at: AT,
    costUsd: '0.00249575',
  },
  // C25 class: a foundation-model ARN names the model: same price
  {
    id: 'C25b bedrock foundation-model ARN',
    api: 'bedrock',
    provider: 'aws.bedrock',
    requestModel:
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    raw: { inputTokens: 9758, outputTokens: 45 },
    usage: usage(9758, 45),
    at: AT,
    costUsd: '0.00249575',
  },
  // C25 class: an application inference profile ARN names no model: priced only when mapped
  {
    id: 'C25c bedrock application profile via the deployment map',
    api: 'bedrock',
    provider: 'aws.bedrock',
    requestModel: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4',
    deployments: {
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4':
        'us.anthropic.claude-3-haiku-20240307-v1:0',
    },
    raw: { inputTokens: 9758, outputTokens: 45 },
    usage: usage(9758, 45),
    at: AT,
    costUsd: '0.00249575',
  },
  {
    id: 'C25d bedrock application profile unmapped stays unpriced',
    api: 'bedrock',
    provider: 'aws.bedrock',
    requestModel: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/zz99',
    raw: { inputTokens: 9758, outputTokens: 45 },
    usage: usage(9758, 45),
    at: AT,
    costUsd: null,
  },
  // C27: the deployment map wins over the unversioned response name: 1000×10 + 500×30
  {
    id: 'C27 azure deployment priced as its base model',
    api: 'openai-chat',
    provider: 'azure.ai.openai',
    requestModel: 'GPT4-TURBO',
    responseModel: 'gpt-4',
    deployments: { 'GPT4-TURBO': 'gpt-4-1106-preview' },
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.025',
  },
  // C27 class: the deployment named by the endpoint URL, provider detected from the host
  {
    id: 'C27b azure deployment from the endpoint URL',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-4',
    responseModel: 'gpt-4',
    providerUrl: 'https://acme.openai.azure.com/openai/deployments/GPT4-TURBO/chat/completions',
    deployments: { 'gpt4-turbo': 'gpt-4-1106-preview' },
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.025',
  },
  // C29: the dated snapshot has its own entry: 1000×1 + 500×2
  {
    id: 'C29 dated snapshot priced',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-3.5-turbo-1106',
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.002',
  },
  // C29 trap: the 05-13 snapshot is $5 / $15, not the alias' $2.50 / $10: 1000×5 + 500×15;
  // the served snapshot wins over the requested alias.
  {
    id: 'C29b served snapshot wins over the alias',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-4o',
    responseModel: 'gpt-4o-2024-05-13',
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.0125',
  },
  // C30: the whole request at the long tier: 250000×2.50 + 10000×15
  {
    id: 'C30 gemini long-context tier',
    api: 'gemini',
    provider: 'gcp.gemini',
    requestModel: 'gemini-2.5-pro',
    raw: { promptTokenCount: 250000, candidatesTokenCount: 10000 },
    usage: usage(250000, 10000),
    at: AT,
    costUsd: '0.775',
    tier: '>200000',
  },
  // C32: 250000×4
  {
    id: 'C32 gemini 3.1 pro long tier',
    api: 'gemini',
    provider: 'gcp.gemini',
    requestModel: 'gemini-3.1-pro-preview',
    raw: { promptTokenCount: 250000 },
    usage: usage(250000, 0),
    at: AT,
    costUsd: '1',
    tier: '>200000',
  },
  // C32 cache variant: the cached share moves to the long tier too: 150000×4 + 100000×0.40
  {
    id: 'C32b gemini long tier for cached tokens',
    api: 'gemini',
    provider: 'gcp.gemini',
    requestModel: 'gemini-3.1-pro-preview',
    raw: { promptTokenCount: 250000, cachedContentTokenCount: 100000 },
    usage: usage(250000, 0, { cacheReadTokens: 100000 }),
    at: AT,
    costUsd: '0.64',
    tier: '>200000',
  },
  // C32 class: a long-context tier the catalog lacks (our rule): Sonnet 4 1M beta,
  // 300000×6 + 1000×22.5 before the beta was retired, flat 300000×3 + 1000×15 after.
  {
    id: 'C32c sonnet 4 long-context rule',
    api: 'anthropic',
    provider: 'anthropic',
    requestModel: 'claude-sonnet-4-20250514',
    raw: { input_tokens: 300000, output_tokens: 1000 },
    usage: usage(300000, 1000),
    at: '2026-01-15T00:00:00.000Z',
    costUsd: '1.8225',
    tier: '>200000',
  },
  {
    id: 'C32d sonnet 4 flat after the beta ended',
    api: 'anthropic',
    provider: 'anthropic',
    requestModel: 'claude-sonnet-4-20250514',
    raw: { input_tokens: 300000, output_tokens: 1000 },
    usage: usage(300000, 1000),
    at: '2026-06-01T00:00:00.000Z',
    costUsd: '0.915',
    tier: 'base',
  },
  // C34: 1000000×0.10 + 100000×0.30 (units per million, not per thousand)
  {
    id: 'C34 mistral units',
    api: 'openai-chat',
    provider: 'mistral_ai',
    requestModel: 'mistral-small-latest',
    raw: { prompt_tokens: 1000000, completion_tokens: 100000 },
    usage: usage(1000000, 100000),
    at: AT,
    costUsd: '0.13',
  },
  // C35: OpenRouter's own `usage.cost` wins over any catalog price
  {
    id: 'C35 openrouter reported cost wins',
    api: 'openrouter',
    provider: 'openrouter',
    requestModel: 'openai/gpt-oss-120b',
    raw: { prompt_tokens: 100000, completion_tokens: 10000, cost: 0.0054 },
    usage: usage(100000, 10000),
    at: AT,
    costUsd: '0.0054',
    source: 'provider',
  },
  // Service tiers (rules.ts): OpenAI Batch 50% off: (1000×2.50 + 500×10) / 2
  {
    id: 'T1 openai batch tier',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-4o',
    serviceTier: 'batch',
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.00375',
    tier: 'base batch',
  },
  // Flex: gpt-5 1000×1.25 + 500×10 halved
  {
    id: 'T2 openai flex tier',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-5',
    serviceTier: 'flex',
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.003125',
    tier: 'base flex',
  },
  // Priority: gpt-5 at 2×: (1000×1.25 + 500×10) × 2
  {
    id: 'T3 openai priority tier',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'gpt-5',
    serviceTier: 'priority',
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.0125',
    tier: 'base priority',
  },
  // Naming schemes: Vertex resource path, gemini-2.5-flash 1000×0.30 + 100×2.50
  {
    id: 'N1 vertex publishers path',
    api: 'gemini',
    provider: 'gcp.vertex_ai',
    requestModel: 'projects/acme/locations/us-central1/publishers/google/models/gemini-2.5-flash',
    raw: { promptTokenCount: 1000, candidatesTokenCount: 100 },
    usage: usage(1000, 100),
    at: AT,
    costUsd: '0.00055',
  },
  {
    id: 'N2 gemini models/ prefix',
    api: 'gemini',
    provider: '',
    requestModel: 'gemini-2.5-flash',
    responseModel: 'models/gemini-2.5-flash',
    raw: { promptTokenCount: 1000, candidatesTokenCount: 100 },
    usage: usage(1000, 100),
    at: AT,
    costUsd: '0.00055',
  },
  // Fine-tuned gpt-4o-mini at its fine-tune rates: 1000×0.30 + 500×1.20
  {
    id: 'N3 fine-tuned model at its own rates',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'ft:gpt-4o-mini-2024-07-18:acme::abc123',
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.0009',
  },
  // A fine-tune of a base we have no fine-tune rate for is not priced as the base
  {
    id: 'N4 fine-tune without known rates stays unpriced',
    api: 'openai-chat',
    provider: 'openai',
    requestModel: 'ft:davinci-002:acme::xyz',
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: null,
  },
  // LiteLLM-style vendor slug outside OpenRouter: openai/gpt-4o 1000×2.50 + 500×10
  {
    id: 'N5 vendor/model slug',
    api: 'openai-chat',
    provider: '',
    requestModel: 'openai/gpt-4o',
    raw: { prompt_tokens: 1000, completion_tokens: 500 },
    usage: usage(1000, 500),
    at: AT,
    costUsd: '0.0075',
  },
  // A model nobody prices: unpriced, never $0
  {
    id: 'U1 unknown model unpriced',
    api: 'openai-chat',
    provider: 'acme',
    requestModel: 'acme-9000',
    raw: { prompt_tokens: 100, completion_tokens: 100 },
    usage: usage(100, 100),
    at: AT,
    costUsd: null,
  },
]

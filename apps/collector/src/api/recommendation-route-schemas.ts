import type { RouteSpec } from './route-schemas'
import { EXPLORE_FILTERS, isoTime, RANGE } from './schema-parts'

const interval = {
  type: 'array',
  items: { type: 'number' },
  minItems: 2,
  maxItems: 2,
  description: '[low, high], 95%',
}

/** Present only when `clusterBy` asks for the key. */
const CLUSTER_FIELDS = {
  promptHash: {
    type: ['string', 'null'],
    description:
      'clusterBy promptHash: the system prompt hash of the cluster (16 hex digits), null for calls without one',
  },
  inputBand: {
    type: 'object',
    properties: { overTokens: { type: 'integer' }, upToTokens: { type: ['integer', 'null'] } },
    description:
      'clusterBy inputBand: the cluster holds calls with input in (overTokens, upToTokens]',
  },
}

/** The values of `clusterBy`, each naming the optional keys that split a step. */
export const CLUSTER_BY = ['step', 'promptHash', 'inputBand', 'promptHash,inputBand'] as const

const RECOMMENDATION = {
  type: 'object',
  properties: {
    taskName: { type: 'string' },
    step: { type: 'string' },
    ...CLUSTER_FIELDS,
    currentModel: { type: 'string' },
    suggestedModel: { type: 'string' },
    currentProvider: { type: 'string' },
    suggestedProvider: { type: 'string' },
    evidence: {
      enum: ['observed', 'replay', 'prior'],
      description:
        'observed: the step ran on both models; replay: shadow calls weighted by propensity; prior: capability tiers only',
    },
    status: {
      enum: ['recommended', 'needs_evidence', 'not_recommended'],
      description: 'A prior is never recommended',
    },
    calls: { type: 'integer', description: 'Priced calls of the current model in the range' },
    currentCostUsd: { type: 'number' },
    projectedCostUsd: { type: 'number', description: 'The same calls repriced on the suggestion' },
    savingsUsd: { type: 'number' },
    monthlySavingsUsd: {
      type: 'number',
      description:
        'Savings scaled to 30 days from the part of the range with traffic (from its first hour with a span to its end)',
    },
    monthlySavingsIntervalUsd: interval,
    qualityDelta: {
      type: 'number',
      description: 'Change of the success rate in points (-100..100, negative = worse)',
    },
    qualityDeltaInterval: interval,
    confidence: {
      type: 'number',
      description: 'Probability that the quality drop stays within the tolerance',
    },
    sample: {
      type: 'object',
      properties: { current: { type: 'integer' }, suggested: { type: 'integer' } },
      description: 'Tasks (observed) or shadow calls (replay) with outcomes the estimate rests on',
    },
    neededSample: {
      type: ['integer', 'null'],
      description: 'Per-model sample a decision would need (alpha 0.05 one-sided, power 0.8)',
    },
    outputRatio: { type: 'number', description: 'Suggested/current output length used' },
    reason: { type: 'string' },
  },
}

const STEP_MODEL = {
  type: 'object',
  properties: {
    model: { type: 'string' },
    provider: { type: 'string' },
    calls: { type: 'integer' },
    unpricedCalls: { type: 'integer' },
    spendUsd: { type: 'number' },
    meanInputTokens: { type: 'number' },
    meanOutputTokens: { type: 'number' },
    outputInputRatio: { type: ['number', 'null'] },
    finishReasons: { type: 'object', additionalProperties: { type: 'integer' } },
    errorRate: { type: 'number' },
    retryRate: { type: 'number' },
    tasksWithOutcome: { type: 'integer' },
    successRate: { type: ['number', 'null'] },
  },
}

export const RECOMMENDATION_ROUTES = {
  recommendations: {
    method: 'get',
    path: '/api/v1/recommendations',
    summary: 'Steps that could run on a cheaper model, with the evidence and the savings',
    auth: 'key',
    query: [
      ...RANGE,
      { name: 'taskName', description: 'Only steps of this task name', schema: { type: 'string' } },
      {
        name: 'toleranceDrop',
        description:
          'Tolerated drop of the success rate in points (default AGENTMETER_RECOMMEND_TOLERANCE_POINTS, 2)',
        schema: { type: 'integer', minimum: 0, maximum: 50 },
      },
      ...EXPLORE_FILTERS,
      {
        name: 'clusterBy',
        description:
          'Keys of a step cluster beside task name and step: the system prompt hash, the input band (default step: neither)',
        schema: { type: 'string', enum: [...CLUSTER_BY] },
      },
    ],
    response: {
      type: 'object',
      properties: {
        from: isoTime,
        to: isoTime,
        toleranceDrop: { type: 'number' },
        recommendations: { type: 'array', items: RECOMMENDATION },
        steps: {
          type: 'array',
          description: 'The step clusters behind the recommendations (shadow calls excluded)',
          items: {
            type: 'object',
            properties: {
              taskName: { type: 'string' },
              step: { type: 'string' },
              ...CLUSTER_FIELDS,
              needs: { type: 'object' },
              models: { type: 'array', items: STEP_MODEL },
            },
          },
        },
      },
    },
  },
} satisfies Record<string, RouteSpec>

/**
 * Attributes that carry routing evidence: how well a step did, and the shadow calls our SDK
 * makes to a candidate model (ARCHITECTURE.md, "Span attributes"; issue #6). The recommender
 * reads them from the `attributes` of any client's spans.
 */
export const EvidenceAttr = {
  /** Quality of one step's result in [0, 1], on the step span (or an LLM span). */
  stepScore: 'agentmeter.step.score',
  /** True on an LLM span the SDK made to a candidate model in shadow mode. */
  shadow: 'agentmeter.shadow',
  /** Span id of the real call a shadow call copied. */
  shadowPrimarySpanId: 'agentmeter.shadow.primary_span_id',
  /** Probability that this call was shadowed; on the shadow span and on the primary span. */
  shadowPropensity: 'agentmeter.shadow.propensity',
  /** The app's verdict of the shadow result against the primary one, in [0, 1] (1 = as good). */
  shadowScore: 'agentmeter.shadow.score',
  /** The app's yes/no verdict: the shadow result matches the primary one. */
  shadowMatch: 'agentmeter.shadow.match',
} as const

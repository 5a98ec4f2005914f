/**
 * `gen_ai.provider.name` for an OpenAI client, from the host it talks to: the client is used for
 * many OpenAI-compatible APIs, and the name decides which price list applies. Unknown hosts
 * (gateways, local servers, our replay provider) stay `openai`; `server.address` says the rest.
 */
const HOST_PROVIDERS: ReadonlyArray<[suffix: string, provider: string]> = [
  ['openai.azure.com', 'azure.ai.openai'],
  ['api.x.ai', 'x_ai'],
  ['openrouter.ai', 'openrouter'],
  ['api.groq.com', 'groq'],
  ['api.deepseek.com', 'deepseek'],
  ['api.mistral.ai', 'mistral_ai'],
  ['api.perplexity.ai', 'perplexity'],
  ['api.moonshot.ai', 'moonshot_ai'],
  ['generativelanguage.googleapis.com', 'gcp.gemini'],
]

export function openAiProviderName(host: string | undefined): string {
  if (!host) return 'openai'
  const lower = host.toLowerCase()
  for (const [suffix, provider] of HOST_PROVIDERS) {
    if (lower === suffix || lower.endsWith(`.${suffix}`)) return provider
  }
  return 'openai'
}

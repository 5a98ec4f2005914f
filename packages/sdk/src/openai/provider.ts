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

/** The name by host, as for parsed base URLs: an app talks to a few hosts, every call asks. */
const names = new Map<string, string>()
const MAX_HOSTS = 256

export function openAiProviderName(host: string | undefined): string {
  if (!host) return 'openai'
  let name = names.get(host)
  if (name === undefined) {
    name = providerOfHost(host.toLowerCase())
    if (names.size >= MAX_HOSTS) names.clear()
    names.set(host, name)
  }
  return name
}

function providerOfHost(host: string): string {
  for (const [suffix, provider] of HOST_PROVIDERS) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return provider
  }
  return 'openai'
}

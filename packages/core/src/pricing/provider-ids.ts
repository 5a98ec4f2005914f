/**
 * Provider names as instrumentations spell them (OTel `gen_ai.provider.name`, legacy
 * `gen_ai.system`, catalog ids) to genai-prices provider ids, and the provider an endpoint URL
 * belongs to.
 */
const PROVIDER_IDS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'aws.bedrock': 'aws',
  'aws-bedrock': 'aws',
  bedrock: 'aws',
  aws: 'aws',
  'azure.ai.openai': 'azure',
  'az.ai.openai': 'azure',
  'azure-openai': 'azure',
  azure: 'azure',
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  gemini: 'google',
  vertex_ai: 'google',
  vertex: 'google',
  google: 'google',
  x_ai: 'x-ai',
  xai: 'x-ai',
  'x-ai': 'x-ai',
  mistral_ai: 'mistral',
  mistral: 'mistral',
  deepseek: 'deepseek',
  groq: 'groq',
  cohere: 'cohere',
  perplexity: 'perplexity',
  openrouter: 'openrouter',
  moonshot_ai: 'moonshotai',
  moonshotai: 'moonshotai',
}

/** The catalog provider id for a provider name, or undefined when it is not one we know. */
export function catalogProviderId(provider: string): string | undefined {
  return PROVIDER_IDS[provider.trim().toLowerCase()]
}

/** Endpoint hosts to provider ids: the URL tells Azure and Bedrock apart from OpenAI/Anthropic. */
const HOSTS: Array<[RegExp, string]> = [
  [/\.openai\.azure\.com$|\.cognitiveservices\.azure\.com$|\.services\.ai\.azure\.com$/, 'azure'],
  [/^bedrock(-runtime)?(-fips)?\.[a-z0-9-]+\.amazonaws\.com$/, 'aws'],
  [/(^|\.)aiplatform\.googleapis\.com$|^generativelanguage\.googleapis\.com$/, 'google'],
  [/^openrouter\.ai$/, 'openrouter'],
  [/^api\.anthropic\.com$/, 'anthropic'],
  [/^api\.openai\.com$/, 'openai'],
  [/^api\.x\.ai$/, 'x-ai'],
  [/^api\.mistral\.ai$/, 'mistral'],
  [/^api\.deepseek\.com$/, 'deepseek'],
]

export interface EndpointInfo {
  providerId: string | undefined
  /** The Azure deployment named in the path (`/openai/deployments/{name}/...`), if any. */
  deployment: string | undefined
}

/** Reads the provider (and an Azure deployment name) from `url.full` or `server.address`. */
export function parseEndpoint(url: string): EndpointInfo {
  const text = url.trim()
  if (text === '') return { providerId: undefined, deployment: undefined }
  let host = text
  let pathname = ''
  try {
    const parsed = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`)
    host = parsed.hostname
    pathname = parsed.pathname
  } catch {
    // Not a URL: the text itself is taken as a host name.
  }
  host = host.toLowerCase()
  const providerId = HOSTS.find(([pattern]) => pattern.test(host))?.[1]
  const deployment = /\/openai\/deployments\/([^/]+)/.exec(pathname)?.[1]
  return { providerId, deployment: deployment ? decodeURIComponent(deployment) : undefined }
}

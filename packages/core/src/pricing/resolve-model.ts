import { catalogProviderId, parseEndpoint } from './provider-ids'

/** What a span says about the model it called, before any name is normalized. */
export interface ModelNameInput {
  /** `gen_ai.provider.name` (or a catalog provider id); empty when unknown. */
  provider: string
  /** `gen_ai.request.model`: an alias, an Azure deployment, a Bedrock id or ARN, ... */
  requestModel: string
  /** `gen_ai.response.model`: the model that served the call, when the provider said. */
  responseModel: string
  /** `url.full` or `server.address` of the call, when known. */
  providerUrl?: string
  /**
   * The project's deployment map: Azure deployment names and Bedrock application inference
   * profile ARNs (or ids) to the base model they run. Keys compare case-insensitively.
   */
  deployments?: Readonly<Record<string, string>>
}

/** The names to look a call up by, most specific first, and how they were reached. */
export interface ResolvedModel {
  /** Catalog provider id, or undefined to let the catalog guess from the name. */
  providerId: string | undefined
  /** The name as chosen (served model, or the deployment's base), before normalization. */
  chosen: string
  /** Normalized names to try in order: the exact name first, then its family. */
  candidates: string[]
  /** Set for `ft:` models: the base model they were tuned from. */
  fineTuneBase?: string
  /** Why the name cannot be priced at all (an ARN with no model in it), or ''. */
  unresolvable: string
  /** How the name was read, for the row's price reason ('' when nothing was rewritten). */
  note: string
}

/** OpenRouter variant suffixes that do not change which model answers. */
const OPENROUTER_VARIANTS = /:(free|nitro|floor|online|extended|thinking|exacto)$/
/** Publishers and vendors whose prefix names a catalog provider (`openai/gpt-4o`). */
const VENDOR_PROVIDERS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  'x-ai': 'x-ai',
  mistralai: 'mistral',
  deepseek: 'deepseek',
}
/** Bedrock model ids: optional geo prefix, a vendor, a dotted model id, a `-vN[:M]` version. */
const BEDROCK_ID =
  /^(?:(?:us|eu|apac|jp|au|ca|us-gov|global)\.)?(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|openai|qwen|writer)\.[a-z0-9.-]+(?::\d+)?$/

/**
 * Resolves the name a call should be priced by. The served model wins over the requested
 * alias (aliases move between snapshots), except on Azure, where the project's deployment map
 * names the base model exactly while the response often drops the version (`gpt-4` for a GPT-4
 * Turbo deployment). Provider-specific spellings are rewritten to catalog names: Bedrock ARNs,
 * Vertex and Gemini resource paths, OpenRouter and LiteLLM `vendor/model` slugs, `ft:` models.
 */
export function resolveModelName(input: ModelNameInput): ResolvedModel {
  const endpoint = parseEndpoint(input.providerUrl ?? '')
  let providerId = catalogProviderId(input.provider) ?? endpoint.providerId
  const notes: string[] = []

  const deployment = lookupDeployment(input, endpoint.deployment)
  let chosen = input.responseModel.trim() || input.requestModel.trim()
  if (deployment) {
    chosen = deployment.base
    notes.push(`deployment ${deployment.name} runs ${deployment.base}`)
  }

  let name = chosen.trim().toLowerCase()
  let unresolvable = ''

  const arn = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(name)
  if (arn) {
    providerId = providerId ?? 'aws'
    const [, resource = '', id = ''] = arn
    if (resource === 'application-inference-profile' || resource === 'provisioned-model') {
      unresolvable = `Bedrock ${resource} ${chosen} names no model; map it to its base model in the project's deployments`
    } else {
      name = id
      notes.push(`Bedrock ARN read as ${id}`)
    }
  }

  const vertex = /(?:^|\/)publishers\/([^/]+)\/models\/([^/]+)$/.exec(name)
  if (vertex) {
    const [, publisher = '', model = ''] = vertex
    // Claude on Vertex is priced under Google, which falls back to Anthropic's own entries.
    providerId =
      providerId ?? (publisher === 'google' || publisher === 'anthropic' ? 'google' : undefined)
    name = model
    notes.push(`Vertex resource read as ${model}`)
  } else if (/^models\/[^/]+$/.test(name)) {
    name = name.slice('models/'.length)
    providerId = providerId ?? 'google'
  }

  if (!providerId && BEDROCK_ID.test(name) && /-v\d+(:\d+)?$/.test(name)) providerId = 'aws'

  const slug = /^~?([a-z0-9-]+)\/(.+)$/.exec(name)
  if (slug && !arn && !vertex) {
    const [, vendor = '', model = ''] = slug
    if (providerId === 'openrouter') {
      name = `${vendor}/${model}`
    } else if (
      VENDOR_PROVIDERS[vendor] &&
      (!providerId || providerId === VENDOR_PROVIDERS[vendor])
    ) {
      // LiteLLM-style `openai/gpt-4o` outside OpenRouter: the vendor is the provider.
      providerId = VENDOR_PROVIDERS[vendor]
      name = model
    }
  }

  let fineTuneBase: string | undefined
  const fineTune = /^ft:([^:]+)(?::|$)/.exec(name)
  if (fineTune) {
    fineTuneBase = fineTune[1]
    providerId = providerId ?? 'openai'
  }

  const candidates = unique([name, ...familyNames(name, providerId)])
  return {
    providerId,
    chosen,
    candidates: fineTuneBase ? [name] : candidates,
    ...(fineTuneBase ? { fineTuneBase } : {}),
    unresolvable,
    note: notes.join('; '),
  }
}

/**
 * Less specific names for a dated snapshot, tried only after the exact name missed: the date
 * suffix dropped (`-2099-01-31`, `-20990131`, `@20990131`, `-0613`), and OpenRouter's variant
 * suffix. The catalog's own matcher runs first on the exact name, so a snapshot with its own
 * price (`gpt-4o-2024-05-13` at $5/$15) is never priced as its family.
 */
function familyNames(name: string, providerId: string | undefined): string[] {
  const names: string[] = []
  const stripped = name
    .replace(/[-@](\d{4}-\d{2}-\d{2}|\d{8})$/, '')
    .replace(/-(0[1-9]|1[0-2])(\d{2})$/, '')
  if (stripped !== name && stripped !== '') names.push(stripped)
  if (providerId === 'openrouter' && OPENROUTER_VARIANTS.test(name)) {
    names.push(name.replace(OPENROUTER_VARIANTS, ''))
  }
  return names
}

function lookupDeployment(
  input: ModelNameInput,
  fromUrl: string | undefined,
): { name: string; base: string } | null {
  const map = input.deployments
  if (!map) return null
  const wanted = [fromUrl, input.requestModel.trim()].filter(
    (value): value is string => value !== undefined && value !== '',
  )
  for (const [key, base] of Object.entries(map)) {
    const match = wanted.find((name) => name.toLowerCase() === key.trim().toLowerCase())
    if (match && base.trim() !== '') return { name: match, base: base.trim() }
  }
  return null
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))]
}

/**
 * The flags of `prices add`, each the CLI spelling of a field of the price book entry that
 * `POST /api/v1/prices` takes (the README's HTTP API): `--input` is `inputMtok`, and so on.
 */
const FLAG_FIELDS = {
  kind: 'kind',
  provider: 'provider',
  model: 'model',
  tool: 'toolName',
  deployment: 'deployment',
  'base-model': 'baseModel',
  'effective-from': 'effectiveFrom',
  input: 'inputMtok',
  output: 'outputMtok',
  'cache-read': 'cacheReadMtok',
  'cache-write': 'cacheWriteMtok',
  'cache-write-1h': 'cacheWrite1hMtok',
  'per-call': 'perCallUsd',
  note: 'note',
} as const

type PriceFlag = keyof typeof FLAG_FIELDS

export const PRICE_FLAGS = Object.fromEntries(
  Object.keys(FLAG_FIELDS).map((flag) => [flag, { type: 'string' }]),
) as Record<PriceFlag, { type: 'string' }>

/** The API body of `prices add` from its flags (those given). */
export function priceFields(
  values: Partial<Record<PriceFlag, string | boolean | undefined>>,
): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {}
  for (const [flag, field] of Object.entries(FLAG_FIELDS)) {
    const value = values[flag as PriceFlag]
    if (typeof value === 'string') fields[field] = value
  }
  return fields
}

/**
 * For an unknown option that is an API field name in any spelling (`--inputMtok`,
 * `--input-mtok`, `--per_call_usd`), the flag that sets that field.
 */
export function priceFlagHint(option: string): string | undefined {
  const squash = (text: string) => text.replace(/[-_]/g, '').toLowerCase()
  for (const [flag, field] of Object.entries(FLAG_FIELDS)) {
    if (squash(option) === squash(field) && flag !== option)
      return `the API field ${field} is --${flag} here`
  }
  return undefined
}

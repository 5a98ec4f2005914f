import { HttpError } from '../errors'

/** A named pattern whose matches are replaced by `[REDACTED:<name>]` before content is stored. */
export interface RedactionRule {
  name: string
  pattern: string
}

/**
 * Applied to all captured content, before the project's own rules. Each is a common shape of
 * secret or personal data in prompts and tool payloads.
 */
export const BUILT_IN_RULES: readonly RedactionRule[] = [
  // Provider and platform keys: OpenAI / Anthropic (sk-...), agentmeter (am_...), AWS, GitHub,
  // Slack, Google; then bearer tokens in copied headers.
  { name: 'api-key', pattern: String.raw`\b(?:sk|rk|pk)-[A-Za-z0-9_-]{16,}` },
  { name: 'api-key', pattern: String.raw`\bam_[A-Za-z0-9_-]{16,}` },
  { name: 'api-key', pattern: String.raw`\bAKIA[0-9A-Z]{16}\b` },
  { name: 'api-key', pattern: String.raw`\bgh[pousr]_[A-Za-z0-9]{30,}` },
  { name: 'api-key', pattern: String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}` },
  { name: 'api-key', pattern: String.raw`\bAIza[0-9A-Za-z_-]{35}` },
  { name: 'bearer-token', pattern: String.raw`\b[Bb]earer\s+[A-Za-z0-9._~+/-]{16,}=*` },
  {
    name: 'email',
    pattern: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,
  },
  // 13 to 19 digits, in groups separated by spaces or dashes, passing the Luhn check (below).
  { name: 'card-number', pattern: String.raw`\b\d(?:[ -]?\d){12,18}\b` },
]

const MAX_RULES = 50
const MAX_PATTERN_CHARS = 500

export interface Redactor {
  (text: string): string
}

/** The project's rules, checked: a name of word characters and a pattern that compiles. */
export function parseRedactionRules(value: unknown): RedactionRule[] {
  if (!Array.isArray(value) || value.length > MAX_RULES) {
    throw new HttpError(
      400,
      `redactionRules must be an array of at most ${MAX_RULES} { name, pattern } objects, got ${describe(value)}`,
    )
  }
  return value.map((rule: unknown, index) => {
    const { name, pattern } = (rule ?? {}) as Record<string, unknown>
    if (typeof name !== 'string' || !/^[\w-]{1,40}$/.test(name)) {
      throw new HttpError(
        400,
        `redactionRules[${index}].name must be 1 to 40 letters, digits, _ or -, got ${describe(name)}`,
      )
    }
    if (typeof pattern !== 'string' || pattern.length === 0 || pattern.length > MAX_PATTERN_CHARS) {
      throw new HttpError(
        400,
        `redactionRules[${index}].pattern must be a regular expression of 1 to ${MAX_PATTERN_CHARS} characters, got ${describe(pattern)}`,
      )
    }
    try {
      new RegExp(pattern, 'g')
    } catch (err) {
      throw new HttpError(
        400,
        `redactionRules[${index}].pattern is not a valid regular expression: ${(err as Error).message}`,
      )
    }
    return { name, pattern }
  })
}

/** One function applying the built-in rules, then the project's, to a text. */
export function createRedactor(projectRules: readonly RedactionRule[] = []): Redactor {
  const compiled = [...BUILT_IN_RULES, ...projectRules].map((rule) => ({
    name: rule.name,
    regex: new RegExp(rule.pattern, 'g'),
  }))
  return (text) => {
    let out = text
    for (const { name, regex } of compiled) {
      out = out.replace(regex, (match) =>
        name === 'card-number' && !passesLuhn(match) ? match : `[REDACTED:${name}]`,
      )
    }
    return out
  }
}

/** The Luhn checksum of card numbers, so that other long digit runs (ids, timestamps) stay. */
function passesLuhn(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '')
  let sum = 0
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 80)}...` : text
}

import { HttpError } from '../errors'
import {
  ATTRIBUTE_SOURCES,
  MAPPED_DIMENSIONS,
  type AttributeSource,
  type DimensionMapping,
  type MappedDimension,
} from '../store/dimension-store'

const MAX_KEY_CHARS = 256

/**
 * Reads the body of `PUT /api/v1/settings/dimensions`: `{ dimensions: [{ dimension, source,
 * attributeKey }] }`. Every refusal names the field, the value and what was expected.
 */
export function parseDimensionMappings(body: unknown): DimensionMapping[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'body must be a JSON object such as { "dimensions": [...] }')
  }
  const list = (body as { dimensions?: unknown }).dimensions
  if (!Array.isArray(list) || list.length === 0) {
    throw new HttpError(
      400,
      `dimensions must be a non-empty array of { dimension, source, attributeKey }, got ${JSON.stringify(list ?? null)}`,
    )
  }
  const seen = new Set<string>()
  return list.map((item: unknown, index) => {
    const path = `dimensions[${index}]`
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new HttpError(400, `${path} must be an object, got ${JSON.stringify(item)}`)
    }
    const { dimension, source = 'any', attributeKey } = item as Record<string, unknown>
    if (!(MAPPED_DIMENSIONS as readonly unknown[]).includes(dimension)) {
      throw new HttpError(
        400,
        `${path}.dimension must be one of ${MAPPED_DIMENSIONS.join(', ')}, got ${JSON.stringify(dimension ?? null)}`,
      )
    }
    if (seen.has(dimension as string)) {
      throw new HttpError(400, `${path}.dimension ${JSON.stringify(dimension)} is given twice`)
    }
    seen.add(dimension as string)
    if (!(ATTRIBUTE_SOURCES as readonly unknown[]).includes(source)) {
      throw new HttpError(
        400,
        `${path}.source must be one of ${ATTRIBUTE_SOURCES.join(', ')}, got ${JSON.stringify(source)}`,
      )
    }
    const key = attributeKey === null || attributeKey === '' ? null : attributeKey
    if (key !== null && (typeof key !== 'string' || key.length > MAX_KEY_CHARS)) {
      throw new HttpError(
        400,
        `${path}.attributeKey must be a string of at most ${MAX_KEY_CHARS} characters or null, got ${JSON.stringify(attributeKey ?? null)}`,
      )
    }
    return {
      dimension: dimension as MappedDimension,
      source: source as AttributeSource,
      attributeKey: key,
    }
  })
}

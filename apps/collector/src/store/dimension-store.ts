import type { ClickHouseClient } from '@clickhouse/client'
import { nextVersion, toDateTime64Millis } from '../alerts/version'

/** Showback dimensions a project maps to an attribute of its own choosing. */
export const MAPPED_DIMENSIONS = ['team', 'customer', 'feature'] as const
export type MappedDimension = (typeof MAPPED_DIMENSIONS)[number]

/** Dimensions that are span columns already (`deployment.environment.name`, `service.name`). */
export const BUILTIN_DIMENSIONS = ['environment', 'service'] as const
export type BuiltinDimension = (typeof BUILTIN_DIMENSIONS)[number]

export type ShowbackDimension = MappedDimension | BuiltinDimension

/** Where the mapped attribute is read: the span's attributes, its resource's, or either. */
export const ATTRIBUTE_SOURCES = ['span', 'resource', 'any'] as const
export type AttributeSource = (typeof ATTRIBUTE_SOURCES)[number]

export interface DimensionMapping {
  dimension: MappedDimension
  source: AttributeSource
  /** Attribute key such as `team` or `app.customer_id`; null when the dimension is not mapped. */
  attributeKey: string | null
}

/** The project's attribute mapping for showback, kept in `dimension_mappings`. */
export class DimensionStore {
  constructor(private readonly client: ClickHouseClient) {}

  /** Every mapped dimension, in `MAPPED_DIMENSIONS` order; the unmapped ones with a null key. */
  async list(projectId: string): Promise<DimensionMapping[]> {
    const result = await this.client.query({
      query: `SELECT dimension, source, attribute_key FROM dimension_mappings FINAL
        WHERE project_id = {projectId:String}`,
      query_params: { projectId },
      format: 'JSONEachRow',
    })
    const rows = await result.json<{ dimension: string; source: string; attribute_key: string }>()
    return MAPPED_DIMENSIONS.map((dimension) => {
      const row = rows.find((candidate) => candidate.dimension === dimension)
      const source = (ATTRIBUTE_SOURCES as readonly string[]).includes(row?.source ?? '')
        ? (row!.source as AttributeSource)
        : 'any'
      return { dimension, source, attributeKey: row?.attribute_key ? row.attribute_key : null }
    })
  }

  /** Stores the given mappings (others keep theirs); a null key unmaps the dimension. */
  async save(projectId: string, mappings: DimensionMapping[]): Promise<DimensionMapping[]> {
    const updatedAt = toDateTime64Millis(new Date())
    await this.client.insert({
      table: 'dimension_mappings',
      values: mappings.map((mapping) => ({
        project_id: projectId,
        dimension: mapping.dimension,
        source: mapping.source,
        attribute_key: mapping.attributeKey ?? '',
        updated_at: updatedAt,
        version: nextVersion(),
      })),
      format: 'JSONEachRow',
    })
    return this.list(projectId)
  }

  /** The mapping of one dimension, or null when it is not mapped. */
  async find(projectId: string, dimension: MappedDimension): Promise<DimensionMapping | null> {
    const mapping = (await this.list(projectId)).find((item) => item.dimension === dimension)
    return mapping?.attributeKey ? mapping : null
  }
}

import type { ClickHouseClient } from '@clickhouse/client'
import { createRedactor, type RedactionRule, type Redactor } from '../ingest/redaction'
import { RefreshAheadCache } from './refresh-ahead-cache'

/** A project's content settings as the API shows them. */
export interface ProjectSettings {
  /** Store captured prompt and completion content (redacted); off by default. */
  captureContent: boolean
  /** The project's own redaction rules, applied after the built-in ones. */
  redactionRules: RedactionRule[]
}

/** What ingest needs of a project's settings: whether to keep content, and how to redact it. */
export interface ContentPolicy {
  captureContent: boolean
  redact: Redactor
}

const DEFAULTS: ProjectSettings = { captureContent: false, redactionRules: [] }
const CACHE_MILLIS = 10_000

/**
 * Reads and writes project settings. Ingest reads the policy of every batch's project, so
 * policies are cached (10 s, dropped at once by a write through this store); while the store is
 * unavailable the last copy read keeps being used.
 */
export class ProjectSettingsStore {
  private cache = new RefreshAheadCache<ContentPolicy>(CACHE_MILLIS)

  constructor(private readonly client: ClickHouseClient) {}

  async get(projectId: string): Promise<ProjectSettings> {
    const result = await this.client.query({
      query: `SELECT capture_content, redaction_rules FROM project_settings FINAL
        WHERE project_id = {projectId:String}`,
      query_params: { projectId },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ capture_content: boolean; redaction_rules: string }>()
    if (!row) return DEFAULTS
    return {
      captureContent: row.capture_content,
      redactionRules: JSON.parse(row.redaction_rules || '[]') as RedactionRule[],
    }
  }

  async put(projectId: string, settings: ProjectSettings): Promise<ProjectSettings> {
    await this.client.insert({
      table: 'project_settings',
      values: [
        {
          project_id: projectId,
          capture_content: settings.captureContent,
          redaction_rules: JSON.stringify(settings.redactionRules),
        },
      ],
      format: 'JSONEachRow',
    })
    this.cache.delete(projectId)
    return settings
  }

  async policy(projectId: string): Promise<ContentPolicy> {
    return this.cache.get(projectId, async () => {
      const settings = await this.get(projectId)
      return {
        captureContent: settings.captureContent,
        redact: createRedactor(settings.redactionRules),
      }
    })
  }
}

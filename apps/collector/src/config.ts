import path from 'node:path'
import type { LogLevel } from './logger'

/**
 * Every setting of the collector, with its default, in one place. Flags of `agentmeter start`
 * override the environment; the environment overrides the defaults.
 */
export interface CollectorConfig {
  /** `AGENTMETER_PORT`, default 4318 (the OTLP/HTTP port). */
  port: number
  /** `AGENTMETER_HOST`, default 127.0.0.1. */
  host: string
  /** `AGENTMETER_DATA_DIR`, default ./.agentmeter: where the embedded ClickHouse keeps its data. */
  dataDir: string
  /** `AGENTMETER_CLICKHOUSE_URL`: a ClickHouse server to use instead of the embedded engine. */
  clickhouseUrl: string | undefined
  /**
   * `AGENTMETER_CLICKHOUSE_CLUSTER`: a cluster name from the server's `remote_servers`; the schema
   * is then created ON CLUSTER with Replicated and Distributed tables (see cluster-ddl.ts).
   */
  clickhouseCluster: string | undefined
  /** `AGENTMETER_CLICKHOUSE_USER` / `AGENTMETER_CLICKHOUSE_PASSWORD`, for the server. */
  clickhouseUser: string | undefined
  clickhousePassword: string | undefined
  /** `AGENTMETER_INIT_PROJECT` + `AGENTMETER_INIT_API_KEY`: provision a project and key at start. */
  initProject: string | undefined
  initApiKey: string | undefined
  /** `AGENTMETER_ADMIN_TOKEN`: bearer token of the instance admin routes. */
  adminToken: string | undefined
  /** `AGENTMETER_DASHBOARD_DIR`, default apps/dashboard/dist: the built dashboard to serve. */
  dashboardDir: string
  /** `AGENTMETER_MAX_BODY_BYTES`, default 64 MiB (the OTLP recommendation), after decompression. */
  maxBodyBytes: number
  /** `AGENTMETER_LOG_LEVEL`, default info. */
  logLevel: LogLevel
}

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..')

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  return {
    port: intSetting(env, 'AGENTMETER_PORT', 4318),
    host: env.AGENTMETER_HOST || '127.0.0.1',
    dataDir: path.resolve(env.AGENTMETER_DATA_DIR || '.agentmeter'),
    clickhouseUrl: env.AGENTMETER_CLICKHOUSE_URL || undefined,
    clickhouseCluster: env.AGENTMETER_CLICKHOUSE_CLUSTER || undefined,
    clickhouseUser: env.AGENTMETER_CLICKHOUSE_USER || undefined,
    clickhousePassword: env.AGENTMETER_CLICKHOUSE_PASSWORD || undefined,
    initProject: env.AGENTMETER_INIT_PROJECT || undefined,
    initApiKey: env.AGENTMETER_INIT_API_KEY || undefined,
    adminToken: env.AGENTMETER_ADMIN_TOKEN || undefined,
    dashboardDir: path.resolve(
      env.AGENTMETER_DASHBOARD_DIR || path.join(REPO_ROOT, 'apps/dashboard/dist'),
    ),
    maxBodyBytes: intSetting(env, 'AGENTMETER_MAX_BODY_BYTES', 64 * 1024 * 1024),
    logLevel: logLevelSetting(env.AGENTMETER_LOG_LEVEL),
  }
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`)
  }
  return value
}

function logLevelSetting(raw: string | undefined): LogLevel {
  const levels: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent']
  if (raw === undefined || raw === '') return 'info'
  if ((levels as string[]).includes(raw)) return raw as LogLevel
  throw new Error(
    `AGENTMETER_LOG_LEVEL must be one of ${levels.join(', ')}, got ${JSON.stringify(raw)}`,
  )
}

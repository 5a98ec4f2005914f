import fs from 'node:fs'
import path from 'node:path'
import { loadConfig } from '@agentmeter/collector'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { CLIENT_ENV_VARS, ENV_VARS, renderEnvTable } from '../apps/collector/src/config-vars'

// The deployment files cannot be run where agentmeter is developed (no Docker engine), so they
// are held here to what the collector reads and to the properties the README promises.
const ROOT = path.resolve(import.meta.dirname, '..')
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8')

interface ComposeService {
  image?: string
  build?: string
  environment?: Record<string, string | number>
  volumes?: string[]
  ports?: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
}
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, ComposeService>
  volumes: Record<string, unknown>
}
const clickhouse = compose.services.clickhouse!
const collector = compose.services.collector!

/** Dockerfile stages: their FROM line and instructions (continuation lines joined). */
function dockerfileStages(): Array<{ from: string; lines: string[] }> {
  const instructions = read('Dockerfile')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  const stages: Array<{ from: string; lines: string[] }> = []
  for (const line of instructions) {
    if (line.startsWith('FROM ')) stages.push({ from: line, lines: [] })
    else stages.at(-1)!.lines.push(line)
  }
  return stages
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => path.join(dir, file))
}

describe('configuration variables', () => {
  it('should list every variable the collector reads, once', () => {
    const known = new Set([...ENV_VARS.map((v) => v.name), ...CLIENT_ENV_VARS])
    expect(known.size).toBe(ENV_VARS.length + CLIENT_ENV_VARS.length)
    const used = new Set<string>()
    for (const file of sourceFiles('apps/collector/src')) {
      // A name ending in `_` is a wildcard in help text (`AGENTMETER_ALERT_*`), not a variable.
      for (const [name] of read(file).matchAll(/AGENTMETER_[A-Z0-9_]+/g)) {
        if (!name.endsWith('_')) used.add(name)
      }
    }
    expect([...used].filter((name) => !known.has(name))).toEqual([])
    const config =
      read('apps/collector/src/config.ts') + read('apps/collector/src/ingest/limits.ts')
    for (const v of ENV_VARS) expect(config, v.name).toContain(v.name)
  })

  it('should document the defaults loadConfig applies', () => {
    const defaults = loadConfig({})
    for (const v of ENV_VARS) {
      if (v.read) expect(String(v.read(defaults)), v.name).toBe(v.default)
    }
  })

  it('should have the generated table in the README', () => {
    const readme = read('README.md')
    const start = readme.indexOf('<!-- env-table: generated')
    const end = readme.indexOf('<!-- env-table: end -->')
    expect(start).toBeGreaterThan(0)
    const table = readme.slice(readme.indexOf('\n', start) + 1, end).trim()
    // Prettier may realign the columns; the cells are what must match.
    const cells = (text: string) =>
      text.split('\n').map((row) => row.split('|').map((c) => c.trim()))
    expect(cells(table)).toEqual(cells(renderEnvTable()))
    for (const name of CLIENT_ENV_VARS) expect(readme).toContain(name)
  })
})

describe('docker-compose.yml', () => {
  it('should run a pinned ClickHouse server with a volume and a health check', () => {
    expect(clickhouse.image).toMatch(/^clickhouse\/clickhouse-server:\d+\.\d+\.\d+\.\d+$/)
    const [volume, mount] = clickhouse.volumes![0]!.split(':')
    expect(mount).toBe('/var/lib/clickhouse')
    expect(Object.keys(compose.volumes)).toContain(volume)
    expect(clickhouse.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:8123/ping')
  })

  it('should build the collector here and start it once ClickHouse is healthy', () => {
    expect(collector.build).toBe('.')
    expect(collector.depends_on).toEqual({ clickhouse: { condition: 'service_healthy' } })
    expect(collector.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:4318/readyz')
    expect(collector.ports).toEqual(['127.0.0.1:4318:4318'])
  })

  it('should configure the collector only with variables it knows, pointing at that server', () => {
    const env = collector.environment!
    const names = new Set(ENV_VARS.map((v) => v.name))
    expect(Object.keys(env).filter((name) => !names.has(name))).toEqual([])
    expect(env.AGENTMETER_CLICKHOUSE_URL).toBe('http://clickhouse:8123')
    expect(env.AGENTMETER_CLICKHOUSE_USER).toBe(clickhouse.environment!.CLICKHOUSE_USER)
    expect(env.AGENTMETER_CLICKHOUSE_PASSWORD).toBe(clickhouse.environment!.CLICKHOUSE_PASSWORD)
    expect(env.AGENTMETER_INIT_PROJECT).toBeTruthy()
    expect(String(env.AGENTMETER_INIT_API_KEY)).toMatch(/am_/)
    // Every value loads: a typo in a number would stop the collector at start.
    const resolved = Object.fromEntries(
      Object.entries(env).map(([name, value]) => [
        name,
        String(value).replace(/\$\{\w+:-([^}]*)\}/g, '$1'),
      ]),
    )
    expect(loadConfig(resolved).clickhouseUrl).toBe('http://clickhouse:8123')
  })
})

describe('Dockerfile', () => {
  const stages = dockerfileStages()
  const runtime = stages.at(-1)!

  it('should build in one stage and run from a second, on pinned base images', () => {
    expect(stages.map((stage) => stage.from)).toEqual([
      expect.stringMatching(/^FROM node:\d+\.\d+\.\d+-bookworm-slim AS build$/),
      expect.stringMatching(/^FROM node:\d+\.\d+\.\d+-bookworm-slim AS runtime$/),
    ])
    // The runtime stage takes the built dashboard from the build stage, not a toolchain.
    expect(runtime.lines).toContain(
      'COPY --from=build /app/apps/dashboard/dist ./apps/dashboard/dist',
    )
    expect(runtime.lines.some((line) => /\bCOPY \. \./.test(line))).toBe(false)
  })

  it('should install production dependencies only and leave the embedded engine out', () => {
    const install = runtime.lines.find((line) => line.includes('pnpm install'))!
    expect(install).toContain('--prod')
    expect(install).toContain('--frozen-lockfile')
    expect(install).toContain('rm -rf node_modules/.pnpm/chdb@* node_modules/.pnpm/@chdb+*')
    // chdb is optional for the collector and nothing else it runs depends on it ...
    const collectorManifest = JSON.parse(read('apps/collector/package.json')) as Record<
      string,
      Record<string, string> | undefined
    >
    expect(collectorManifest.optionalDependencies?.chdb).toBeDefined()
    expect(collectorManifest.dependencies?.chdb).toBeUndefined()
    expect(read('packages/core/package.json')).not.toContain('chdb')
    // ... and the collector loads it only on demand, when no server URL is configured.
    const imports = sourceFiles('apps/collector/src').filter((file) =>
      /from 'chdb|import\('chdb/.test(read(file)),
    )
    expect(imports).toEqual(['apps/collector/src/store/client.ts'])
    expect(read('apps/collector/src/store/client.ts')).not.toMatch(/^import .* from 'chdb/m)
  })

  it('should run as a non-root user, listen on all interfaces and start the collector', () => {
    const user = runtime.lines.find((line) => line.startsWith('USER '))
    expect(user).toBe('USER node')
    const env = runtime.lines.find((line) => line.startsWith('ENV '))!
    const names = new Set(ENV_VARS.map((v) => v.name))
    for (const [, name] of env.matchAll(/(AGENTMETER_\w+)=/g)) expect(names.has(name!)).toBe(true)
    expect(env).toContain('AGENTMETER_HOST=0.0.0.0')
    expect(runtime.lines).toContain('EXPOSE 4318')
    const cmd = JSON.parse(
      runtime.lines.find((line) => line.startsWith('CMD '))!.slice(4),
    ) as string[]
    expect(cmd).toEqual([
      'node',
      '--import',
      './apps/collector/node_modules/tsx/dist/esm/index.mjs',
      'apps/collector/src/cli/main.ts',
      'start',
    ])
  })

  it('should give the non-root user a data directory for its spool, on a volume', () => {
    const env = runtime.lines.find((line) => line.startsWith('ENV '))!
    const dataDir = /AGENTMETER_DATA_DIR=(\S+)/.exec(env)?.[1]
    expect(dataDir).toBe('/var/lib/agentmeter')
    // Made and handed to the user before USER switches to it: /app itself belongs to root.
    const userAt = runtime.lines.findIndex((line) => line.startsWith('USER '))
    const chownAt = runtime.lines.findIndex(
      (line) => line.startsWith('RUN ') && line.includes(`chown node:node ${dataDir}`),
    )
    expect(chownAt).toBeGreaterThan(-1)
    expect(chownAt).toBeLessThan(userAt)
    expect(collector.volumes).toContain(`collector-spool:${dataDir}`)
    expect(Object.keys(compose.volumes ?? {})).toContain('collector-spool')
  })

  it('should keep local state and dependencies out of the build context', () => {
    const ignored = read('.dockerignore').split('\n')
    for (const entry of ['node_modules', '**/node_modules', '.agentmeter', '.git']) {
      expect(ignored).toContain(entry)
    }
  })
})

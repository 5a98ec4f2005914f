import path from 'node:path'
import type { CollectorConfig } from '../config'
import { liveLocalCollector } from './local-collector'
import { UsageError } from './usage-error'

/** A running collector's base URL, and where that address came from (for error messages). */
export interface CollectorAddress {
  url: string
  from: string
  /** Which step of the rule found it: given, recorded in the data directory, or the default. */
  source: 'given' | 'recorded' | 'default'
}

/**
 * Where CLI commands that go through a collector's API find it, one rule for all of them: an
 * explicit address (`--endpoint`, or the environment variable the command documents) first;
 * then the collector `start` recorded in the data directory while its process lives (so
 * `start --port 4999` or `AGENTMETER_PORT=4999 start` is found without repeating the port);
 * then `AGENTMETER_HOST:AGENTMETER_PORT`.
 */
export function collectorAddress(
  config: CollectorConfig,
  dataDir: string,
  explicit?: { url: string | undefined; from: string },
): CollectorAddress {
  if (explicit?.url) {
    if (!isHttpUrl(explicit.url)) {
      const source = explicit.from.replace(/^given by /, '')
      throw new UsageError(
        `${source} must be the collector's http(s) URL, such as http://127.0.0.1:4318, got ${JSON.stringify(explicit.url)}`,
      )
    }
    return { url: trimSlash(explicit.url), from: explicit.from, source: 'given' }
  }
  const running = liveLocalCollector(dataDir)
  if (running) {
    return {
      url: trimSlash(running.url),
      from: `the collector started on ${path.resolve(dataDir)} recorded it there`,
      source: 'recorded',
    }
  }
  return {
    url: defaultCollectorUrl(config),
    from: `AGENTMETER_HOST:AGENTMETER_PORT, as no running collector is recorded in ${path.resolve(dataDir)}`,
    source: 'default',
  }
}

/** `AGENTMETER_HOST:AGENTMETER_PORT` as a URL (an IPv6 host in brackets). */
export function defaultCollectorUrl(config: CollectorConfig): string {
  return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

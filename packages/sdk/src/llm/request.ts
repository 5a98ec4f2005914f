import type { Attributes } from '@opentelemetry/api'
import { SdkAttr } from '../attributes'
import { asFiniteNumber, asRecord, asString, type Json } from './shape'

export interface Server {
  address: string
  port: number
}

/** Parsed base URLs: an app has a few clients, and parsing a URL per call costs microseconds. */
const servers = new Map<string, Server | undefined>()
const MAX_SERVERS = 256

/** Where a client sends its requests, from its `baseURL`. */
export function serverOf(resource: unknown): Server | undefined {
  const client = asRecord(asRecord(resource)?.['_client'])
  const baseURL = asString(client?.['baseURL'])
  if (!baseURL) return undefined
  if (servers.has(baseURL)) return servers.get(baseURL)
  const server = parseServer(baseURL)
  if (servers.size >= MAX_SERVERS) servers.clear()
  servers.set(baseURL, server)
  return server
}

function parseServer(baseURL: string): Server | undefined {
  if (!URL.canParse(baseURL)) return undefined
  const url = new URL(baseURL)
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443
  return { address: url.hostname, port }
}

/** Request parameters and the server, as OTel GenAI attributes. */
export function requestAttributes(body: Json | undefined, server: Server | undefined): Attributes {
  const attributes: Attributes = {}
  if (server) {
    attributes[SdkAttr.serverAddress] = server.address
    attributes[SdkAttr.serverPort] = server.port
  }
  const maxTokens =
    asFiniteNumber(body?.['max_tokens']) ??
    asFiniteNumber(body?.['max_completion_tokens']) ??
    asFiniteNumber(body?.['max_output_tokens'])
  if (maxTokens !== undefined) attributes[SdkAttr.requestMaxTokens] = maxTokens
  const temperature = asFiniteNumber(body?.['temperature'])
  if (temperature !== undefined) attributes[SdkAttr.requestTemperature] = temperature
  const topP = asFiniteNumber(body?.['top_p'])
  if (topP !== undefined) attributes[SdkAttr.requestTopP] = topP
  return attributes
}

import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import { BlockedAddressError, classifyAddress, createGuardedLookup } from './address-guard'

export interface PostResult {
  statusCode: number
}

export interface PostOptions {
  timeoutMillis: number
  allowPrivate: boolean
}

/**
 * POSTs a JSON body to a webhook target through the address guard: an IP literal is checked
 * here (Node does not resolve literals), a name in the socket's own lookup. Redirects are not
 * followed, so a target cannot bounce the request to an internal address. Rejects on network
 * errors and timeouts; any HTTP answer resolves with its status.
 */
export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostResult> {
  const url = new URL(target)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!options.allowPrivate && isIP(host) !== 0) {
    const reason = classifyAddress(host)
    if (reason) return Promise.reject(new BlockedAddressError(host, host, reason))
  }
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'agentmeter-alerts/1',
          ...headers,
        },
        lookup: createGuardedLookup(options.allowPrivate),
        timeout: options.timeoutMillis,
      },
      (response) => {
        // The answer's body is not needed; drain it so the socket is released.
        response.resume()
        response.on('end', () => resolve({ statusCode: response.statusCode ?? 0 }))
        response.on('error', reject)
      },
    )
    request.on('timeout', () =>
      request.destroy(new Error(`no answer within ${options.timeoutMillis} ms`)),
    )
    request.on('error', reject)
    request.end(body)
  })
}

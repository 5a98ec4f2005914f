import dns from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Which webhook targets are refused: loopback, private, link-local and other non-public
 * addresses, so that a rule cannot make the collector probe its own network (SSRF). Checked on
 * the address the connection actually uses, at delivery time, so a name that resolved to a
 * public address at creation and to 127.0.0.1 later (DNS rebinding) is still refused.
 */
const RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a private (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a reserved address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a reserved (benchmarking) address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'an unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['fc00::', 7, 'ipv6', 'a private (unique local) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
]

const LISTS = RANGES.map(([network, prefix, family, label]) => {
  const list = new BlockList()
  list.addSubnet(network, prefix, family)
  return { list, family, label }
})

/** Why an IP address is refused as a webhook target, or null when it is a public address. */
export function classifyAddress(address: string): string | null {
  const family = isIP(address)
  if (family === 0) return null
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) reaches the IPv4 host it embeds.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return classifyAddress(mapped[1]!)
  const type = family === 4 ? 'ipv4' : 'ipv6'
  for (const entry of LISTS) {
    if (entry.family === type && entry.list.check(address, type)) return entry.label
  }
  return null
}

/** Why a URL host (a name or an IP literal, IPv6 in brackets) is refused, or null. */
export function describeBlockedHost(hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name'
  return classifyAddress(host)
}

/** A webhook target refused by the address guard; the message names the address and the switch. */
export class BlockedAddressError extends Error {
  constructor(host: string, address: string, reason: string) {
    super(
      `webhook host ${host} resolved to ${address}, ${reason}; set AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1 to allow loopback, private and link-local targets`,
    )
    this.name = 'BlockedAddressError'
  }
}

/**
 * A `lookup` for `http.request` that resolves the name and refuses the connection when any
 * address it resolved to is not public. The socket connects to the addresses checked here, so
 * there is no second resolution an attacker could answer differently.
 */
export function createGuardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0)
      const list = addresses as dns.LookupAddress[]
      if (!allowPrivate) {
        for (const entry of list) {
          const reason = classifyAddress(entry.address)
          if (reason)
            return callback(new BlockedAddressError(hostname, entry.address, reason), '', 0)
        }
      }
      if (options.all) return (callback as unknown as AllCallback)(null, list)
      const first = list[0]
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0)
      callback(null, first.address, first.family)
    })
  }
}

type AllCallback = (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void

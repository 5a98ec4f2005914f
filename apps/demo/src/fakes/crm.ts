// A fake help desk and order system for the ticket-triage agent: no network. A few fixed
// records, and any number more made from an id (the same id always gives the same record), so
// the demo's tickets can be new ones, as a real help desk's are.
import type { Rng } from '../prng'
import { stableHash } from './text'

export interface Customer {
  id: string
  name: string
  tier: 'free' | 'pro' | 'enterprise'
  since: string
}

export interface Order {
  id: string
  customerId: string
  status: 'processing' | 'shipped' | 'delivered' | 'refunded'
  items: string[]
  totalUsd: number
}

export interface Ticket {
  id: string
  customerId: string
  orderId: string
  channel: 'email' | 'chat' | 'phone'
  subject: string
  body: string
}

const CUSTOMERS: readonly Customer[] = [
  { id: 'CUST-1001', name: 'Ada Lovelace', tier: 'enterprise', since: '2021-03-02' },
  { id: 'CUST-1002', name: 'Grace Hopper', tier: 'pro', since: '2022-07-19' },
  { id: 'CUST-1003', name: 'Alan Turing', tier: 'free', since: '2024-01-11' },
  { id: 'CUST-1004', name: 'Katherine Johnson', tier: 'pro', since: '2023-05-30' },
  { id: 'CUST-1005', name: 'Edsger Dijkstra', tier: 'free', since: '2025-02-14' },
]

const ORDERS: readonly Order[] = [
  { id: 'ORD-5001', customerId: 'CUST-1001', status: 'shipped', items: ['router'], totalUsd: 249 },
  { id: 'ORD-5002', customerId: 'CUST-1002', status: 'processing', items: ['cable'], totalUsd: 19 },
  { id: 'ORD-5003', customerId: 'CUST-1003', status: 'delivered', items: ['switch'], totalUsd: 89 },
  { id: 'ORD-5004', customerId: 'CUST-1004', status: 'refunded', items: ['modem'], totalUsd: 129 },
  { id: 'ORD-5005', customerId: 'CUST-1005', status: 'shipped', items: ['antenna'], totalUsd: 59 },
]

const LATE = 'My order has not arrived yet and the tracking page has not changed for a week.'
const BROKEN =
  'The device arrived but it does not power on, even with a different outlet and cable.'
const BILLING = 'I was charged twice for the same order. Please refund the duplicate payment.'
const DETAIL =
  ' I have already tried the steps in the help centre, restarted everything twice and waited a' +
  ' full day in case it was a temporary problem. This is for our office, so a quick answer matters.'

/**
 * Sample tickets: the routing agents' messages, and the kinds of ticket the triage agent gets
 * (each of its tasks a new ticket of one of these kinds, see `newTicket`). TCK-2006 points at
 * an order the order system does not know.
 */
export const TICKETS: readonly Ticket[] = [
  ticket('TCK-2001', 'CUST-1001', 'ORD-5001', 'email', 'Where is my order?', LATE + DETAIL),
  ticket('TCK-2002', 'CUST-1002', 'ORD-5002', 'chat', 'Order still processing', LATE),
  ticket('TCK-2003', 'CUST-1003', 'ORD-5003', 'email', 'Device dead on arrival', BROKEN + DETAIL),
  ticket('TCK-2004', 'CUST-1004', 'ORD-5004', 'phone', 'Refund not received', BILLING),
  ticket('TCK-2005', 'CUST-1005', 'ORD-5005', 'chat', 'Charged twice', BILLING + DETAIL),
  ticket('TCK-2006', 'CUST-1002', 'ORD-5999', 'email', 'Wrong item', BROKEN),
  ticket('TCK-2007', 'CUST-1003', 'ORD-5003', 'chat', 'Missing parcel', LATE + DETAIL + DETAIL),
  ticket('TCK-2008', 'CUST-1001', 'ORD-5001', 'phone', 'Invoice copy', BILLING),
]

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Donald', 'Frances']
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
]
const TIERS: readonly Customer['tier'][] = ['free', 'pro', 'pro', 'enterprise']
const ITEMS = ['router', 'cable', 'switch', 'modem', 'antenna', 'access point', 'power supply']
const STATUSES: readonly Order['status'][] = ['processing', 'shipped', 'shipped', 'delivered']

/** Generated customers: `CUST-` and five digits. */
const GENERATED_CUSTOMER = /^CUST-\d{5}$/
/** Generated orders: `ORD-` and six digits; those starting with 9 exist nowhere (a typo). */
const GENERATED_ORDER = /^ORD-[1-8]\d{5}$/

/** @throws Error when the customer does not exist */
export function findCustomer(id: unknown): Customer {
  const customer = CUSTOMERS.find((c) => c.id === id)
  if (customer !== undefined) return customer
  const key = String(id)
  if (!GENERATED_CUSTOMER.test(key)) throw new Error(`customer ${key} not found`)
  const hash = stableHash(key)
  return {
    id: key,
    name: `${FIRST_NAMES[hash % 8]} ${LAST_NAMES[(hash >>> 3) % 8]}`,
    tier: TIERS[(hash >>> 6) % TIERS.length]!,
    since: `20${18 + ((hash >>> 8) % 8)}-0${1 + ((hash >>> 11) % 9)}-1${(hash >>> 15) % 10}`,
  }
}

/** @throws Error when the order does not exist */
export function findOrder(id: unknown): Order {
  const order = ORDERS.find((o) => o.id === id)
  if (order !== undefined) return order
  const key = String(id)
  if (!GENERATED_ORDER.test(key)) throw new Error(`order ${key} not found`)
  const hash = stableHash(key)
  return {
    id: key,
    customerId: `CUST-${10_000 + (hash % 90_000)}`,
    status: STATUSES[(hash >>> 4) % STATUSES.length]!,
    items: [ITEMS[(hash >>> 7) % ITEMS.length]!],
    totalUsd: 15 + ((hash >>> 10) % 400),
  }
}

const OPENINGS = ['Hello,', 'Hi team,', 'Good morning,', '', 'Hi,']
const WAITS = ['three days', 'a week', 'ten days', 'two weeks']

/**
 * A new ticket of the same kind as `template` (its channel, subject and problem), from a new
 * customer about a new order, worded a little differently: no two customers write alike. The
 * template that points at an order the system does not know gives an unknown order number
 * (a typo), so those tickets still fail in the lookup.
 */
export function newTicket(template: Ticket, rng: Rng): Ticket {
  const unknownOrder = findOrderOrNull(template.orderId) === null
  const orderId = `ORD-${unknownOrder ? 9 : rng.int(1, 8)}${String(rng.int(0, 99_999)).padStart(5, '0')}`
  const item = rng.pick(ITEMS)
  const opening = rng.pick(OPENINGS)
  const body = [
    opening,
    template.body.replace('My order', `My ${item} order`).replace('The device', `The ${item}`),
    rng.chance(0.5) ? `I have been waiting ${rng.pick(WAITS)} now.` : '',
    `Order ${orderId}.`,
  ]
    .filter(Boolean)
    .join(' ')
  return {
    id: `TCK-${rng.int(10_000, 99_999)}`,
    customerId: `CUST-${rng.int(10_000, 99_999)}`,
    orderId,
    channel: template.channel,
    subject: rng.chance(0.5) ? template.subject : `${template.subject} (${item})`,
    body,
  }
}

function findOrderOrNull(id: string): Order | null {
  try {
    return findOrder(id)
  } catch {
    return null
  }
}

function ticket(
  id: string,
  customerId: string,
  orderId: string,
  channel: Ticket['channel'],
  subject: string,
  body: string,
): Ticket {
  return { id, customerId, orderId, channel, subject, body }
}

// A fake help desk and order system for the ticket-triage agent: fixed data, no network.

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

/** Tickets to triage; TCK-2006 points at an order the order system does not know. */
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

/** @throws Error when the customer does not exist */
export function findCustomer(id: unknown): Customer {
  const customer = CUSTOMERS.find((c) => c.id === id)
  if (customer === undefined) throw new Error(`customer ${String(id)} not found`)
  return customer
}

/** @throws Error when the order does not exist */
export function findOrder(id: unknown): Order {
  const order = ORDERS.find((o) => o.id === id)
  if (order === undefined) throw new Error(`order ${String(id)} not found`)
  return order
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

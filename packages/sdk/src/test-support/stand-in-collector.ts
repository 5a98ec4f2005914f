import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the stand-in answers: 200, 500, 400, or 503 with `Retry-After: 1`. */
export type StandInAnswer = 'ok' | 'error' | 'bad' | 'busy'

const STATUS: Record<StandInAnswer, number> = { ok: 200, error: 500, bad: 400, busy: 503 }

/**
 * A loopback stand-in for the collector's OTLP route whose answer a test switches, and which
 * can stop listening and listen again on the same port (a collector restart).
 */
export interface StandInCollector {
  url: string
  answer: StandInAnswer
  /** When each request arrived (Date.now()), in order. */
  readonly arrivals: number[]
  /** Bytes of each request answered 200. */
  readonly accepted: Buffer[]
  /** Stops listening and drops open connections: connections are refused from now on. */
  down(): Promise<void>
  /** Listens again on the same port. */
  up(): Promise<void>
}

export async function startStandInCollector(answer: StandInAnswer): Promise<StandInCollector> {
  let server: http.Server | undefined
  let port = 0
  const collector = {
    url: '',
    answer,
    arrivals: [] as number[],
    accepted: [] as Buffer[],
    async down() {
      const closing = server
      server = undefined
      if (!closing) return
      closing.closeAllConnections()
      await new Promise<void>((resolve) => closing.close(() => resolve()))
    },
    async up() {
      const listening = http.createServer((request, response) => {
        const chunks: Buffer[] = []
        request.on('data', (chunk: Buffer) => chunks.push(chunk))
        request.on('end', () => {
          collector.arrivals.push(Date.now())
          if (collector.answer === 'ok') collector.accepted.push(Buffer.concat(chunks))
          response.writeHead(STATUS[collector.answer], {
            'content-type': 'application/x-protobuf',
            ...(collector.answer === 'busy' ? { 'retry-after': '1' } : {}),
          })
          response.end()
        })
      })
      await new Promise<void>((resolve) => listening.listen(port, '127.0.0.1', resolve))
      port = (listening.address() as AddressInfo).port
      server = listening
      collector.url = `http://127.0.0.1:${port}/v1/traces`
    },
  }
  await collector.up()
  return collector
}

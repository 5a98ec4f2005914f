import { trace } from '@opentelemetry/api'
import { init } from '../index'

// An app that ends one span and returns without shutdown(), with the collector down: the
// batch waits for its retry on an unref'd timer, which must not hold the process.
const handle = init({
  endpoint: process.argv[2]!.replace(/\/v1\/traces$/, ''),
  exportIntervalMillis: 10,
})
trace.getTracer('exit-test').startSpan('the only span').end()
setTimeout(() => process.stdout.write(`${JSON.stringify(handle.stats())}\n`), 1500)

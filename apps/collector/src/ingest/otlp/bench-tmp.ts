import { decodeProtobufTraceRequest } from './decode-protobuf'
import { decodeJsonTraceRequest } from './decode-json'
import {
  createTestProtobufBody,
  createTestJsonBody,
  createTestReadableSpan,
} from './create-test-spans'
import { resourceFromAttributes } from '@opentelemetry/resources'
const resource = resourceFromAttributes({
  'service.name': 'svc',
  'telemetry.sdk.name': 'opentelemetry',
})
const spans = Array.from({ length: 2000 }, (_, i) =>
  createTestReadableSpan({
    traceId: 'ea673708441c2984a54a3e3962d3595f',
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 'chat gpt-4o',
    kind: 2,
    startTime: [1738074845, 669299666],
    endTime: [1738074846, 843448248],
    resource,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 1234,
      'gen_ai.usage.output_tokens': 56,
      'agentmeter.task.id': 'task-' + i,
      'agentmeter.step.name': 'classify',
      'agentmeter.request.hash': '0123456789abcdef',
      'agentmeter.prompt.prefix_hashes': [
        'aaaaaaaaaaaaaaaa',
        'bbbbbbbbbbbbbbbb',
        'cccccccccccccccc',
      ],
      'agentmeter.prompt.prefix_tokens': [100, 200, 1234],
      'gen_ai.request.temperature': 0.2,
    },
  }),
)
const pb = createTestProtobufBody(spans),
  js = createTestJsonBody(spans)
console.log('sizes', pb.length, js.length)
for (const [name, fn, body] of [['protobuf', decodeProtobufTraceRequest, pb]] as const) {
  for (let i = 0; i < 30; i++) fn(body)
  let best = Infinity
  for (let i = 0; i < 600; i++) {
    const t = performance.now()
    fn(body)
    best = Math.min(best, performance.now() - t)
  }
  console.log(name, 'best', best.toFixed(2), 'ms,', ((2000 / best) * 1000).toFixed(0), 'spans/s')
}

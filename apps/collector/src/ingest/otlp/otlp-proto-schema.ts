/**
 * The OTLP trace messages as far as the protobuf decoder needs them: field numbers, names (for
 * error messages) and wire types (to refuse a known field sent with the wrong one). Taken from
 * opentelemetry-proto v1: collector/trace/v1/trace_service.proto, trace/v1/trace.proto,
 * common/v1/common.proto and resource/v1/resource.proto.
 */

export const WIRE_VARINT = 0
export const WIRE_FIXED64 = 1
export const WIRE_LEN = 2
export const WIRE_START_GROUP = 3
export const WIRE_END_GROUP = 4
export const WIRE_FIXED32 = 5

export const WIRE_TYPE_NAMES: readonly string[] = [
  'varint',
  'fixed64',
  'length-delimited',
  'start-group',
  'end-group',
  'fixed32',
]

export interface MessageSchema {
  name: string
  fields: Readonly<Record<number, readonly [name: string, wireType: number]>>
}

function message(name: string, fields: MessageSchema['fields']): MessageSchema {
  return { name, fields }
}

export const EXPORT_REQUEST = message('ExportTraceServiceRequest', {
  1: ['resource_spans', WIRE_LEN],
})

export const RESOURCE_SPANS = message('ResourceSpans', {
  1: ['resource', WIRE_LEN],
  2: ['scope_spans', WIRE_LEN],
  3: ['schema_url', WIRE_LEN],
})

export const RESOURCE = message('Resource', {
  1: ['attributes', WIRE_LEN],
  2: ['dropped_attributes_count', WIRE_VARINT],
  3: ['entity_refs', WIRE_LEN],
})

export const SCOPE_SPANS = message('ScopeSpans', {
  1: ['scope', WIRE_LEN],
  2: ['spans', WIRE_LEN],
  3: ['schema_url', WIRE_LEN],
})

export const SCOPE = message('InstrumentationScope', {
  1: ['name', WIRE_LEN],
  2: ['version', WIRE_LEN],
  3: ['attributes', WIRE_LEN],
  4: ['dropped_attributes_count', WIRE_VARINT],
})

export const SPAN = message('Span', {
  1: ['trace_id', WIRE_LEN],
  2: ['span_id', WIRE_LEN],
  3: ['trace_state', WIRE_LEN],
  4: ['parent_span_id', WIRE_LEN],
  5: ['name', WIRE_LEN],
  6: ['kind', WIRE_VARINT],
  7: ['start_time_unix_nano', WIRE_FIXED64],
  8: ['end_time_unix_nano', WIRE_FIXED64],
  9: ['attributes', WIRE_LEN],
  10: ['dropped_attributes_count', WIRE_VARINT],
  11: ['events', WIRE_LEN],
  12: ['dropped_events_count', WIRE_VARINT],
  13: ['links', WIRE_LEN],
  14: ['dropped_links_count', WIRE_VARINT],
  15: ['status', WIRE_LEN],
  16: ['flags', WIRE_FIXED32],
})

export const EVENT = message('Span.Event', {
  1: ['time_unix_nano', WIRE_FIXED64],
  2: ['name', WIRE_LEN],
  3: ['attributes', WIRE_LEN],
  4: ['dropped_attributes_count', WIRE_VARINT],
})

export const STATUS = message('Status', {
  2: ['message', WIRE_LEN],
  3: ['code', WIRE_VARINT],
})

export const KEY_VALUE = message('KeyValue', {
  1: ['key', WIRE_LEN],
  2: ['value', WIRE_LEN],
})

export const ANY_VALUE = message('AnyValue', {
  1: ['string_value', WIRE_LEN],
  2: ['bool_value', WIRE_VARINT],
  3: ['int_value', WIRE_VARINT],
  4: ['double_value', WIRE_FIXED64],
  5: ['array_value', WIRE_LEN],
  6: ['kvlist_value', WIRE_LEN],
  7: ['bytes_value', WIRE_LEN],
})

export const ARRAY_VALUE = message('ArrayValue', { 1: ['values', WIRE_LEN] })

export const KEY_VALUE_LIST = message('KeyValueList', { 1: ['values', WIRE_LEN] })

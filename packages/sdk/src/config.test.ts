import { describe, expect, it } from 'vitest'
import { resolveConfig } from './config'

describe('resolveConfig', () => {
  it('should default to the local collector, no key and service agent', () => {
    expect(resolveConfig({}, {})).toEqual({
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      headers: undefined,
      hashKey: null,
      serviceName: 'agent',
      captureContent: false,
      exportIntervalMillis: undefined,
      requestTimeoutMillis: 10_000,
      batch: {
        scheduledDelayMillis: undefined,
        maxQueueSize: undefined,
        maxBatchSize: undefined,
        exportTimeoutMillis: undefined,
        maxRetryAgeMillis: undefined,
      },
    })
  })

  it('should read the batching limits from the OTEL_BSP_* variables, ignoring bad values', () => {
    const env = {
      OTEL_BSP_SCHEDULE_DELAY: '250',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 'lots',
      OTEL_BSP_EXPORT_TIMEOUT: '-1',
    }
    expect(resolveConfig({}, env).batch).toEqual({
      scheduledDelayMillis: 250,
      maxQueueSize: 100,
      maxBatchSize: undefined,
      exportTimeoutMillis: undefined,
      maxRetryAgeMillis: undefined,
    })
    expect(resolveConfig({ exportIntervalMillis: 50 }, env).batch.scheduledDelayMillis).toBe(50)
  })

  it('should take the retry age from the option, then AGENTMETER_EXPORT_RETRY_MAX_AGE_MS, 0 meaning off', () => {
    const age = (options: { exportRetryMaxAgeMillis?: number }, value?: string) =>
      resolveConfig(options, { AGENTMETER_EXPORT_RETRY_MAX_AGE_MS: value }).batch.maxRetryAgeMillis
    expect(age({}, '15000')).toBe(15_000)
    expect(age({}, '0')).toBe(0)
    expect(age({ exportRetryMaxAgeMillis: 2500 }, '15000')).toBe(2500)
    expect(age({ exportRetryMaxAgeMillis: 0 }, '15000')).toBe(0)
    expect(age({}, '1.5')).toBeUndefined()
    expect(age({}, '-1')).toBeUndefined()
    expect(age({}, ' ')).toBeUndefined()
    expect(age({ exportRetryMaxAgeMillis: -5 }, '15000')).toBe(15_000)
  })

  it('should bound one export request by OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT, within the batch timeout', () => {
    const timeout = (env: Record<string, string>) => resolveConfig({}, env).requestTimeoutMillis
    expect(timeout({})).toBe(10_000)
    expect(timeout({ OTEL_EXPORTER_OTLP_TIMEOUT: '2500' })).toBe(2500)
    expect(
      timeout({ OTEL_EXPORTER_OTLP_TIMEOUT: '2500', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '1200' }),
    ).toBe(1200)
    // The processor abandons the batch at its own timeout, so a request may not outlast it.
    expect(timeout({ OTEL_EXPORTER_OTLP_TIMEOUT: '30000', OTEL_BSP_EXPORT_TIMEOUT: '4000' })).toBe(
      4000,
    )
    expect(timeout({ OTEL_BSP_EXPORT_TIMEOUT: '4000' })).toBe(4000)
    expect(timeout({ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' })).toBe(10_000)
  })

  it('should prefer options, then AGENTMETER_*, then OTEL_* variables', () => {
    const env = {
      AGENTMETER_ENDPOINT: 'http://127.0.0.1:9000/',
      AGENTMETER_API_KEY: 'env-key',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:7000',
      OTEL_SERVICE_NAME: 'env-service',
    }
    expect(resolveConfig({}, env)).toMatchObject({
      tracesUrl: 'http://127.0.0.1:9000/v1/traces',
      headers: { Authorization: 'Bearer env-key' },
      serviceName: 'env-service',
    })
    expect(
      resolveConfig(
        { endpoint: 'http://127.0.0.1:8000', apiKey: 'opt-key', serviceName: 'svc' },
        env,
      ),
    ).toMatchObject({
      tracesUrl: 'http://127.0.0.1:8000/v1/traces',
      headers: { Authorization: 'Bearer opt-key' },
      serviceName: 'svc',
    })
  })

  it('should use OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as the full URL, before the base one', () => {
    const env = {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:7001/custom/traces',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:7000',
    }
    expect(resolveConfig({}, env).tracesUrl).toBe('http://127.0.0.1:7001/custom/traces')
    expect(
      resolveConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:7000' }).tracesUrl,
    ).toBe('http://127.0.0.1:7000/v1/traces')
  })

  it('should ignore empty variables', () => {
    expect(resolveConfig({}, { AGENTMETER_API_KEY: ' ', OTEL_SERVICE_NAME: '' })).toMatchObject({
      headers: undefined,
      serviceName: 'agent',
    })
  })
})

import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config'
import { storeClientOptions } from './client'

describe('storeClientOptions', () => {
  it('should take the server, its credentials and the cluster from the configuration', () => {
    const config = loadConfig({
      AGENTMETER_CLICKHOUSE_URL: 'http://127.0.0.1:8123',
      AGENTMETER_CLICKHOUSE_USER: 'agentmeter',
      AGENTMETER_CLICKHOUSE_PASSWORD: 'secret-password',
      AGENTMETER_CLICKHOUSE_CLUSTER: 'prod',
      AGENTMETER_DATA_DIR: '/tmp/agentmeter-options-data',
    })
    expect(storeClientOptions(config)).toEqual({
      url: 'http://127.0.0.1:8123',
      username: 'agentmeter',
      password: 'secret-password',
      cluster: 'prod',
      dataDir: '/tmp/agentmeter-options-data',
    })
  })

  it('should open another data directory when a command names one', () => {
    const config = loadConfig({ AGENTMETER_DATA_DIR: '/tmp/agentmeter-options-data' })
    expect(storeClientOptions(config, '/tmp/other-data')).toEqual({
      url: undefined,
      username: undefined,
      password: undefined,
      cluster: undefined,
      dataDir: '/tmp/other-data',
    })
    expect(storeClientOptions(config, undefined).dataDir).toBe('/tmp/agentmeter-options-data')
  })
})

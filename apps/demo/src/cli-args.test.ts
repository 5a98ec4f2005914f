import { describe, expect, it } from 'vitest'

import { parseCliArgs } from './cli-args'

describe('parseCliArgs', () => {
  it('should take defaults from the environment, then from constants', () => {
    expect(parseCliArgs([], { AGENTMETER_API_KEY: 'env-key' })).toEqual({
      endpoint: 'http://127.0.0.1:4318',
      apiKey: 'env-key',
      tasks: 12,
      routingTasks: 0,
      loop: false,
      intervalMillis: 5000,
      help: false,
    })
    expect(
      parseCliArgs([], { AGENTMETER_API_KEY: 'k', AGENTMETER_ENDPOINT: 'http://127.0.0.1:9999' })
        .endpoint,
    ).toBe('http://127.0.0.1:9999')
  })

  it('should let flags override the environment', () => {
    const argv = ['--endpoint', 'http://127.0.0.1:5000', '--key', 'flag-key', '--tasks', '3']
    const more = ['--loop', '--interval-ms', '250', '--seed', '42']

    expect(parseCliArgs([...argv, ...more], { AGENTMETER_API_KEY: 'env-key' })).toEqual({
      endpoint: 'http://127.0.0.1:5000',
      apiKey: 'flag-key',
      tasks: 3,
      routingTasks: 0,
      loop: true,
      intervalMillis: 250,
      seed: 42,
      help: false,
    })
  })

  it('should reject a missing key, a bad number and a bad endpoint with the flag named', () => {
    expect(() => parseCliArgs([], {})).toThrow(
      'missing API key: pass --key KEY or set AGENTMETER_API_KEY',
    )
    expect(() => parseCliArgs(['--key', 'k', '--tasks', '0'], {})).toThrow(
      '--tasks got "0"; expected an integer of at least 1',
    )
    expect(() => parseCliArgs(['--key', 'k', '--seed', '1.5'], {})).toThrow(
      '--seed got "1.5"; expected an integer of at least 0',
    )
    expect(() => parseCliArgs(['--key', 'k', '--endpoint', 'localhost:4318'], {})).toThrow(
      '--endpoint got "localhost:4318"; expected an http:// or https:// URL',
    )
    expect(() => parseCliArgs(['--bogus'], {})).toThrow("Unknown option '--bogus'")
  })

  it('should take the state file of --state as given', () => {
    expect(parseCliArgs(['--key', 'k', '--state', 'data/demo-state.json'], {}).stateFile).toBe(
      'data/demo-state.json',
    )
    expect(parseCliArgs(['--key', 'k'], {})).not.toHaveProperty('stateFile')
  })

  it('should accept --help without a key', () => {
    expect(parseCliArgs(['--help'], {}).help).toBe(true)
  })
})

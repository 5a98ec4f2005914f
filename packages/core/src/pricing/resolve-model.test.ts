import { describe, expect, it } from 'vitest'
import { resolveModelName } from './resolve-model'

const resolve = (input: Partial<Parameters<typeof resolveModelName>[0]>) =>
  resolveModelName({ provider: '', requestModel: '', responseModel: '', ...input })

describe('resolveModelName', () => {
  it('should prefer the served model over the requested alias', () => {
    expect(resolve({ requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-05-13' })).toMatchObject({
      chosen: 'gpt-4o-2024-05-13',
      candidates: ['gpt-4o-2024-05-13', 'gpt-4o'],
    })
  })

  it('should try dated snapshots exactly first, then their family', () => {
    expect(resolve({ requestModel: 'claude-sonnet-4@20250514' }).candidates).toEqual([
      'claude-sonnet-4@20250514',
      'claude-sonnet-4',
    ])
    expect(resolve({ requestModel: 'gpt-3.5-turbo-0613' }).candidates).toEqual([
      'gpt-3.5-turbo-0613',
      'gpt-3.5-turbo',
    ])
    expect(resolve({ requestModel: 'o3' }).candidates).toEqual(['o3'])
  })

  it('should read Bedrock ids, ARNs and profiles as AWS', () => {
    expect(resolve({ requestModel: 'us.anthropic.claude-sonnet-4-20250514-v1:0' }).providerId).toBe(
      'aws',
    )
    expect(
      resolve({
        requestModel:
          'arn:aws:bedrock:eu-west-1:123:inference-profile/eu.anthropic.claude-opus-4-5-20251101-v1:0',
      }),
    ).toMatchObject({
      providerId: 'aws',
      candidates: ['eu.anthropic.claude-opus-4-5-20251101-v1:0'],
    })
    expect(
      resolve({ requestModel: 'arn:aws:bedrock:us-east-1:1:application-inference-profile/x' })
        .unresolvable,
    ).toMatch(/names no model; map it to its base model/)
  })

  it('should read Vertex and Gemini resource names', () => {
    expect(
      resolve({
        requestModel:
          'projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514',
      }),
    ).toMatchObject({ providerId: 'google', chosen: expect.any(String) })
    expect(resolve({ requestModel: 'models/gemini-2.5-flash' })).toMatchObject({
      providerId: 'google',
      candidates: ['gemini-2.5-flash'],
    })
  })

  it('should keep OpenRouter slugs and drop their variant suffix as the family', () => {
    expect(
      resolve({ provider: 'openrouter', requestModel: 'meta-llama/llama-3.3-70b-instruct:nitro' }),
    ).toMatchObject({
      providerId: 'openrouter',
      candidates: ['meta-llama/llama-3.3-70b-instruct:nitro', 'meta-llama/llama-3.3-70b-instruct'],
    })
  })

  it('should name an Azure deployment by its base model from the map, by name or by URL', () => {
    const deployments = { 'prod-chat': 'gpt-4o-2024-08-06' }
    expect(
      resolve({
        provider: 'azure.ai.openai',
        requestModel: 'prod-chat',
        responseModel: 'gpt-4o',
        deployments,
      }),
    ).toMatchObject({
      chosen: 'gpt-4o-2024-08-06',
      note: 'deployment prod-chat runs gpt-4o-2024-08-06',
    })
    expect(
      resolve({
        requestModel: 'gpt-4o',
        providerUrl:
          'https://x.openai.azure.com/openai/deployments/PROD-CHAT/chat/completions?api-version=1',
        deployments,
      }),
    ).toMatchObject({ providerId: 'azure', chosen: 'gpt-4o-2024-08-06' })
  })

  it('should read ft: models as fine-tunes of their base', () => {
    expect(resolve({ requestModel: 'ft:gpt-4.1-mini-2025-04-14:acme:run:abc' })).toMatchObject({
      providerId: 'openai',
      fineTuneBase: 'gpt-4.1-mini-2025-04-14',
    })
  })
})

import { describe, expect, it } from 'vitest'
import { signInRefusal } from './sign-in-refusal'

describe('signInRefusal', () => {
  it('should say a key was revoked when the collector says so, and stay generic otherwise', () => {
    expect(signInRefusal('that key was revoked: sign in with a key that is not')).toBe(
      'That key was revoked. Sign in with a key that is still in use.',
    )
    expect(signInRefusal('that key is not a valid project key with the read scope')).toBe(
      'That key was not accepted. Check it and try again.',
    )
  })
})

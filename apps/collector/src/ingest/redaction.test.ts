import { describe, expect, it } from 'vitest'
import { HttpError } from '../errors'
import { createRedactor, parseRedactionRules } from './redaction'

describe('createRedactor', () => {
  const redact = createRedactor([{ name: 'ticket', pattern: String.raw`TCK-\d{4}` }])

  it('should redact keys, bearer tokens, emails, card numbers and the project patterns', () => {
    expect(
      redact(
        'key sk-ant-api03-AbCdEfGhIjKlMnOpQr, am_Qk3vVd9sLmN0pR2tUw4x, AKIAIOSFODNN7EXAMPLE, ' +
          'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc, mail a.b+c@mail.example.org, ' +
          'card 4242-4242-4242-4242, ticket TCK-0042',
      ),
    ).toBe(
      'key [REDACTED:api-key], [REDACTED:api-key], [REDACTED:api-key], ' +
        'Authorization: [REDACTED:bearer-token], mail [REDACTED:email], ' +
        'card [REDACTED:card-number], ticket [REDACTED:ticket]',
    )
  })

  it('should keep long digit runs that are not card numbers (ids, timestamps)', () => {
    expect(redact('order 1234567890123 at 1764835200000000')).toBe(
      'order 1234567890123 at 1764835200000000',
    )
  })
})

describe('parseRedactionRules', () => {
  it('should name the rule and the problem of an invalid one', () => {
    expect(() => parseRedactionRules([{ name: 'ok', pattern: '(' }])).toThrow(
      /^redactionRules\[0\]\.pattern is not a valid regular expression/,
    )
    expect(() => parseRedactionRules([{ name: 'has space', pattern: 'x' }])).toThrow(
      new HttpError(
        400,
        'redactionRules[0].name must be 1 to 40 letters, digits, _ or -, got "has space"',
      ),
    )
    expect(() => parseRedactionRules('x')).toThrow(/must be an array of at most 50/)
  })
})

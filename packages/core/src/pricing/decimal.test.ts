import { describe, expect, it } from 'vitest'
import {
  dividePico,
  formatDecimal,
  parseDecimal,
  picoToUsd,
  usdPerUnit,
  usdToPico,
} from './decimal'

describe('decimal money', () => {
  it('should parse prices exactly, including exponent forms', () => {
    expect(parseDecimal(0.075, 6)).toBe(75_000n)
    expect(parseDecimal(1.25e-7, 12)).toBe(125_000n)
    expect(parseDecimal('2.5', 6)).toBe(2_500_000n)
    expect(parseDecimal(30, 6)).toBe(30_000_000n)
  })

  it('should round half up past the scale', () => {
    expect(parseDecimal('0.0000000000015', 12)).toBe(2n)
    expect(parseDecimal('0.0000000000014', 12)).toBe(1n)
  })

  it('should format with a fixed number of fractional digits', () => {
    expect(formatDecimal(7_500_000_000n, 12)).toBe('0.007500000000')
    expect(formatDecimal(-5n, 3)).toBe('-0.005')
    expect(picoToUsd(usdToPico('12.345'))).toBe('12.345000000000')
  })

  it('should sum a million small costs without drift', () => {
    let total = 0n
    for (let i = 0; i < 1_000_000; i++) total += usdToPico('0.000000300000')
    expect(picoToUsd(total)).toBe('0.300000000000')
  })

  it('should share a total out per unit to the pico-dollar, without float noise', () => {
    // As doubles: 0.002488 / 5 = 0.0004976000000000001.
    expect(usdPerUnit('0.002488000000', 5)).toBe(0.0004976)
    expect(usdPerUnit('1', 3)).toBe(0.333333333333)
    expect(usdPerUnit('2', 3)).toBe(0.666666666667)
    expect(dividePico(5n, 2)).toBe(3n)
    expect(usdPerUnit(null, 3)).toBeNull()
    expect(usdPerUnit('1', 0)).toBeNull()
  })

  it('should reject text that is not a decimal number', () => {
    expect(() => parseDecimal('1e5x', 6)).toThrow('not a decimal number: "1e5x"')
  })
})

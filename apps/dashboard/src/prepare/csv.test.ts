import { describe, expect, it } from 'vitest'
import { csvField, csvFileName, toCsv } from './csv'

describe('toCsv', () => {
  it('should quote commas, quotes and line breaks as RFC 4180 says, with CRLF records', () => {
    expect(
      toCsv(
        ['team', 'cost'],
        [
          ['support, tier 1', 0.5],
          ['say "hi"', null],
          ['two\nlines', 3],
        ],
      ),
    ).toBe('team,cost\r\n"support, tier 1",0.5\r\n"say ""hi""",\r\n"two\nlines",3\r\n')
  })

  it('does guard cells a spreadsheet would run as formulas, but not numbers', () => {
    expect(['=1+1', '+SUM(A1)', '-2', '@cmd', '\tx', 'a=b'].map(csvField)).toEqual([
      "'=1+1",
      "'+SUM(A1)",
      "'-2",
      "'@cmd",
      "'\tx",
      'a=b',
    ])
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    expect([csvField(-0.25), csvField(Number.NaN), csvField(null)]).toEqual(['-0.25', '', ''])
  })
})

describe('csvFileName', () => {
  it('should name the table and the day', () => {
    expect(csvFileName('Spend by team', new Date('2026-12-04T10:00:00Z'))).toBe(
      'agentmeter-spend-by-team-2026-12-04.csv',
    )
  })
})

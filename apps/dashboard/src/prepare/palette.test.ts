import { describe, expect, it } from 'vitest'
import { OTHER_SERIES_COLOR, PERCENTILE_COLORS, SERIES_COLOR_COUNT, seriesColor } from './palette'

describe('seriesColor', () => {
  it('should give each of the first ranks its own colour, never the neutral "other" one', () => {
    const colors = Array.from({ length: SERIES_COLOR_COUNT }, (_, rank) => seriesColor(rank))
    expect(colors).toEqual([
      '#0072b2',
      '#e69f00',
      '#009e73',
      '#cc79a7',
      '#56b4e9',
      '#d55e00',
      '#8e6bbf',
      '#2a9d8f',
    ])
    expect(colors).not.toContain(OTHER_SERIES_COLOR)
  })

  it('does wrap past the palette instead of running out', () => {
    expect(seriesColor(SERIES_COLOR_COUNT)).toBe(seriesColor(0))
    expect(seriesColor(SERIES_COLOR_COUNT * 2 + 3)).toBe(seriesColor(3))
  })

  it('should draw p95 darker than p50, from the same palette', () => {
    expect(PERCENTILE_COLORS).toEqual({ p50: seriesColor(4), p95: seriesColor(0) })
  })
})

import { describe, expect, it } from 'vitest'
import { createLatencyHistogram } from '../src/bench/histogram.js'
import { coefficientOfVariation, compareSides, mad, mean, median, outliers, stddev } from '../src/bench/stats.js'

describe('stats', () => {
  it('computes centre and spread of known data', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBe(0)
    expect(mean([1, 2, 3, 4])).toBe(2.5)
    // Sample standard deviation of 2,4,4,4,5,5,7,9 is sqrt(32/7).
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 10)
    expect(stddev([5])).toBe(0)
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1)
    expect(coefficientOfVariation([10, 10, 10])).toBe(0)
    expect(coefficientOfVariation([90, 100, 110])).toBeCloseTo(0.1, 10)
  })

  it('flags values beyond median ± 3 × 1.4826 × MAD', () => {
    // median 10, MAD 1: the bound is 4.4478.
    expect(outliers([9, 10, 11, 10, 9, 11, 10, 25, 14])).toEqual([25])
    expect(outliers([9, 10, 11, 10, 9, 11, 10, 14.4])).toEqual([])
    expect(outliers([])).toEqual([])
  })

  it('compares two sides: a clear difference is high confidence', () => {
    const c = compareSides([1000, 1010, 990], [1500, 1520, 1490])
    expect(c.ratio).toBe(1.5)
    expect(c.confidence).toBe('high')
    expect(c.note).toMatch(/above every baseline/)
  })

  it('compares two sides: overlapping ranges are low confidence, a wide spread is said', () => {
    const overlap = compareSides([1000, 1040, 980], [1030, 1060, 1010])
    expect(overlap.confidence).toBe('low')
    expect(overlap.note).toMatch(/overlap/)
    const spread = compareSides([800, 1000, 1100], [2000, 2010, 2005])
    expect(spread.confidence).toBe('high')
    expect(spread.note).toMatch(/above every baseline trial, but the trials vary \(baseline spread 16%\): the ratio is approximate/)
    const noisy = compareSides([800, 1000, 1100], [1050, 1300, 1250])
    expect(noisy.confidence).toBe('low')
    expect(noisy.note).toMatch(/^trials disagree: baseline spread 16%.*; the trials overlap/)
    expect(spread.ratio).toBe(2.005)
    expect(compareSides([], [1])).toMatchObject({ ratio: null, confidence: 'low' })
  })
})

describe('latency histogram', () => {
  it('records microseconds and reports milliseconds', () => {
    const h = createLatencyHistogram()
    for (let us = 1000; us <= 100_000; us += 1000) h.record(us)
    const s = h.summary()
    expect(h.count).toBe(100)
    expect(s.min).toBe(1)
    expect(s.max).toBeCloseTo(100, 0)
    expect(s.p50).toBeCloseTo(50, 0)
    expect(s.p99).toBeCloseTo(99, 0)
    expect(s.mean).toBeCloseTo(50.5, 0)
    const d = h.distribution()
    expect(d[0]).toEqual([0, 1])
    expect(d[d.length - 1]![0]).toBe(100)
  })

  it('merges, resets, and summarises an empty histogram as zeros', () => {
    const a = createLatencyHistogram()
    const b = createLatencyHistogram()
    a.record(500)
    b.record(1500)
    b.record(0) // clamped to 1 µs
    a.merge(b)
    expect(a.count).toBe(3)
    expect(a.summary().max).toBeCloseTo(1.5, 2)
    a.reset()
    expect(a.summary()).toEqual({ p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0 })
  })
})

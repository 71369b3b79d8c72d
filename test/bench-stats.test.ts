import { describe, expect, it } from 'vitest'
import { createLatencyHistogram } from '../src/bench/histogram.js'
import { judgeTrials, latencyOverTrials, type TrialFigures } from '../src/bench/runner.js'
import { coefficientOfVariation, compareSides, mad, mean, median, noisySeries, outliers, ratioRange, stddev } from '../src/bench/stats.js'
import type { LatencySummary } from '../src/model/bench.js'

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
    expect(a.summary()).toEqual({ p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0, count: 0 })
  })
})

describe('honest bench statistics', () => {
  it('max is the largest sample recorded, not the top of its bucket; the count is every sample', () => {
    const h = createLatencyHistogram()
    // 123 457 µs falls in a bucket whose upper edge is above it (3 significant digits).
    for (const us of [1_000, 2_000, 123_457]) h.record(us)
    expect(h.raw.getValueAtPercentile(100)).toBeGreaterThan(123_457)
    const s = h.summary()
    expect(s.max).toBe(123.457)
    expect(s.min).toBe(1)
    expect(s.count).toBe(3)
    expect(h.percentile(100)).toBe(123.457)
    // Merged: the largest of both, and every sample.
    const other = createLatencyHistogram()
    other.record(200_001)
    h.merge(other)
    expect(h.summary()).toMatchObject({ max: 200.001, count: 4 })
    expect(h.distribution().at(-1)).toEqual([100, 200.001])
  })

  it('over trials: percentiles the median of the trials, max and min the true extremes, counts summed', () => {
    const t = (p95: number, max: number, min: number, count: number): LatencySummary => ({ p50: 1, p90: 2, p95, p99: 4, p999: 5, max, mean: 1, min, count })
    const l = latencyOverTrials([t(10, 50, 0.5, 100), t(12, 900, 0.4, 120), t(11, 60, 0.6, 110)])
    expect(l.p95).toBe(11)
    expect(l.max).toBe(900)
    expect(l.min).toBe(0.4)
    expect(l.count).toBe(330)
    // A figure written before samples were counted: no count is made up.
    expect(latencyOverTrials([{ ...t(1, 2, 0.1, 1), count: undefined } as unknown as LatencySummary]).count).toBeUndefined()
  })

  it('fewer than three trials a side gives no confidence word', () => {
    expect(compareSides([1000, 1010], [2000, 2020])).toMatchObject({ ratio: 2, confidence: 'too-few-trials' })
    expect(compareSides([1000, 1010], [2000, 2020]).note).toMatch(/too few trials to say: 2 baseline and 2 candidate trials/)
    const trial = (rps: number, p95: number): TrialFigures => ({
      throughput: { rps },
      latency: { p50: p95 / 2, p90: p95, p95, p99: p95, p999: p95, max: p95, mean: p95, min: 1 },
    })
    const j = judgeTrials([trial(1000, 10)], [trial(3000, 3)], 0.25)
    expect(j.verdict.confidence).toBe('too-few-trials')
    expect(j.verdict.trials).toEqual({ baseline: 1, candidate: 1 })
    expect(j.verdict.note).not.toMatch(/\bhigh\b|\blow\b/)
  })

  it('a spread over the limit is too noisy to decide; under it the usual confidence', () => {
    const trial = (rps: number, p95: number): TrialFigures => ({
      throughput: { rps },
      latency: { p50: p95 / 2, p90: p95, p95, p99: p95, p999: p95, max: p95, mean: p95, min: 1 },
    })
    // Candidate p95 per trial 4, 9, 2: coefficient of variation 0.72.
    const noisy = judgeTrials([trial(1000, 10), trial(1000, 10.5), trial(1000, 9.5)], [trial(1500, 4), trial(1500, 9), trial(1500, 2)], 0.25)
    expect(noisy.verdict.confidence).toBe('too-noisy')
    expect(noisy.verdict.note).toMatch(/^too noisy to decide: candidate p95 varies 72% between trials \(the limit is 25%/)
    expect(noisy.verdict.ranges?.p95).toEqual([0.19, 0.947])
    // The same figures with a limit over their spread: decided.
    expect(judgeTrials([trial(1000, 10), trial(1000, 10.5), trial(1000, 9.5)], [trial(1500, 4), trial(1500, 9), trial(1500, 2)], 1).verdict.confidence).toBe(
      'high',
    )
    expect(noisySeries([{ what: 'a', values: [10, 10, 10] }], 0.25)).toEqual([])
    expect(ratioRange([10, 20], [5, 6])).toEqual([0.25, 0.6])
    expect(ratioRange([], [5])).toBeNull()
  })
})

/**
 * Latency histogram: integer microseconds in, milliseconds out. A thin wrapper over hdr-histogram-js
 * (the JS implementation: no wasm start-up, and recording is cheap enough for the generator's rate).
 * The exact smallest and largest values are kept beside the buckets: a bucket's edge is not a sample,
 * and `max` must be the slowest request that happened, not the top of the bucket it fell in.
 */
import { build, type Histogram } from 'hdr-histogram-js'
import type { LatencySummary } from '../model/bench.js'

/** Percentiles of the chart points in LoadResult.distribution. */
export const DISTRIBUTION_PERCENTILES = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.9, 99.99, 100] as const

const HIGHEST_US = 60_000_000

export interface LatencyHistogram {
  /** Record one latency in microseconds (clamped to 1 µs .. 60 s). */
  record(us: number): void
  readonly count: number
  summary(): LatencySummary
  /** [percentile, ms] for DISTRIBUTION_PERCENTILES. */
  distribution(): Array<[number, number]>
  /** Value at a percentile (0..100), in ms. */
  percentile(p: number): number
  /** Add another histogram's values into this one. */
  merge(other: LatencyHistogram): void
  reset(): void
  /** The exact smallest and largest values recorded, µs ([Infinity, 0] when empty). */
  extremes(): [number, number]
  /** The underlying histogram (for merge). */
  readonly raw: Histogram
}

export function createLatencyHistogram(): LatencyHistogram {
  const h = build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, useWebAssembly: false })
  const ms = (us: number) => Math.round(us) / 1000
  // Exact extremes (µs): the histogram only knows the bucket a value fell in.
  let lo = Number.POSITIVE_INFINITY
  let hi = 0
  // Percentiles never pass the true extremes (a bucket's edge may).
  const clamp = (us: number) => Math.min(hi, Math.max(lo, us))
  const self: LatencyHistogram = {
    raw: h,
    get count() {
      return h.totalCount
    },
    record(us) {
      const v = us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : Math.round(us)
      h.recordValue(v)
      if (v < lo) lo = v
      if (v > hi) hi = v
    },
    percentile(p) {
      if (h.totalCount === 0) return 0
      if (p <= 0) return ms(lo)
      if (p >= 100) return ms(hi)
      return ms(clamp(h.getValueAtPercentile(p)))
    },
    summary() {
      if (h.totalCount === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0, count: 0 }
      return {
        p50: ms(clamp(h.getValueAtPercentile(50))),
        p90: ms(clamp(h.getValueAtPercentile(90))),
        p95: ms(clamp(h.getValueAtPercentile(95))),
        p99: ms(clamp(h.getValueAtPercentile(99))),
        p999: ms(clamp(h.getValueAtPercentile(99.9))),
        max: ms(hi),
        mean: Math.round(h.mean) / 1000,
        min: ms(lo),
        count: h.totalCount,
      }
    },
    distribution() {
      return DISTRIBUTION_PERCENTILES.map((p) => [p, this.percentile(p)] as [number, number])
    },
    merge(other) {
      h.add(other.raw)
      const [olo, ohi] = other.extremes()
      lo = Math.min(lo, olo)
      hi = Math.max(hi, ohi)
    },
    reset() {
      h.reset()
      lo = Number.POSITIVE_INFINITY
      hi = 0
    },
    extremes: () => [lo, hi],
  }
  return self
}

/**
 * Latency histogram: integer microseconds in, milliseconds out. A thin wrapper over hdr-histogram-js
 * (the JS implementation: no wasm start-up, and recording is cheap enough for the generator's rate).
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
  /** The underlying histogram (for merge). */
  readonly raw: Histogram
}

export function createLatencyHistogram(): LatencyHistogram {
  const h = build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, useWebAssembly: false })
  const ms = (us: number) => Math.round(us) / 1000
  return {
    raw: h,
    get count() {
      return h.totalCount
    },
    record(us) {
      h.recordValue(us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : Math.round(us))
    },
    percentile(p) {
      if (h.totalCount === 0) return 0
      return p <= 0 ? ms(h.minNonZeroValue) : ms(h.getValueAtPercentile(p))
    },
    summary() {
      if (h.totalCount === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0 }
      return {
        p50: ms(h.getValueAtPercentile(50)),
        p90: ms(h.getValueAtPercentile(90)),
        p95: ms(h.getValueAtPercentile(95)),
        p99: ms(h.getValueAtPercentile(99)),
        p999: ms(h.getValueAtPercentile(99.9)),
        max: ms(h.maxValue),
        mean: Math.round(h.mean) / 1000,
        min: ms(h.minNonZeroValue),
      }
    },
    distribution() {
      return DISTRIBUTION_PERCENTILES.map((p) => [p, this.percentile(p)] as [number, number])
    },
    merge(other) {
      h.add(other.raw)
    },
    reset() {
      h.reset()
    },
  }
}

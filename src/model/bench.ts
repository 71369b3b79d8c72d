/**
 * Load generation and its figures. `parity bench` and the bench stage of `parity run` measure each
 * system the same way, interleaved (A B A B), and hand a BenchEntry per system and scenario to the
 * RunResult. Latencies are in milliseconds (fractional), recorded as integer microseconds.
 */
import type { ResourceStats, StartupStats } from './resources.js'

/** One request of a scenario: sent as is to the target's base URL. */
export interface RequestTemplate {
  method: string
  /** Path and query (`/api/bookmarks?limit=20`). */
  path: string
  headers?: Array<[string, string]>
  body?: string
  /** Share of the mix (default 1). */
  weight?: number
}

/** Closed: `connections` clients each send, wait for the answer, send again. Open: `rate` requests per second spread evenly, latency measured from the intended send time (wrk2's correction of coordinated omission). */
export type LoadModel = 'closed' | 'open'

export interface LoadOptions {
  /** Base URL (`http://127.0.0.1:3000`). */
  url: string
  requests: RequestTemplate[]
  connections: number
  /** Open model when set: requests per second. */
  rate?: number
  /** Measurement length (ms); or `count` requests, whichever comes first. One of the two is required. */
  durationMs?: number
  count?: number
  /** Load sent before the clock starts, not recorded (ms, default 2 000). */
  warmupMs?: number
  /** Per request (ms, default 10 000); a request past it counts as a `timeout` error. */
  timeoutMs?: number
  /** HTTP pipelining depth (default 1: off). */
  pipelining?: number
  /** Called about every 250 ms while measuring (for a progress line). */
  onProgress?: (p: LoadProgress) => void
  /** Stop early (the result covers what was measured). */
  signal?: AbortSignal
}

export interface LoadProgress {
  elapsedMs: number
  requests: number
  rps: number
  p99: number
  errors: number
}

export interface LatencySummary {
  p50: number
  p90: number
  p95: number
  p99: number
  p999: number
  max: number
  mean: number
  min: number
  /** Samples the figures rest on (requests or calls timed); absent in figures written before it was counted. */
  count?: number
}

/** One measurement against one target. */
export interface LoadResult {
  target: string
  model: LoadModel
  connections: number
  rate?: number
  /** Completed requests in the measured window (errors included). */
  requests: number
  durationMs: number
  throughput: { rps: number }
  latency: LatencySummary
  /** Requests that failed, by kind: `timeout`, `connect` (refused/reset), `status-5xx`, `status-4xx`, `other`. */
  errors: number
  errorsByKind: Record<string, number>
  statusCounts: Record<string, number>
  /** Points of the latency distribution for charts: [percentile 0..100, ms]. */
  distribution: Array<[number, number]>
  /** The generator's own cost: CPU of parity's process during the window. */
  generator: { cpuPercent: number; usPerRequest: number }
  /** The generator was at 90% of a core or more: the figure is the generator's ceiling, not the server's capacity. */
  generatorBound: boolean
}

/** One trial of one system in an A B A B sequence. */
export interface Trial {
  index: number
  /** Set when the trial failed (the server crashed, refused connections): why. */
  failed?: string
  result?: LoadResult
  resources?: ResourceStats
}

/** Figures of one system for one scenario over its trials. What `parity bench --format json` prints per target. */
export interface BenchEntry {
  target: string
  /** The system's name, when it comes from a config. */
  system?: string
  role?: 'baseline' | 'candidate'
  /** `GET /api/bookmarks`, or `mix` for a weighted mix. */
  scenario: string
  model: LoadModel
  connections: number
  rate?: number
  /** Medians over the successful trials. */
  throughput: { rps: number }
  latency: LatencySummary
  /** Summed over trials. */
  errors: number
  errorsByKind: Record<string, number>
  /** Spread of throughput over trials: min, max, and the coefficient of variation (stddev / mean). */
  spread: { min: number; max: number; cv: number }
  trials: Trial[]
  /** Of the trial with the median throughput. */
  distribution: Array<[number, number]>
  generatorBound: boolean
  /** Under load (median of trials): RSS and CPU of the system's process tree. */
  resources?: ResourceStats
  /** Before load: the tree's CPU at rest. */
  idle?: ResourceStats
  startup?: StartupStats
}

/**
 * How sure a comparison is. `high`: every trial of one side is beyond every trial of the other;
 * `low`: the trials overlap; `too-few-trials`: under three trials on a side, no confidence word is
 * given; `too-noisy`: the trials of a side spread over `bench.maxSpread`, and a ratio gate whose
 * outcome the spread could flip is undecided (not passed).
 */
export type BenchConfidence = 'high' | 'low' | 'too-few-trials' | 'too-noisy'

/** Candidate over baseline for one scenario; `confidence` is `low` when the trials of either side spread more than the difference. */
export interface BenchComparison {
  scenario: string
  baseline: string
  candidate: string
  /** candidate / baseline. Null where a side has no figure. */
  ratios: {
    rps: number | null
    p50: number | null
    p90: number | null
    p95: number | null
    p99: number | null
    rss: number | null
    cpu: number | null
    startup: number | null
  }
  confidence: BenchConfidence
  note: string
  /** Trials measured per side. */
  trials?: { baseline: number; candidate: number }
  /** For the trial-measured ratios: the lowest and highest candidate / baseline the trials allow (ratioRange). */
  ranges?: Partial<Record<'rps' | 'p50' | 'p90' | 'p95' | 'p99', [number, number]>>
}

export interface BenchReport {
  entries: BenchEntry[]
  comparisons: BenchComparison[]
  ws?: WsBenchEntry[]
  /** The generator's measured ceiling on this machine, requests per second per core (from the runs). */
  generatorCeiling?: number
}

/** What a WebSocket fan-out measured: subscribers connected, broadcasts received, publish-to-receipt latency. */
export interface WsFanoutResult {
  connected: number
  failed: number
  /** Share of the subscribers that connected (0..1). */
  successRate: number
  published: number
  /** Broadcast copies received over all clients (at most connected × published). */
  received: number
  /** Publish to receipt, on every client. */
  latency: LatencySummary
}

/** WebSocket fan-out of one system: N subscribers, one publisher, publish-to-receipt latency on every client. */
export interface WsBenchEntry extends WsFanoutResult {
  target: string
  system?: string
  role?: 'baseline' | 'candidate'
  path: string
  connections: number
  messages: number
}

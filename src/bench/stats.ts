/**
 * Small statistics over trial figures (throughput of each trial, say): centre, spread, outliers, and
 * the verdict of one side against the other. Pure functions; an empty list gives 0 (or null for ratios).
 */
import type { BenchConfidence, BenchEntry } from '../model/bench.js'

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0
  const m = mean(values)
  let sq = 0
  for (const v of values) sq += (v - m) ** 2
  return Math.sqrt(sq / (values.length - 1))
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[]): number {
  if (values.length === 0) return 0
  const m = median(values)
  return median(values.map((v) => Math.abs(v - m)))
}

/** stddev / mean; 0 when the mean is 0. */
export function coefficientOfVariation(values: readonly number[]): number {
  const m = mean(values)
  return m === 0 ? 0 : stddev(values) / Math.abs(m)
}

/** Values outside median ± 3 × 1.4826 × MAD (the robust z-score over 3), in their original order. */
export function outliers(values: readonly number[]): number[] {
  const m = median(values)
  const bound = 3 * 1.4826 * mad(values)
  return values.filter((v) => Math.abs(v - m) > bound)
}

export interface SideComparison {
  /** median(candidate) / median(baseline); null when a side is empty or the baseline's median is 0. */
  ratio: number | null
  /**
   * `too-few-trials` under MIN_TRIALS on a side (no spread to judge by); else `low` when the [min, max]
   * ranges of the two sides overlap, `high` when apart (a spread over 10% is said in the note).
   */
  confidence: BenchConfidence
  /** One sentence on why. */
  note: string
}

const CV_LIMIT = 0.1

/** Trials per side before a confidence word is given: with fewer, a spread cannot be told from a difference. */
export const MIN_TRIALS = 3

/**
 * The default limit on the trials' spread (coefficient of variation of the per-trial figures, on
 * either side) over which a comparison is `too-noisy` to decide a ratio gate. Configurable as `bench.maxSpread`.
 */
export const DEFAULT_MAX_SPREAD = 0.25

/** Compare trial figures of two sides (throughput per trial, say). */
export function compareSides(baseline: readonly number[], candidate: readonly number[]): SideComparison {
  if (baseline.length === 0 || candidate.length === 0) {
    return { ratio: null, confidence: 'low', note: `no figures for the ${baseline.length === 0 ? 'baseline' : 'candidate'}` }
  }
  const mb = median(baseline)
  const ratio = mb === 0 ? null : round(median(candidate) / mb, 3)
  if (baseline.length < MIN_TRIALS || candidate.length < MIN_TRIALS) {
    return { ratio, confidence: 'too-few-trials', note: tooFewTrials(baseline.length, candidate.length) }
  }
  const cvB = coefficientOfVariation(baseline)
  const cvC = coefficientOfVariation(candidate)
  const pct = (x: number) => `${Math.round(x * 100)}%`
  const [loB, hiB] = range(baseline)
  const [loC, hiC] = range(candidate)
  const spreads = [cvB > CV_LIMIT ? `baseline spread ${pct(cvB)}` : '', cvC > CV_LIMIT ? `candidate spread ${pct(cvC)}` : ''].filter(Boolean)
  if (loB <= hiC && loC <= hiB) {
    const why = spreads.length ? `trials disagree: ${spreads.join(', ')}; ` : ''
    return { ratio, confidence: 'low', note: `${why}the trials overlap: baseline ${fmt(loB)}–${fmt(hiB)}, candidate ${fmt(loC)}–${fmt(hiC)}` }
  }
  // Apart: which side is ahead is certain; with a wide spread the size of the ratio is approximate.
  const side = `every candidate trial is ${loC > hiB ? 'above' : 'below'} every baseline trial`
  if (spreads.length) return { ratio, confidence: 'high', note: `${side}, but the trials vary (${spreads.join(', ')}): the ratio is approximate` }
  return { ratio, confidence: 'high', note: `${side} (spread ${pct(cvB)} and ${pct(cvC)})` }
}

/** `too few trials to say: 2 baseline and 2 candidate trials measured; 3 per side are needed for a confidence word`. */
export function tooFewTrials(baseline: number, candidate: number): string {
  return `too few trials to say: ${baseline} baseline and ${candidate} candidate trial${candidate === 1 ? '' : 's'} measured; ${MIN_TRIALS} per side are needed for a confidence word`
}

/** A series of per-trial figures (p95 of each trial, say) whose spread is judged. */
export interface TrialSeries {
  /** `baseline p95`, in the note. */
  what: string
  values: readonly number[]
}

/**
 * The series whose coefficient of variation is over `maxSpread`, worst first: when any is, the
 * trials disagree more than a ratio gate's margin can be trusted to survive.
 */
export function noisySeries(series: readonly TrialSeries[], maxSpread: number): Array<{ what: string; cv: number }> {
  return series
    .filter((s) => s.values.length >= 2)
    .map((s) => ({ what: s.what, cv: coefficientOfVariation(s.values) }))
    .filter((s) => s.cv > maxSpread)
    .sort((a, b) => b.cv - a.cv)
}

/** `too noisy to decide: baseline p95 varies 34% between trials (the limit is 25%)`. */
export function tooNoisy(noisy: ReadonlyArray<{ what: string; cv: number }>, maxSpread: number): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`
  return `too noisy to decide: ${noisy.map((n) => `${n.what} varies ${pct(n.cv)} between trials`).join(', ')} (the limit is ${pct(maxSpread)}, \`bench.maxSpread\`)`
}

/**
 * The range of candidate / baseline that the trials allow: the lowest candidate trial over the
 * highest baseline trial, to the highest over the lowest. Null when a side has no trial or a zero.
 */
export function ratioRange(baseline: readonly number[], candidate: readonly number[]): [number, number] | null {
  if (!baseline.length || !candidate.length) return null
  const [loB, hiB] = range(baseline)
  const [loC, hiC] = range(candidate)
  if (loB <= 0) return null
  return [round(loC / hiB, 3), round(hiC / loB, 3)]
}

function range(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)]
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) >= 100 ? 0 : 2)
}

/** More failed or unanswered requests than this share makes a side's latency and throughput no evidence. */
export const MAX_FAILED_SHARE = 0.01

/**
 * Why an entry's latency and throughput are no evidence: it answered no request, or more than
 * MAX_FAILED_SHARE of its requests failed or went unanswered (a server that never answers is not
 * 0 ms fast); undefined when they are evidence.
 */
export function unanswered(e: BenchEntry): string | undefined {
  // Only trials whose result counted its requests (an imported or hand-written entry may not).
  const results = e.trials.flatMap((t) => (t.result && typeof t.result.requests === 'number' ? [t.result] : []))
  if (!results.length) return undefined
  const requests = results.reduce((n, r) => n + r.requests, 0)
  const errors = results.reduce((n, r) => n + (r.errors ?? 0), 0)
  const who = `${e.system ?? e.target} ${e.scenario}`
  if (requests === 0) return `${who} answered no request: nothing to measure`
  if (errors / requests <= MAX_FAILED_SHARE) return undefined
  const timeouts = results.reduce((n, r) => n + (r.errorsByKind?.timeout ?? 0), 0)
  return `${who}: ${Math.round((1000 * errors) / requests) / 10}% of requests failed or went unanswered (${errors} of ${requests}${timeouts ? `, ${timeouts} timed out` : ''}), over the ${MAX_FAILED_SHARE * 100}% a latency or throughput figure can rest on`
}

/** Small statistics for repeated measurements (cold starts), as hyperfine reports them. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN
  let sum = 0
  for (const x of xs) sum += x
  return sum / xs.length
}

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
export function stddev(xs: readonly number[]): number {
  if (xs.length < 2) return 0
  const m = mean(xs)
  let sq = 0
  for (const x of xs) sq += (x - m) ** 2
  return Math.sqrt(sq / (xs.length - 1))
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: readonly number[]): number {
  const m = median(xs)
  return median(xs.map((x) => Math.abs(x - m)))
}

/**
 * Indexes of the values outside median ± 3 · 1.4826 · MAD: 1.4826 · MAD estimates the standard
 * deviation of normal data without being pulled by the outliers themselves.
 */
export function madOutliers(xs: readonly number[], k = 3): number[] {
  const m = median(xs)
  const limit = k * 1.4826 * mad(xs)
  const out: number[] = []
  xs.forEach((x, i) => {
    if (Math.abs(x - m) > limit) out.push(i)
  })
  return out
}

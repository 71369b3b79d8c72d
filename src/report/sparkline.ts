/** Small trend pictures of a series of values, for Markdown tables and terminals. */

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']

/**
 * One block character per value, scaled between the series' lowest and highest; a missing value is
 * `·`, and a flat series sits on the middle bar. Only the last `width` values are drawn.
 */
export function sparkline(values: Array<number | null>, width = 20): string {
  const shown = values.slice(-width)
  const present = shown.filter((v): v is number => v !== null && Number.isFinite(v))
  if (!present.length) return ''
  const min = Math.min(...present)
  const max = Math.max(...present)
  return shown
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return '·'
      if (max === min) return BARS[3]
      return BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))]
    })
    .join('')
}

/** "Did you mean …?": the closest known word to a mistyped one, when it is close enough to be the intent. */

/** Edit distance (insert, delete, substitute, swap of two neighbours). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/** The known word closest to `word`: within a third of its length (at least 1, at most 3 edits), or one it begins. */
export function closest(word: string, known: Iterable<string>): string | undefined {
  const w = word.toLowerCase()
  let best: { word: string; d: number } | undefined
  for (const k of known) {
    const d = distance(w, k.toLowerCase())
    if (!best || d < best.d) best = { word: k, d }
  }
  if (!best) return undefined
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)))
  if (best.d <= limit) return best.word
  const prefixed = [...known].filter((k) => w.length >= 3 && k.toLowerCase().startsWith(w))
  return prefixed.length === 1 ? prefixed[0] : undefined
}

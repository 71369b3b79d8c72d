/**
 * Near misses: a missing baseline item and an extra candidate item that may be one thing renamed.
 * Proposed with a reason for a person to confirm (as a map rule), never counted as a match.
 * Linear: extras are indexed under a few derived keys each, and each missing item looks them up.
 */
import { isEndpoint, type Item } from '../model/inventory.js'
import type { NearMiss } from '../model/run.js'

interface Proposal {
  candidate: Item
  reason: string
  from: string
  to: string
  /** Lower is a stronger resemblance. */
  rank: number
  /** Within a rank, higher is more alike. */
  similarity: number
}

/** Dice coefficient over letter pairs: how alike two segments read (0 to 1). */
function similarity(a: string, b: string): number {
  const pairs = (s: string) => Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => s.slice(i, i + 2))
  const pa = pairs(a.toLowerCase())
  const pb = pairs(b.toLowerCase())
  if (!pa.length || !pb.length) return 0
  const pool = [...pb]
  let common = 0
  for (const p of pa) {
    const i = pool.indexOf(p)
    if (i !== -1) {
      common++
      pool.splice(i, 1)
    }
  }
  return (2 * common) / (pa.length + pb.length)
}

function singular(segment: string): string {
  if (segment.endsWith('ies') && segment.length > 4) return `${segment.slice(0, -3)}y`
  if (/(ss|sh|ch|x)es$/.test(segment)) return segment.slice(0, -2)
  if (segment.endsWith('s') && !segment.endsWith('ss') && segment.length > 1) return segment.slice(0, -1)
  return segment
}

const methodOf = (key: string) => key.slice(0, key.indexOf(' '))
const pathOf = (key: string) => key.slice(key.indexOf(' ') + 1)
const segmentsOf = (path: string) => path.split('/').filter(Boolean)

/** The derived keys an item is indexed under, each with how it is read back. */
function derivedKeys(item: Item): string[] {
  if (!isEndpoint(item)) {
    if (item.kind === 'table') return [`table~${singular(item.key.slice(6).replace(/^(tbl|t)_/, ''))}`]
    return []
  }
  const method = methodOf(item.key)
  const segs = segmentsOf(pathOf(item.key))
  const keys = [`path~${pathOf(item.key)}`, `plural~${method} /${segs.map(singular).join('/')}`]
  segs.forEach((_, i) => keys.push(`one~${method} ${segs.length} ${segs.map((s, j) => (j === i ? '*' : s)).join('/')}`))
  for (let k = 1; k <= Math.min(3, segs.length); k++) keys.push(`tail~${method} ${segs.slice(-k).join('/')}`)
  return keys
}

export function findNearMisses(missing: Item[], extras: Item[], candidateSystem: string): NearMiss[] {
  const index = new Map<string, Item[]>()
  for (const extra of extras) {
    for (const k of derivedKeys(extra)) {
      const list = index.get(k)
      if (list) {
        if (list.length < 8) list.push(extra)
      } else index.set(k, [extra])
    }
  }
  const out: NearMiss[] = []
  // A renamed segment is a weak resemblance: propose each extra for the one missing item most like it.
  // Several missing items alike in nothing but their shape are ambiguous: none is proposed.
  const weak = new Map<Item, { item: Item | undefined; similarity: number }>()
  for (const item of missing) {
    const best = propose(item, index)
    if (best?.rank !== 2) continue
    const held = weak.get(best.candidate)
    if (!held || best.similarity > held.similarity) weak.set(best.candidate, { item, similarity: best.similarity })
    else if (best.similarity === held.similarity) held.item = undefined
  }
  for (const item of missing) {
    let best = propose(item, index)
    if (best?.rank === 2 && weak.get(best.candidate)?.item !== item) best = undefined
    if (best) {
      out.push({
        kind: item.kind,
        baseline: item,
        candidate: best.candidate,
        candidateSystem,
        reason: best.reason,
        suggestion: { from: best.from, to: best.to },
      })
    }
  }
  return out
}

function propose(item: Item, index: Map<string, Item[]>): Proposal | undefined {
  const proposals: Proposal[] = []
  if (item.kind === 'table') {
    for (const c of index.get(`table~${singular(item.key.slice(6).replace(/^(tbl|t)_/, ''))}`) ?? []) {
      if (c.kind === 'table')
        proposals.push({ candidate: c, reason: `table \`${item.key.slice(6)}\` -> \`${c.key.slice(6)}\``, from: item.key, to: c.key, rank: 1, similarity: 1 })
    }
  }
  if (!isEndpoint(item)) return proposals[0]
  const method = methodOf(item.key)
  const path = pathOf(item.key)
  const segs = segmentsOf(path)
  // A path partly unknown on one side: the route of the other side that ends with its known suffix.
  const suffixOf = (p: string) => p.slice(p.lastIndexOf('{?}') + 3)
  const endsWith = (full: string, suffix: string) =>
    suffix !== '' && suffix !== '/' && (full === suffix || full.endsWith(suffix.startsWith('/') ? suffix : `/${suffix}`))
  const known = segmentsOf(suffixOf(path))
  const tails =
    item.unresolved !== undefined
      ? known.length
        ? (index.get(`tail~${method} ${known.slice(-Math.min(3, known.length)).join('/')}`) ?? [])
        : []
      : [...new Set([1, 2, 3].flatMap((k) => (k <= segs.length ? (index.get(`tail~${method} ${segs.slice(-k).join('/')}`) ?? []) : [])))]
  const bySuffix =
    item.unresolved !== undefined
      ? tails.filter((c) => methodOf(c.key) === method && !(isEndpoint(c) && c.unresolved !== undefined) && endsWith(pathOf(c.key), suffixOf(path)))
      : tails.filter((c) => isEndpoint(c) && c.unresolved !== undefined && methodOf(c.key) === method && endsWith(path, suffixOf(pathOf(c.key))))
  if (bySuffix.length === 1) {
    const c = bySuffix[0]!
    const reason =
      item.unresolved !== undefined
        ? `the baseline path is partly unknown; \`${pathOf(c.key)}\` ends with its known part`
        : `the candidate path is partly unknown; it ends like \`${path}\``
    return { candidate: c, reason, from: item.key, to: c.key, rank: 0, similarity: 1 }
  }
  if (item.unresolved !== undefined) return undefined
  for (const c of index.get(`path~${path}`) ?? []) {
    if (methodOf(c.key) !== method)
      proposals.push({ candidate: c, reason: `method changed ${method} -> ${methodOf(c.key)}`, from: item.key, to: c.key, rank: 0, similarity: 1 })
  }
  for (const c of index.get(`plural~${method} /${segs.map(singular).join('/')}`) ?? []) {
    const cs = segmentsOf(pathOf(c.key))
    const i = segs.findIndex((s, j) => s !== cs[j])
    if (i !== -1) proposals.push({ candidate: c, reason: `\`${segs[i]}\` -> \`${cs[i]}\``, from: item.key, to: c.key, rank: 1, similarity: 1 })
  }
  segs.forEach((_, i) => {
    for (const c of index.get(`one~${method} ${segs.length} ${segs.map((s, j) => (j === i ? '*' : s)).join('/')}`) ?? []) {
      const other = segmentsOf(pathOf(c.key))[i]!
      if (other === segs[i] || other.startsWith('{') !== segs[i]!.startsWith('{')) continue
      const alike = similarity(segs[i]!, other)
      proposals.push({ candidate: c, reason: `segment \`${segs[i]}\` renamed \`${other}\``, from: item.key, to: c.key, rank: 2, similarity: alike })
    }
  })
  // A moved prefix: the longest common tail with a different head.
  for (let k = Math.min(3, segs.length); k >= 1; k--) {
    const tail = segs.slice(-k).join('/')
    if (tail.split('/').every((s) => s.startsWith('{'))) continue
    for (const c of index.get(`tail~${method} ${tail}`) ?? []) {
      const cs = segmentsOf(pathOf(c.key))
      const fromPrefix = `/${segs.slice(0, segs.length - k).join('/')}`
      const toPrefix = `/${cs.slice(0, cs.length - k).join('/')}`
      if (fromPrefix === toPrefix) continue
      proposals.push({ candidate: c, reason: `prefix ${fromPrefix} -> ${toPrefix}`, from: fromPrefix, to: toPrefix, rank: 3, similarity: k })
    }
    if (proposals.some((p) => p.rank === 3)) break
  }
  proposals.sort((a, b) => a.rank - b.rank || a.candidate.key.localeCompare(b.candidate.key))
  return proposals[0]
}

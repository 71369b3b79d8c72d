/**
 * The diff of the messages two servers sent on a WebSocket: each as JSON when it parses, else as
 * text or bytes; in order, or unordered within a window.
 */
import type { WsMessage } from '../../model/exchange.js'
import { parseJsonTree } from '../json-tree.js'
import { addDifference, childContext, mergeContext, preview, type DiffContext } from './context.js'
import { compareStrings, walkJson } from './json.js'

function compareMessage(ctx: DiffContext, a: WsMessage, b: WsMessage, i: number): void {
  const segs = [String(i)]
  if (a.type !== b.type) return addDifference(ctx, segs, ['*'], 'type', a.type, b.type)
  if (a.type === 'text') {
    const na = parseJsonTree(a.data)
    const nb = parseJsonTree(b.data)
    if (na !== undefined && nb !== undefined) return walkJson(ctx, na, nb, segs, ['*'])
    return compareStrings(ctx, a.data, b.data, segs, ['*'])
  }
  if (a.data !== b.data) addDifference(ctx, segs, ['*'], 'value', preview(a.data), preview(b.data))
}

/** Compare the messages each server sent (`in`), a message's index as its pointer, into the context (`where` is `ws`). */
export function compareWsMessages(ctx: DiffContext, base: WsMessage[], cand: WsMessage[], window: number): void {
  const a = base.filter((m) => m.dir === 'in')
  const b = cand.filter((m) => m.dir === 'in')
  if (window <= 0) {
    const common = Math.min(a.length, b.length)
    for (let i = 0; i < common; i++) compareMessage(ctx, a[i]!, b[i]!, i)
  } else {
    // Unordered within a window: each baseline message takes the first unused equal candidate message near it.
    const used = new Array<boolean>(b.length).fill(false)
    const unmatched: number[] = []
    for (let i = 0; i < a.length; i++) {
      let hit = -1
      for (let j = Math.max(0, i - window); j <= Math.min(b.length - 1, i + window) && hit < 0; j++) {
        if (used[j]) continue
        const probe = childContext(ctx)
        compareMessage(probe, a[i]!, b[j]!, i)
        if (probe.found.length === 0) {
          hit = j
          mergeContext(ctx, probe)
        }
      }
      if (hit >= 0) used[hit] = true
      else unmatched.push(i)
    }
    const free = b.map((_, j) => j).filter((j) => !used[j])
    // Pair what is left in order, so a changed message is one value difference, not a missing and an extra.
    const pairs = Math.min(unmatched.length, free.length)
    for (let k = 0; k < pairs; k++) compareMessage(ctx, a[unmatched[k]!]!, b[free[k]!]!, unmatched[k]!)
    for (const i of unmatched.slice(pairs)) addDifference(ctx, [String(i)], ['*'], 'missing', preview(a[i]!.data), undefined)
    for (const j of free.slice(pairs)) addDifference(ctx, [String(j)], ['*'], 'extra', undefined, preview(b[j]!.data))
    return
  }
  for (let i = b.length; i < a.length; i++) addDifference(ctx, [String(i)], ['*'], 'missing', preview(a[i]!.data), undefined)
  for (let i = a.length; i < b.length; i++) addDifference(ctx, [String(i)], ['*'], 'extra', undefined, preview(b[i]!.data))
}

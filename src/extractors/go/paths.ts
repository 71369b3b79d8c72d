/** Arguments as paths: which can be a route's path, and the items of a `range` loop a path is built in. */
import type { SgNode } from '@ast-grep/napi'
import { goPathOf } from '../../languages/go.js'
import type { PathExpr } from '../types.js'
import { FUNCTION_KINDS } from './nodes.js'

/** The slice a `for _, name := range slice` around `node` takes `name` from. */
export function rangedOver(node: SgNode, name: string): string | undefined {
  for (let cur = node.parent(); cur; cur = cur.parent()) {
    if (FUNCTION_KINDS.has(String(cur.kind()))) return undefined
    if (cur.kind() !== 'for_statement') continue
    const range = cur.namedChildren().find((c) => c.kind() === 'range_clause')
    const left = range?.field('left')?.namedChildren() ?? []
    const right = range?.field('right')
    const slice =
      right?.kind() === 'identifier' || (right?.kind() === 'selector_expression' && right.field('operand')?.kind() === 'identifier') ? right.text() : undefined
    if (slice && left.some((l) => l.text() === name)) return slice
  }
  return undefined
}

/** A path whose names include `name` of `for _, name := range names`: each item of `names` instead. */
export function rangeItems(node: SgNode, path: PathExpr): PathExpr {
  const ids = node.kind() === 'identifier' ? [node] : node.findAll({ rule: { kind: 'identifier' } })
  const alias = new Map<string, string>()
  for (const id of ids) {
    const slice = rangedOver(id, id.text())
    if (slice && /^\w+$/.test(slice)) alias.set(id.text(), slice)
  }
  if (!alias.size) return path
  return path.map((p) => (typeof p !== 'string' && 'ref' in p && alias.has(p.ref) ? { ref: alias.get(p.ref)! } : p))
}

/**
 * A call's argument as a path: `path` of `for _, path := range paths` is each item of `paths` (a
 * variadic parameter bound once per argument of each call).
 */
export function argPath(a: SgNode): PathExpr {
  // A boolean literal decides the template's `if flag {` blocks.
  if (a.kind() === 'true' || a.kind() === 'false') return [a.text()]
  if (!isStringLike(a)) return [{ unknown: a.text() }]
  return rangeItems(a, goPathOf(a))
}

/** An argument that can carry a path: a string literal, a concatenation, a name (a constant or a parameter). */
function isStringLike(node: SgNode): boolean {
  const k = node.kind()
  return (
    k === 'interpreted_string_literal' ||
    k === 'raw_string_literal' ||
    k === 'binary_expression' ||
    k === 'identifier' ||
    (k === 'selector_expression' && node.field('operand')?.kind() === 'identifier')
  )
}

/** A path argument that can be a route: a string starting with `/`, or a constant. */
export function isPathLike(node: SgNode): boolean {
  const first = goPathOf(node)[0]
  if (first === undefined) return false
  if (typeof first === 'string') return first.startsWith('/') || first === ''
  return 'ref' in first
}

/** A path whose last variable matches anything (`/{path:.*}`): a subtree already. */
export function endsWithCatchAll(path: PathExpr): boolean {
  const last = path[path.length - 1]
  return typeof last === 'string' && /\{\w+:\.[*+]\}$/.test(last)
}

/**
 * gorilla/mux's route chains: `r.Methods("GET").Path("/x").Handler(h)`, `r.PathPrefix("/api").Subrouter()`,
 * `r.HandleFunc(p, h).Methods("GET")`, their paths and the methods they match.
 */
import type { SgNode } from '@ast-grep/napi'
import { goPathOf } from '../../languages/go.js'
import type { PathExpr } from '../types.js'
import { argsOf, keyOf } from './nodes.js'
import { methodsOf } from './verbs.js'

/**
 * gorilla/mux's route matchers: each returns the route it is called on (`r.Methods("GET").Path("/x")`),
 * so that a chain of them ends with a handler (`.Handler(h)`) or a subrouter (`.Subrouter()`).
 */
const ROUTE_MATCHERS = new Set([
  'Path',
  'PathPrefix',
  'Methods',
  'Host',
  'Headers',
  'HeadersRegexp',
  'Queries',
  'Schemes',
  'MatcherFunc',
  'Name',
  'BuildVarsFunc',
  'NewRoute',
])

/** A gorilla/mux route chain (`r.PathPrefix("/api").Methods("GET")`): the router it starts on and its matchers, in order. */
export interface RouteChain {
  base: SgNode
  matchers: Array<{ name: string; args: SgNode[]; node: SgNode }>
}

/** The route chain an expression is: no matchers when it is not one (`r`). */
export function routeChain(expr: SgNode): RouteChain {
  const matchers: RouteChain['matchers'] = []
  let cur = expr
  while (cur.kind() === 'call_expression') {
    const fn = cur.field('function')
    const name = fn?.kind() === 'selector_expression' ? fn.field('field')?.text() : undefined
    const operand = fn?.field('operand')
    if (!name || !operand || !ROUTE_MATCHERS.has(name)) break
    matchers.unshift({ name, args: argsOf(cur), node: fn!.field('field')! })
    cur = operand
  }
  return { base: cur, matchers }
}

/** The path a route chain's `Path`/`PathPrefix` matchers give (gorilla/mux appends each to the previous), and whether it is a prefix. */
export function chainPath(chain: RouteChain, pathOf: (node: SgNode) => PathExpr = goPathOf): { path: PathExpr; prefix: boolean; node?: SgNode } {
  const path: PathExpr = []
  let prefix = false
  let node: SgNode | undefined
  for (const m of chain.matchers) {
    if (m.name !== 'Path' && m.name !== 'PathPrefix') continue
    const arg = m.args[0]
    if (!arg) continue
    path.push(...pathOf(arg))
    prefix = m.name === 'PathPrefix'
    node ??= m.node
  }
  return { path, prefix, ...(node ? { node } : {}) }
}

/**
 * The methods of a route chain's `Methods(..)` matchers: undefined when it has none (every method),
 * null when one is not static.
 */
export function matcherMethods(matchers: RouteChain['matchers']): string[] | undefined | null {
  let out: string[] | undefined
  for (const m of matchers) {
    if (m.name !== 'Methods') continue
    for (const arg of m.args) {
      const methods = methodsOf(arg)
      if (!methods) return null
      ;(out ??= []).push(...methods)
    }
  }
  return out
}

/** The matchers chained after a call (`r.HandleFunc(p, h).Methods("GET").Name("x")`), in order. */
export function outerMatchers(call: SgNode): RouteChain['matchers'] {
  const out: RouteChain['matchers'] = []
  let cur = call
  for (;;) {
    const sel = cur.parent()
    const operand = sel?.kind() === 'selector_expression' ? sel.field('operand') : null
    const outer = sel?.parent()
    const name = sel?.field('field')
    if (!operand || keyOf(operand) !== keyOf(cur) || outer?.kind() !== 'call_expression' || !name) return out
    out.push({ name: name.text(), args: argsOf(outer), node: name })
    cur = outer
  }
}

/** Route registrations: `r.GET(path, h)` on a router of a library, and gorilla/mux's route chains. */
import type { SgNode } from '@ast-grep/napi'
import type { ExtractContext, FileFacts, PathExpr, RouteFact } from '../types.js'
import { chainPath, matcherMethods, outerMatchers, routeChain, type RouteChain } from './chains.js'
import type { GoFile } from './file.js'
import { handlerKind, handlerName, isFileServer, stripPrefixOf } from './handlers.js'
import type { GoLibrary } from './library.js'
import { argsOf, FUNCTION_KINDS, keyOf, lineOf } from './nodes.js'
import { endsWithCatchAll, isPathLike, rangeItems } from './paths.js'
import { methodsOf } from './verbs.js'

/** Every `x.Verb(path, handler)` on a router of the library (or of unknown type, where plausible). */
export function collectRoutes(g: GoFile, ctx: ExtractContext, library: GoLibrary, facts: FileFacts): void {
  const verbs = library.verbs
  const names = Object.keys(verbs).join('|')
  const calls = g.file.root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: `^(${names})$` } } },
  })
  const plausible = g.plausible(library)
  for (const call of calls) {
    const fn = call.field('function')!
    const verb = fn.field('field')!.text()
    const spec = verbs[verb]!
    const operand = fn.field('operand')
    const router = operand ? g.routerOf(operand) : undefined
    if (!router) continue
    const args = argsOf(call)
    const pathNode = args[spec.pathArg]
    const handler = args[args.length - 1]
    if (!pathNode || args.length <= spec.pathArg + 1) continue
    if (router.framework !== library.id && !(router.framework === undefined && plausible && isPathLike(pathNode))) continue
    let methods = spec.methods
    if (!methods) {
      const m = args[spec.methodArg ?? 0]
      methods = m ? methodsOf(m) : undefined
      // `mux.Handle("/x", h)` on a value of unknown type is not httprouter's `Handle(method, path, h)`.
      if (methods?.some((x) => !/^[A-Z]+$/.test(x))) continue
      if (!methods) {
        ctx.diagnose({ level: 'info', code: 'UNSUPPORTED_FORM', line: lineOf(call), message: `\`${verb}\` with a method computed at run time is not listed` })
        continue
      }
    }
    const route: RouteFact = {
      methods,
      path: [...router.prefix, ...rangeItems(pathNode, ctx.pathOf(pathNode))],
      owner: router.owner,
      line: lineOf(fn.field('field')!),
    }
    if (router.framework === undefined) route.untyped = true
    const when = guardOf(g, call)
    if (when) route.when = when
    const kind = handlerKind(g, handler)
    if (kind) route.kind = kind
    const name = handlerName(handler)
    if (name) route.handler = name
    facts.routes.push(route)
    if (router.groupParam && router.owner) facts.routers!.push({ name: router.owner, line: route.line })
  }
}

/**
 * gorilla/mux: `r.HandleFunc(path, h)` and `r.Handle(path, h)` (one path), `r.Path(p).Handler(h)`,
 * `r.PathPrefix(p).HandlerFunc(h)` (a subtree, listed as `p/*`), with the methods of every `Methods(..)`
 * of the chain, before or after (`r.HandleFunc(p, h).Methods("GET")`), else of the subrouter
 * (`get := r.Methods("GET").Subrouter()`), else every method. A subtree served by another router of
 * this module mounts it under no prefix (gorilla/mux hands it the full path), or under the route's
 * path behind `http.StripPrefix`; static files are no routes.
 */
export function collectRouteChains(g: GoFile, ctx: ExtractContext, library: GoLibrary, facts: FileFacts): void {
  const plausible = g.plausible(library)
  for (const call of g.file.root.findAll({
    rule: {
      kind: 'call_expression',
      has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: '^(HandleFunc|Handle|Handler|HandlerFunc)$' } },
    },
  })) {
    const fn = call.field('function')!
    const field = fn.field('field')!
    const operand = fn.field('operand')
    if (!operand) continue
    const args = argsOf(call)
    const exact = field.text() === 'HandleFunc' || field.text() === 'Handle'
    const chain: RouteChain = exact ? { base: operand, matchers: [] } : routeChain(operand)
    const pathNode = exact ? args[0] : undefined
    const fromChain = exact ? undefined : chainPath(chain, (n) => ctx.pathOf(n))
    // `r.Handle(path, h)`, or a route chain ending in `.Handler(h)`: other shapes are other libraries' methods.
    if (exact ? args.length !== 2 : args.length !== 1 || chain.matchers.length === 0) continue
    const router = g.routerOf(chain.base)
    if (!router) continue
    if (router.framework !== library.id && !(router.framework === undefined && plausible && (pathNode ? isPathLike(pathNode) : !!fromChain?.node))) continue
    const handler = args[args.length - 1]!
    if (isFileServer(g, handler)) continue
    const line = lineOf(fromChain?.node ?? field)
    const own = matcherMethods([...chain.matchers, ...outerMatchers(call)])
    if (own === null) {
      ctx.diagnose({ level: 'info', code: 'UNSUPPORTED_FORM', line, message: '`Methods` with a method computed at run time is not listed' })
      continue
    }
    const methods = own ?? g.groupMethods(chain.base) ?? ['ALL']
    let path: PathExpr = pathNode ? rangeItems(pathNode, ctx.pathOf(pathNode)) : fromChain!.path
    // A chain with `PathPrefix`, or no path at all (`r.Methods("OPTIONS").Handler(h)`), serves a subtree.
    if (fromChain && (fromChain.prefix || !fromChain.node)) {
      const strip = stripPrefixOf(g, handler)
      const children = g.servedRouters(strip?.handler ?? handler)
      if (children.length) {
        for (const child of children) facts.mounts.push({ parent: router.owner, child, prefix: strip ? [...router.prefix, ...path] : [], line })
        continue
      }
      if (!endsWithCatchAll(path)) path = [...path, '/*']
    }
    const route: RouteFact = { methods, path: [...router.prefix, ...path], owner: router.owner, line }
    if (router.framework === undefined) route.untyped = true
    const when = guardOf(g, call)
    if (when) route.when = when
    const kind = handlerKind(g, handler)
    if (kind) route.kind = kind
    const name = handlerName(stripPrefixOf(g, handler)?.handler ?? handler)
    if (name) route.handler = name
    facts.routes.push(route)
  }
}

/**
 * `if persistable { r.Post(...) }` (or its `else`, or `if !persistable`) in a function whose parameter
 * `persistable` decides it: the route exists only for calls that pass that value. The innermost `if` counts.
 */
function guardOf(g: GoFile, node: SgNode): RouteFact['when'] {
  let child = node
  for (let cur = node.parent(); cur; child = cur, cur = cur.parent()) {
    if (FUNCTION_KINDS.has(String(cur.kind()))) return undefined
    if (cur.kind() !== 'if_statement') continue
    const branch =
      cur.field('consequence') && keyOf(cur.field('consequence')!) === keyOf(child)
        ? true
        : cur.field('alternative') && keyOf(cur.field('alternative')!) === keyOf(child)
          ? false
          : undefined
    if (branch === undefined) continue
    let cond = cur.field('condition')
    let is = branch
    if (cond?.kind() === 'unary_expression' && cond.text().startsWith('!')) {
      cond = cond.namedChildren()[0] ?? null
      is = !is
    }
    if (cond?.kind() !== 'identifier' || cur.field('initializer')) return undefined
    return g.bindingOf(cond, cond.text())?.param ? { param: cond.text(), is } : undefined
  }
  return undefined
}

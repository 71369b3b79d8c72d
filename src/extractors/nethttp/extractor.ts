/**
 * net/http (standard library, always active for Go): https://pkg.go.dev/net/http#ServeMux
 * `http.HandleFunc/Handle(pattern, h)` on the default mux, `mux.HandleFunc/Handle` on an
 * `http.NewServeMux()`, Go 1.22 patterns (`"GET /items/{id}"`, `{path...}`, `{$}`, host
 * patterns), and `mux.Handle("/api/", http.StripPrefix("/api", apiMux))` sub-muxes. A pattern
 * without a method serves every method (`ALL`).
 */
import { extractGoRouters } from '../go/extract.js'
import { goFile } from '../go/file.js'
import { handlerKind, handlerName, isFileServer, STREAM_NEEDLES, stripPrefixOf } from '../go/handlers.js'
import { defineGoLibrary, typeNeedles } from '../go/library.js'
import { slotRef, subRouterRef } from '../go/mounts.js'
import { argsOf } from '../go/nodes.js'
import { defineExtractor, type FileFacts, type PathExpr, type RouteFact } from '../types.js'

// Routes are read below, as ServeMux patterns: no verbs for the shared walker.
const NETHTTP = defineGoLibrary({
  id: 'nethttp',
  modules: ['net/http'],
  types: ['ServeMux'],
  constructors: ['NewServeMux'],
  groupTypes: [],
  verbs: {},
  standard: true,
})

export const extractor = defineExtractor({
  id: 'nethttp',
  family: 'go',
  docs: 'https://pkg.go.dev/net/http#hdr-Patterns-ServeMux',
  detect: () => true,
  needles: ['.HandleFunc(', '.Handle(', ...typeNeedles(NETHTTP), 'StripPrefix', ...STREAM_NEEDLES],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    const plausible = g.plausible(NETHTTP)
    for (const call of file.root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: '^(Handle|HandleFunc)$' } } },
    })) {
      const fn = call.field('function')!
      const operand = fn.field('operand')
      const router = operand ? g.routerOf(operand) : undefined
      const [patternNode, handler] = argsOf(call)
      if (!router || !patternNode || !handler) continue
      const raw = ctx.pathOf(patternNode)
      if (router.framework !== NETHTTP.id && !(router.framework === undefined && plausible && isPattern(raw))) continue
      const line = ctx.lineOf(fn.field('field')!)
      const { methods, path } = splitPattern(inlineConstant(file.module.constants, raw))
      // `mux.Handle("/api/", http.StripPrefix("/api", apiMux))`: apiMux's routes under /api. Only
      // `Handle` takes a sub-mux (an http.Handler), and only a subtree pattern (ending in `/`) serves
      // its paths: `HandleFunc("GET /x", wrap(h))` is a handler whatever `wrap` is.
      const strip = stripPrefixOf(g, handler)
      const subtree = fn.field('field')!.text() === 'Handle' && endsWithSlash(path)
      const inner = strip?.handler ?? handler
      const child = subtree ? (subRouterRef(g, inner) ?? slotRef(g, inner)) : undefined
      if (child) {
        const prefix = strip ? [...router.prefix, ...ctx.pathOf(strip.prefix)] : router.prefix
        facts.mounts.push({ parent: router.owner, child, prefix, line, ...('param' in child ? { framework: NETHTTP.id } : {}) })
        continue
      }
      // Static files (`http.FileServer`), like gin's `Static` and chi's file servers, are not endpoints to port one by one.
      if (isFileServer(g, strip?.handler ?? handler)) continue
      const route: RouteFact = { methods, path: [...router.prefix, ...path], owner: router.owner, line }
      const kind = handlerKind(g, handler)
      if (kind) route.kind = kind
      const name = handlerName(strip?.handler ?? handler)
      if (name) route.handler = name
      facts.routes.push(route)
    }
    return extractGoRouters(file, ctx, NETHTTP, facts)
  },
})

/** A pattern held in a constant of this file is split like a literal one (`const itemRoute = "GET /items/{id}"`). */
function inlineConstant(constants: Record<string, PathExpr>, expr: PathExpr): PathExpr {
  const first = expr[0]
  if (first === undefined || typeof first === 'string' || !('ref' in first)) return expr
  const value = constants[first.ref]
  return value ? [...value, ...expr.slice(1)] : expr
}

/** A pattern ending in `/` (or a constant, which may): ServeMux's subtree patterns. */
function endsWithSlash(expr: PathExpr): boolean {
  const last = expr[expr.length - 1]
  return last === undefined || typeof last !== 'string' || last.endsWith('/')
}

function isPattern(expr: PathExpr): boolean {
  const first = expr[0]
  if (first === undefined) return false
  return typeof first === 'string' ? /^([A-Z]+\s+)?[^\s]*\//.test(first) : 'ref' in first
}

/** `"GET example.com/items/{id}"` -> GET, `/items/{id}`: Go 1.22 method and host prefixes. */
export function splitPattern(expr: PathExpr): { methods: string[]; path: PathExpr } {
  const first = expr[0]
  if (typeof first !== 'string') return { methods: ['ALL'], path: expr }
  let text = first.trimStart()
  let methods = ['ALL']
  const space = text.search(/[ \t]/)
  if (space > 0 && /^[A-Z]+$/.test(text.slice(0, space))) {
    methods = [text.slice(0, space)]
    text = text.slice(space).trimStart()
  }
  // A host pattern: everything before the first `/` names the host, not the path.
  const slash = text.indexOf('/')
  if (slash > 0) text = text.slice(slash)
  return { methods, path: [text, ...expr.slice(1)] }
}

/**
 * poem 1 to 3 and poem-openapi: https://docs.rs/poem/latest/poem/struct.Route.html
 * `Route::new().at("/users/:id", get(h).post(h2))` with method routers (`get`..`trace`,
 * `RouteMethod::new().get(h)`), a bare endpoint (`.at("/x", h)`: every method), `.nest("/api", api())`
 * with routes built in functions of other modules, in `let` variables or inline, `.nest_no_strip`
 * (the child sees the full path: no prefix added). poem-openapi: `OpenApiService::new(Api, ..)` (a type,
 * `Api::new(..)`, a tuple of APIs, or a function returning `impl OpenApi` built from one) nested under
 * a prefix serves each `#[oai(path = "/x", method = "get")]` of the type's `#[OpenApi]` impl, below its
 * `prefix_path`; an API type that no service nests serves nothing. `swagger_ui()`, `spec_endpoint()`
 * and the other document endpoints of a service are GET at their prefix. Paths `:id`, `:id<\d+>`,
 * `*rest`. A handler taking `WebSocket` is a WebSocket, one returning `SSE` an SSE stream.
 * Documented choices: `StaticFilesEndpoint` and the other file endpoints add no item; an endpoint
 * parity cannot classify (`make_sync(..)`, `GraphQL::new(schema)`) is served for every method at its path.
 */
import type { SgNode } from '@ast-grep/napi'
import {
  attributeArgs,
  attributeName,
  attributeOptions,
  attributesOf,
  callArgs,
  calleePath,
  chainOf,
  chainTop,
  fnOwner,
  functionsByName,
  hasParamType,
  holderOf,
  inlineOwner,
  isParameter,
  isTestCode,
  lastSegment,
  letBinding,
  returnedValues,
  returnsType,
  RUST_HTTP_METHODS,
  variableOwner,
} from '../rust-syntax.js'
import { defineExtractor, type FileFacts, type PathExpr, type RouteFact, type SymbolRef } from '../types.js'

const ROUTE_METHODS = new Set(['at', 'nest', 'nest_no_strip'])
const DOC_METHODS = new Set([
  'swagger_ui',
  'swagger_ui_html',
  'spec_endpoint',
  'spec_endpoint_yaml',
  'redoc',
  'rapidoc',
  'stoplight_elements',
  'openapi_explorer',
  'scalar',
])
const STATIC = /(^|::)(StaticFilesEndpoint|StaticFileEndpoint|EmbeddedFilesEndpoint|EmbeddedFileEndpoint)(::<.*>)?::new$/
const SERVICE = /(^|::)OpenApiService(::<.*>)?::new$/
const ROUTE_NEW = /^((::)?poem::)?(route::)?(Route::(new|default)|route)$/
const MAKE = /(^|::)(make_sync|make)$/

type Kind = NonNullable<RouteFact['kind']>
type Endpoint =
  | { k: 'methods'; list: Array<{ method: string; handler?: string; kind: Kind }> }
  | { k: 'static' }
  | { k: 'doc' }
  | { k: 'route'; child: SymbolRef }
  | { k: 'apis'; children: SymbolRef[] }
  | { k: 'endpoint'; handler?: string; kind: Kind }

export const extractor = defineExtractor({
  id: 'poem',
  family: 'rust',
  docs: 'https://docs.rs/poem/latest/poem/struct.Route.html',
  detect: (m) => m.dependencies.has('poem') || m.dependencies.has('poem-openapi'),
  needles: ['.at(', '.nest(', '.nest_no_strip(', 'OpenApi', '#[oai', 'IntoEndpoint', 'impl Endpoint'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const fns = functionsByName(file.root)

    addOpenApiImpls()
    addOpenApiFunctions()
    addEndpointFunctions()
    const seen = new Set<number>()
    const calls = file.root.findAll({
      rule: {
        kind: 'call_expression',
        has: { field: 'function', kind: 'field_expression', has: { field: 'field', regex: `^(${[...ROUTE_METHODS].join('|')})$` } },
      },
    })
    for (const call of calls) {
      const top = chainTop(call)
      if (seen.has(top.id()) || isTestCode(top)) continue
      seen.add(top.id())
      const { base, calls: chain } = chainOf(top)
      if (!isRouteBase(base)) continue
      let holder = holderOf(top)
      if (holder === undefined) holder = base.kind() === 'identifier' ? variableOwner(base) : null
      addChain(holder, base, chain)
    }
    return facts

    function addChain(owner: string | null, base: SgNode, chain: ReturnType<typeof chainOf>['calls']): void {
      if (!ROUTE_NEW.test(calleePath(base) ?? '')) {
        // `let app = routes(); app.at(..)`: the router it starts from is served here too.
        const from = endpointOf(base)
        if (from.k === 'route' && !('name' in from.child && from.child.name === owner))
          facts.mounts.push({ parent: owner, child: from.child, prefix: [], line: ctx.lineOf(base) })
      }
      for (const { method, args, node } of chain) {
        if (!ROUTE_METHODS.has(method) || args.length < 2) continue
        // Inside a syntax error the PARSE_ERROR already tells the story.
        if (node.field('arguments')?.find({ rule: { kind: 'ERROR' } })) continue
        const line = ctx.lineOf(node.field('function')!.field('field')!)
        const path = poemPath(ctx.pathOf(args[0]!))
        const ep = endpointOf(args[1]!)
        const strip = method !== 'nest_no_strip'
        switch (ep.k) {
          case 'methods':
            for (const m of ep.list)
              facts.routes.push({
                kind: m.kind,
                methods: [m.kind === 'websocket' ? 'WS' : m.method],
                path,
                owner,
                line,
                ...(m.handler ? { handler: m.handler } : {}),
              })
            break
          case 'doc':
            facts.routes.push({ methods: ['GET'], path, owner, line })
            break
          case 'endpoint':
            facts.routes.push({
              kind: ep.kind,
              methods: [ep.kind === 'websocket' ? 'WS' : 'ALL'],
              path,
              owner,
              line,
              ...(ep.handler ? { handler: ep.handler } : {}),
            })
            break
          case 'route':
            if ('name' in ep.child && ep.child.name === owner) break
            facts.mounts.push({ parent: owner, child: ep.child, prefix: strip ? path : [], line })
            break
          case 'apis':
            for (const child of ep.children) facts.mounts.push({ parent: owner, child, prefix: strip ? path : [], line })
            break
          case 'static':
            break
        }
      }
    }

    /** What an endpoint expression serves. */
    function endpointOf(expr: SgNode, depth = 0): Endpoint {
      if (depth > 16) return { k: 'endpoint', kind: 'route' }
      const k = expr.kind()
      if (k === 'reference_expression' || k === 'parenthesized_expression') {
        const inner = expr.field('value') ?? expr.namedChildren()[0]
        return inner ? endpointOf(inner, depth + 1) : { k: 'endpoint', kind: 'route' }
      }
      if (k === 'identifier') {
        const binding = letBinding(expr, expr.text())
        const value = binding?.field('value')
        if (value) {
          // `let app = Route::new().at(..)` is an owner of its own.
          if (isRouteChain(value)) return { k: 'route', child: { name: variableOwner(expr) } }
          return endpointOf(value, depth + 1)
        }
        if (isParameter(expr, expr.text())) return { k: 'route', child: { name: variableOwner(expr) } }
        return handlerEndpoint(expr.text())
      }
      if (k === 'scoped_identifier') return handlerEndpoint(expr.text())
      if (k === 'closure_expression') return { k: 'endpoint', kind: 'route' }
      if (k !== 'call_expression') return { k: 'endpoint', kind: 'route' }

      const fn = expr.field('function')
      if (fn?.kind() === 'field_expression') {
        const method = fn.field('field')?.text() ?? ''
        const receiver = fn.field('value')!
        if (DOC_METHODS.has(method)) return { k: 'doc' }
        if (isRouteChain(expr)) return { k: 'route', child: { name: inlineOwner(expr) } }
        const router = methodRouter(expr)
        if (router) return router
        // `api_service.with(limiter)`, `get(h).around(log)`: the endpoint the middleware wraps.
        return endpointOf(receiver, depth + 1)
      }
      const path = calleePath(expr)
      if (path === undefined) return { k: 'endpoint', kind: 'route' }
      const args = callArgs(expr)
      if (ROUTE_NEW.test(path)) return { k: 'route', child: { name: inlineOwner(expr) } }
      if (STATIC.test(path)) return { k: 'static' }
      if (SERVICE.test(path)) return { k: 'apis', children: args[0] ? apisOf(args[0]) : [] }
      const router = methodRouter(expr)
      if (router) return router
      if (MAKE.test(path)) return { k: 'endpoint', kind: 'route' }
      // `GraphQL::new(schema)`, `Files::new(..)`: an endpoint value.
      if (/(^|::)[A-Z]\w*(::<.*>)?::\w+$/.test(path) || /^[A-Z]\w*$/.test(path)) return { k: 'endpoint', kind: 'route' }
      // `endpoint_auth(api)`: a wrapper hands on the router or service it is given.
      for (const arg of args) {
        // Only values that can be routers: not a parameter (`state`), not a method call on one (`state.clone()`).
        if (arg.kind() === 'identifier' && isParameter(arg, arg.text())) continue
        if (
          arg.kind() === 'call_expression' &&
          arg.field('function')?.kind() === 'field_expression' &&
          !isRouteChain(arg) &&
          !SERVICE.test(calleePath(chainOf(arg).base) ?? '')
        )
          continue
        const inner = endpointOf(arg, depth + 1)
        if (inner.k === 'route' || inner.k === 'apis') return inner
      }
      // `poem_mcpserver::streamable_http::endpoint(..)`: a function of another crate makes an endpoint, not a router of this tree.
      if (isExternal(path)) return { k: 'endpoint', kind: 'route' }
      return { k: 'route', child: { name: path } }
    }

    /** A path into another crate: its first segment is imported from outside this crate. */
    function isExternal(path: string): boolean {
      const head = path.replace(/^::/, '').split('::')[0]!
      if (['crate', 'self', 'super', 'Self'].includes(head) || !path.includes('::')) return false
      const imp = Object.hasOwn(file.module.imports, head) ? file.module.imports[head] : undefined
      if (!imp) return !fns.has(head) && path.startsWith('::')
      return !/^(crate|self|super)(::|$)/.test(imp.module)
    }

    /** A handler named as a value: a `#[handler]` function (every method). */
    function handlerEndpoint(path: string): Endpoint {
      const name = lastSegment(path)
      const fn = fns.get(name)
      return { k: 'endpoint', handler: name, kind: fn ? kindOf(fn) : 'route' }
    }

    /** `get(h).post(h2)`, `RouteMethod::new().get(h)`, with middleware calls between: one entry per method. */
    function methodRouter(expr: SgNode): Endpoint | undefined {
      const { base, calls } = chainOf(expr)
      const basePath = calleePath(base)
      if (basePath === undefined) return undefined
      const list: Array<{ method: string; handler?: string; kind: Kind }> = []
      const add = (verb: string, arg: SgNode | undefined) => {
        const handler = arg ? handlerName(arg) : undefined
        const f = handler ? fns.get(handler) : arg?.kind() === 'closure_expression' ? arg : undefined
        list.push({ method: verb.toUpperCase(), kind: f ? kindOf(f) : 'route', ...(handler ? { handler } : {}) })
      }
      const verb = lastSegment(basePath)
      if (RUST_HTTP_METHODS.includes(verb) && isPoemFunction(basePath)) add(verb, callArgs(base)[0])
      else if (!/(^|::)RouteMethod::(new|default)$/.test(basePath)) return undefined
      for (const c of calls) if (RUST_HTTP_METHODS.includes(c.method)) add(c.method, c.args[0])
      return list.length ? { k: 'methods', list } : undefined
    }

    /** `get` written as poem's: imported from poem, `poem::get`, or not a function of this file. */
    function isPoemFunction(path: string): boolean {
      if (path.includes('::')) return /^(::)?poem::/.test(path)
      const imp = Object.hasOwn(file.module.imports, path) ? file.module.imports[path] : undefined
      if (imp) return imp.module.split('::')[0] === 'poem'
      return !fns.has(path)
    }

    function isRouteBase(base: SgNode): boolean {
      if (base.kind() === 'identifier' || base.kind() === 'self') return true
      if (base.kind() !== 'call_expression') return false
      const path = calleePath(base)
      return path !== undefined && !STATIC.test(path) && !SERVICE.test(path)
    }

    function isRouteChain(expr: SgNode): boolean {
      if (expr.kind() !== 'call_expression') return false
      const { base, calls } = chainOf(expr)
      return calls.some((c) => ROUTE_METHODS.has(c.method)) || (calls.length === 0 && ROUTE_NEW.test(calleePath(base) ?? ''))
    }

    /** The API types an `OpenApiService::new(..)` or an `impl OpenApi` function serves. */
    function apisOf(expr: SgNode, depth = 0): SymbolRef[] {
      if (depth > 16) return []
      const k = expr.kind()
      if (k === 'tuple_expression' || k === 'parenthesized_expression' || k === 'reference_expression')
        return expr.namedChildren().flatMap((c) => apisOf(c, depth + 1))
      if (k === 'identifier') {
        const value = letBinding(expr, expr.text())?.field('value')
        if (value) return apisOf(value, depth + 1)
        return isParameter(expr, expr.text()) ? [] : [{ name: expr.text() }]
      }
      if (k === 'scoped_identifier') return [{ name: expr.text() }]
      if (k === 'struct_expression') {
        const name = expr.field('name')?.text()
        return name ? [{ name: name.replace(/<.*$/s, '') }] : []
      }
      if (k === 'call_expression') {
        const path = calleePath(expr)
        if (path === undefined) {
          // `Api::new(pool).with_x(..)`: the value the chain starts from.
          const { base } = chainOf(expr)
          return base.id() === expr.id() ? [] : apisOf(base, depth + 1)
        }
        const segs = path.split('::')
        if (segs.length > 1 && /^[A-Z]/.test(segs[segs.length - 2]!)) return [{ name: segs.slice(0, -1).join('::') }]
        if (/^[A-Z]/.test(path)) return [{ name: path }]
        return [{ name: path }]
      }
      return []
    }

    /** `#[OpenApi] impl Api { #[oai(path = "/x", method = "get")] async fn x(&self) }`: routes of the type `Api`. */
    function addOpenApiImpls(): void {
      for (const impl of file.root.findAll({ rule: { kind: 'impl_item' } })) {
        if (isTestCode(impl) || impl.field('trait')) continue
        const marker = attributesOf(impl).find((a) => attributeName(a) === 'OpenApi')
        if (!marker) continue
        const owner = typePath(impl)
        if (!owner) continue
        const prefixNode = attributeArgs(marker).find((g) => g.length === 3 && g[0]!.text() === 'prefix_path' && g[1]!.text() === '=')?.[2]
        const prefix = prefixNode ? poemPath(ctx.pathOf(prefixNode)) : undefined
        facts.routers!.push({ name: owner, line: ctx.lineOf(impl), mountedOnly: true, ...(prefix ? { prefix } : {}) })
        for (const fn of impl
          .field('body')
          ?.children()
          .filter((c) => c.kind() === 'function_item') ?? []) {
          for (const attr of attributesOf(fn)) {
            if (attributeName(attr) !== 'oai') continue
            const groups = attributeArgs(attr)
            const pathNode = groups.find((g) => g.length === 3 && g[0]!.text() === 'path' && g[1]!.text() === '=')?.[2]
            const methods = (attributeOptions(groups).get('method') ?? []).map((m) => m.toUpperCase())
            if (!pathNode || !methods.length) continue
            const kind = kindOf(fn)
            facts.routes.push({
              kind,
              methods: kind === 'websocket' ? ['WS'] : methods,
              path: poemPath(ctx.pathOf(pathNode)),
              owner,
              handler: fn.field('name')!.text(),
              line: ctx.lineOf(attr),
            })
          }
        }
      }
    }

    /**
     * `fn api() -> impl OpenApi { (UserApi, (TagApi, other())) }`: the function serves each API it returns;
     * `fn service() -> OpenApiService<..> { OpenApiService::new(Api, ..) }` serves the service's APIs.
     */
    function addOpenApiFunctions(): void {
      for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
        if (isTestCode(fn)) continue
        const service = returnsType(fn, 'OpenApiService')
        if (!service && !returnsType(fn, 'OpenApi')) continue
        const owner = fnOwner(fn)!
        facts.routers!.push({ name: owner, line: ctx.lineOf(fn), mountedOnly: true })
        for (const value of returnedValues(fn)) {
          const ep = service ? endpointOf(value) : undefined
          const children = ep ? (ep.k === 'apis' ? ep.children : []) : apisOf(value)
          for (const child of children) {
            if ('name' in child && child.name !== owner) facts.mounts.push({ parent: owner, child, prefix: [], line: ctx.lineOf(value) })
          }
        }
      }
    }

    /**
     * `fn mcp() -> impl IntoEndpoint { streamable_http::endpoint(..) }`: a function returning an endpoint
     * that is no router serves it at the path it is nested at (a returned `Route` chain is read as such).
     */
    function addEndpointFunctions(): void {
      for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
        if (isTestCode(fn) || !(returnsType(fn, 'IntoEndpoint') || returnsType(fn, 'Endpoint') || returnsType(fn, 'BoxEndpoint'))) continue
        if (returnsType(fn, 'OpenApiService') || returnsType(fn, 'Route')) continue
        const owner = fnOwner(fn)!
        for (const value of returnedValues(fn)) {
          if (isRouteChain(value)) continue
          const ep = endpointOf(value)
          const line = ctx.lineOf(value)
          if (ep.k === 'methods')
            for (const m of ep.list)
              facts.routes.push({
                kind: m.kind,
                methods: [m.kind === 'websocket' ? 'WS' : m.method],
                path: [''],
                owner,
                line,
                ...(m.handler ? { handler: m.handler } : {}),
              })
          else if (ep.k === 'endpoint')
            facts.routes.push({
              kind: ep.kind,
              methods: [ep.kind === 'websocket' ? 'WS' : 'ALL'],
              path: [''],
              owner,
              line,
              ...(ep.handler ? { handler: ep.handler } : {}),
            })
          else if (ep.k === 'doc') facts.routes.push({ methods: ['GET'], path: [''], owner, line })
          else if (ep.k === 'route' && !('name' in ep.child && ep.child.name === owner)) facts.mounts.push({ parent: owner, child: ep.child, prefix: [], line })
          else if (ep.k === 'apis') for (const child of ep.children) facts.mounts.push({ parent: owner, child, prefix: [], line })
        }
        facts.routers!.push({ name: owner, line: ctx.lineOf(fn), mountedOnly: true })
      }
    }

    /** A WebSocket when the handler takes `WebSocket`, SSE when it returns `SSE` (poem) or `EventStream` (poem-openapi). */
    function kindOf(fn: SgNode): Kind {
      if (hasParamType(fn, 'WebSocket')) return 'websocket'
      if (fn.kind() === 'function_item' && (returnsType(fn, 'SSE') || returnsType(fn, 'EventStream'))) return 'sse'
      return 'route'
    }
  },
})

/** The impl's type with the inline modules around it: `Api`, `v1::Api`. */
function typePath(impl: SgNode): string | undefined {
  const type = impl.field('type')?.text().replace(/<.*$/s, '')
  if (!type) return undefined
  const mods = impl
    .ancestors()
    .filter((a) => a.kind() === 'mod_item')
    .map((m) => m.field('name')?.text() ?? '')
    .reverse()
  return [...mods, type].filter(Boolean).join('::')
}

function handlerName(arg: SgNode): string | undefined {
  const k = arg.kind()
  if (k === 'identifier' || k === 'scoped_identifier') return lastSegment(arg.text())
  if (k === 'generic_function') return handlerName(arg.field('function') ?? arg)
  // `create.with(Auth)`: the handler the middleware wraps.
  if (k === 'call_expression' && arg.field('function')?.kind() === 'field_expression') return handlerName(chainOf(arg).base)
  return undefined
}

/** `:id<\d+>` -> `:id`, a bare `<\d+>` segment -> `:param`: poem's regex parameters. */
function poemPath(path: PathExpr): PathExpr {
  return path.map((p) => (typeof p === 'string' ? p.replace(/(:\w+)<[^/]*>/g, '$1').replace(/(^|\/)<[^/]*>/g, '$1:param') : p))
}

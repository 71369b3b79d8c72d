/**
 * axum 0.6 to 0.8: https://docs.rs/axum/latest/axum/routing/struct.Router.html
 * `Router::new().route("/p", get(a).post(b))` with method routers (`get`..`trace`, `any`,
 * `on(MethodFilter::GET, h)`, `get_service(svc)`), `.nest("/api", api::routes())` with routers
 * built in functions of other modules, in `let` variables or inline, `.merge(other())`,
 * `.route_service` (every method), `.nest_service` of a router. Both `/:id`, `/*rest` (0.7) and
 * `/{id}`, `/{*rest}` (0.8). A handler taking `WebSocketUpgrade` is a WebSocket, one returning
 * `Sse<...>` an SSE stream (handlers looked up in the same file). utoipa-axum's
 * `OpenApiRouter::routes(routes!(a, b))` serves each handler at its `#[utoipa::path(get, path = "/x")]`;
 * `let (router, api) = r.split_for_parts()` makes `router` stand for `r`; `.merge(SwaggerUi::new(p).url(json, doc))`
 * serves GET `p`, `p/{*rest}` and `json`.
 * Documented choices: `.fallback(..)` and `.nest_service` of a non-router service (`ServeDir`)
 * add no item; a method router that is not written inline is reported as UNSUPPORTED_FORM.
 */
import type { SgNode } from '@ast-grep/napi'
import { macroName, macroTokens, tokenGroups } from '../../languages/rust.js'
import {
  attributeArgs,
  attributesOf,
  calleePath,
  callArgs,
  chainOf,
  chainTop,
  enclosingFn,
  fnOwner,
  functionsByName,
  hasParamType,
  holderOf,
  isTestCode,
  inlineOwner,
  isParameter,
  itemPath,
  lastSegment,
  letBinding,
  macroPaths,
  variableOwner,
  returnsType,
  RUST_HTTP_METHODS,
  type ChainCall,
} from '../rust-syntax.js'
import { defineExtractor, type FileFacts, type PathExpr, type RouteFact, type SymbolRef } from '../types.js'

/** Router methods that make a chain a router under construction. */
const BUILDERS = new Set(['route', 'nest', 'merge', 'nest_service', 'route_service', 'fallback', 'fallback_service', 'routes'])
const CONSTRUCTORS = /^(axum::)?Router(::<.*>)?::(new|default)$/

export const extractor = defineExtractor({
  id: 'axum',
  family: 'rust',
  docs: 'https://docs.rs/axum/latest/axum/routing/struct.Router.html',
  detect: (m) => m.dependencies.has('axum'),
  needles: ['.route(', '.nest(', '.merge(', '.nest_service(', '.route_service(', '.routes(', 'utoipa::path'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const fns = functionsByName(file.root)
    addUtoipaHandlers()
    const seen = new Set<number>()
    const calls = file.root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'field_expression', has: { field: 'field', regex: `^(${[...BUILDERS].join('|')})$` } } },
    })
    for (const call of calls) {
      const top = chainTop(call)
      if (seen.has(top.id()) || isTestCode(top)) continue
      seen.add(top.id())
      const { base, calls: chain } = chainOf(top)
      let holder = holderOf(top)
      if (holder === undefined) holder = base.kind() === 'identifier' ? variableOwner(base) : null
      addChain(holder, base, chain)
    }
    // `fn routes() -> Router { let r = Router::new()...; r }`: the function returns a local router.
    for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
      const type = fn.field('return_type')
      const tail = fn
        .field('body')
        ?.namedChildren()
        .filter((c) => !String(c.kind()).endsWith('comment'))
        .at(-1)
      if (!type?.find({ rule: { kind: 'type_identifier', regex: '^Router$' } }) && type?.text() !== 'Router') continue
      if (tail?.kind() !== 'identifier') continue
      const child = childRef(tail)
      const owner = fnOwner(fn)
      if (child && 'name' in child && child.name !== owner) facts.mounts.push({ parent: owner, child, prefix: [], line: ctx.lineOf(tail) })
    }
    return facts

    function addChain(owner: string | null, base: SgNode, chain: ChainCall[]): void {
      const from = childRef(base)
      if (from && 'name' in from && from.name !== owner) facts.mounts.push({ parent: owner, child: from, prefix: [], line: ctx.lineOf(base) })
      for (const { method, args, node } of chain) {
        const line = ctx.lineOf(node.field('function')!.field('field')!)
        const [first, second] = args
        if (method === 'route' && first && second) {
          const methods = methodRouter(second)
          if (!methods) {
            // Inside a syntax error the PARSE_ERROR already tells the story.
            if (node.find({ rule: { kind: 'ERROR' } })) continue
            ctx.diagnose({
              code: 'UNSUPPORTED_FORM',
              line,
              message: `the method router of \`${first.text()}\` is not written inline; parity cannot tell its methods`,
            })
            continue
          }
          for (const m of methods) {
            const route: RouteFact = { kind: m.kind, methods: [m.method], path: ctx.pathOf(first), owner, line }
            if (m.handler) route.handler = m.handler
            facts.routes.push(route)
          }
        } else if (method === 'route_service' && first) {
          facts.routes.push({ methods: ['ALL'], path: ctx.pathOf(first), owner, line })
        } else if ((method === 'nest' || method === 'nest_service') && first && second) {
          const child = childRef(second)
          // `let routes = Router::new().nest(path, routes)` shadows `routes`: the same owner, not a cycle.
          if (child && 'name' in child && child.name === owner) continue
          if (child) facts.mounts.push({ parent: owner, child, prefix: ctx.pathOf(first), line })
          // `if p != "" { app = Router::new().nest(p, app) }`: when the branch is not taken, `app` is served as it was.
          if (child && second.kind() === 'identifier' && isConditionalRebuild(chainTop(node), second.text()))
            facts.mounts.push({ parent: owner, child, prefix: [], line })
          else if (!child && method === 'nest')
            ctx.diagnose({ code: 'UNRESOLVED_MOUNT', line, message: `nests \`${second.text()}\`, which parity cannot follow` })
        } else if (method === 'routes' && first?.kind() === 'macro_invocation' && macroName(first) === 'routes') {
          // utoipa-axum `OpenApiRouter::routes(routes!(a, b))`: each handler brings the method and path of its `#[utoipa::path]`.
          const tree = macroTokens(first)
          for (const path of tree ? macroPaths(tree) : []) facts.mounts.push({ parent: owner, child: { name: path }, prefix: [], line })
        } else if (method === 'merge' && first && swaggerUi(first)) {
          // utoipa-swagger-ui: the UI at its path (a redirect, then `path/*rest`) and each `.url(json, doc)`.
          const ui = swaggerUi(first)!
          for (const path of [ui.path, [...ui.path, '/{*rest}'], ...ui.urls]) facts.routes.push({ methods: ['GET'], path, owner, line })
        } else if (method === 'merge' && first) {
          const child = childRef(first)
          if (child && !('name' in child && child.name === owner)) facts.mounts.push({ parent: owner, child, prefix: [], line })
        }
      }
    }

    /**
     * utoipa-axum: https://docs.rs/utoipa-axum/latest/utoipa_axum/macro.routes.html
     * A handler's `#[utoipa::path(get, path = "/x")]` (or `method(get, head)`) is the route `routes!(handler)` registers.
     */
    function addUtoipaHandlers(): void {
      if (file.manifest?.file && !file.manifest.dependencies.has('utoipa')) return
      for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
        if (isTestCode(fn)) continue
        const owner = itemPath(fn)
        for (const attr of attributesOf(fn)) {
          if (attr.namedChildren()[0]?.text().replace(/\s/g, '') !== 'utoipa::path') continue
          const groups = attributeArgs(attr)
          const pathNode = groups.find((g) => g.length === 3 && g[0]!.text() === 'path' && g[1]!.text() === '=')?.[2]
          const methods = groups.flatMap((g) => {
            if (g.length === 1) return RUST_HTTP_METHODS.includes(g[0]!.text()) ? [g[0]!.text().toUpperCase()] : []
            if (g.length === 2 && g[0]!.text() === 'method' && g[1]!.kind() === 'token_tree') {
              return tokenGroups(g[1]!).flatMap((m) => (m.length === 1 && RUST_HTTP_METHODS.includes(m[0]!.text()) ? [m[0]!.text().toUpperCase()] : []))
            }
            return []
          })
          if (!pathNode || methods.length === 0) continue
          const kind: RouteFact['kind'] = hasParamType(fn, 'WebSocketUpgrade') ? 'websocket' : returnsType(fn, 'Sse') ? 'sse' : 'route'
          const handler = fn.field('name')!.text()
          facts.routes.push({ kind, methods: kind === 'websocket' ? ['WS'] : methods, path: ctx.pathOf(pathNode), owner, handler, line: ctx.lineOf(attr) })
          facts.routers!.push({ name: owner, line: ctx.lineOf(fn), mountedOnly: true })
        }
      }
    }

    /** What a router expression names: a local router, a function building one, or an inline chain. */
    function childRef(expr: SgNode): SymbolRef | undefined {
      const k = expr.kind()
      if (k === 'reference_expression' || k === 'parenthesized_expression') {
        const inner = expr.field('value') ?? expr.namedChildren()[0]
        return inner ? childRef(inner) : undefined
      }
      if (k === 'identifier') {
        const split = splitBinding(expr)
        if (split) return childRef(split)
        const binding = letBinding(expr, expr.text())
        const value = binding?.field('value')
        // `let routes = if c { a } else { b }` and other values parity cannot follow stay owners of their own.
        const inner = value && !isRouterChain(value) ? childRef(value) : undefined
        if (inner) return inner
        if (binding || isParameter(expr, expr.text())) return { name: variableOwner(expr) }
        return { name: expr.text() }
      }
      if (k === 'call_expression') {
        if (isRouterChain(expr)) return { name: inlineOwner(expr) }
        const path = calleePath(expr)
        if (path !== undefined) {
          // `ServeDir::new(..)` and other services are not routers of this tree.
          if (CONSTRUCTORS.test(path) || /(^|::)[A-Z]\w*::(new|default|from\w*)$/.test(path)) return undefined
          return { name: path }
        }
        // `api.with_state(state)`, `routes().layer(..)`: the router the chain starts from.
        const { base } = chainOf(expr)
        return base.id() === expr.id() ? undefined : childRef(base)
      }
      if (k === 'scoped_identifier') return { name: expr.text() }
      return undefined
    }

    /** `SwaggerUi::new("/docs").url("/openapi.json", doc)`: https://docs.rs/utoipa-swagger-ui/latest/utoipa_swagger_ui/struct.SwaggerUi.html */
    function swaggerUi(expr: SgNode): { path: PathExpr; urls: PathExpr[] } | undefined {
      if (expr.kind() !== 'call_expression') return undefined
      const { base, calls: chain } = chainOf(expr)
      const path = callArgs(base)[0]
      if (!/(^|::)SwaggerUi::new$/.test(calleePath(base) ?? '') || !path) return undefined
      const urls = chain.filter((c) => c.method === 'url' && c.args[0]).map((c) => ctx.pathOf(c.args[0]!))
      return { path: ctx.pathOf(path), urls }
    }

    /** `name = <chain>` written inside an `if` or `match` arm of its function. */
    function isConditionalRebuild(top: SgNode, name: string): boolean {
      const assign = top.parent()
      if (assign?.kind() !== 'assignment_expression' || assign.field('left')?.text() !== name) return false
      const fn = enclosingFn(assign)
      for (const a of assign.ancestors()) {
        if (a.id() === fn?.id()) return false
        if (a.kind() === 'if_expression' || a.kind() === 'match_arm') return true
      }
      return false
    }

    /** `let (router, openapi) = api.split_for_parts()` (utoipa-axum): `router` is `api`. */
    function splitBinding(use: SgNode): SgNode | undefined {
      const fn = enclosingFn(use)
      let found: SgNode | undefined
      for (const decl of fn?.field('body')?.findAll({ rule: { kind: 'let_declaration', has: { field: 'pattern', kind: 'tuple_pattern' } } }) ?? []) {
        const first = decl.field('pattern')!.namedChildren()[0]
        const value = decl.field('value')
        if (first?.text() !== use.text() || decl.range().end.index > use.range().start.index || value?.kind() !== 'call_expression') continue
        const { calls: chain } = chainOf(value)
        if (chain.at(-1)?.method === 'split_for_parts') found = value.field('function')?.field('value') ?? undefined
      }
      // A later `let router = ..` shadows the tuple's binding.
      const plain = letBinding(use, use.text())
      return found && plain && plain.range().start.index > found.range().start.index ? undefined : found
    }

    function isRouterChain(expr: SgNode): boolean {
      if (expr.kind() !== 'call_expression') return false
      const { base, calls: chain } = chainOf(expr)
      return chain.some((c) => BUILDERS.has(c.method)) || (chain.length > 0 && CONSTRUCTORS.test(calleePath(base) ?? ''))
    }

    /** `get(a).post(b)`, `on(MethodFilter::GET, h)`, `get_service(svc)`: one entry per method; undefined when not inline. */
    function methodRouter(expr: SgNode): Array<{ method: string; handler?: string; kind: RouteFact['kind'] }> | undefined {
      if (expr.kind() !== 'call_expression') return undefined
      const { base, calls: chain } = chainOf(expr)
      const steps: Array<{ name: string; args: SgNode[] }> = []
      const basePath = calleePath(base)
      if (basePath === undefined) return undefined
      if (!/(^|::)MethodRouter(::<.*>)?::new$/.test(basePath)) steps.push({ name: lastSegment(basePath), args: callArgs(base) })
      steps.push(...chain.map((c) => ({ name: c.method, args: c.args })))
      const out: Array<{ method: string; handler?: string; kind: RouteFact['kind'] }> = []
      let known = false
      for (const { name, args } of steps) {
        const verb = name.replace(/_service$/, '')
        let methods: string[] = []
        let handlerArg = args[0]
        if (RUST_HTTP_METHODS.includes(verb)) methods = [verb.toUpperCase()]
        else if (verb === 'any') methods = ['ALL']
        else if (verb === 'on') {
          handlerArg = args[1]
          const filter = args[0]
          methods = filter
            ? filter
                .findAll({
                  rule: { any: [{ kind: 'identifier' }, { kind: 'field_identifier' }], regex: '^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|TRACE|CONNECT)$' },
                })
                .map((n) => n.text())
            : []
        } else continue
        known = true
        const handler = handlerArg && !name.endsWith('_service') ? handlerName(handlerArg) : undefined
        const kind = handlerArg ? kindOf(handlerArg) : 'route'
        for (const method of methods) out.push({ method: kind === 'websocket' ? 'WS' : method, kind, ...(handler ? { handler } : {}) })
      }
      return known ? out : undefined
    }

    function handlerName(arg: SgNode): string | undefined {
      const k = arg.kind()
      if (k === 'identifier' || k === 'scoped_identifier') return lastSegment(arg.text())
      if (k === 'generic_function') return handlerName(arg.field('function') ?? arg)
      return undefined
    }

    /** A WebSocket when the handler takes `WebSocketUpgrade`, SSE when it returns `Sse<..>`. */
    function kindOf(arg: SgNode): RouteFact['kind'] {
      let fn: SgNode | undefined
      if (arg.kind() === 'closure_expression') fn = arg
      else {
        const name = handlerName(arg)
        fn = name ? fns.get(name) : undefined
      }
      if (!fn) return 'route'
      if (hasParamType(fn, 'WebSocketUpgrade')) return 'websocket'
      if (fn.kind() === 'function_item' && returnsType(fn, 'Sse')) return 'sse'
      return 'route'
    }
  },
})

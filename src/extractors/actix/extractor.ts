/**
 * actix-web 4: https://actix.rs/docs/url-dispatch
 * Attribute macros `#[get("/p")]`..`#[route("/p", method = "GET", method = "POST")]` and
 * `#[routes]` stacks, registered with `.service(handler)`; `web::scope("/api").service(..)`
 * (nested, or built in functions of other modules), `web::resource("/x").route(web::get().to(h))`
 * and `.get(h)`/`.to(h)`, `.route("/p", web::get().to(h))`, `.configure(config_fn)` with
 * `cfg.service(..)` in `fn config(cfg: &mut web::ServiceConfig)`, also given as a generic path
 * (`config::<B>`) or a closure handing its config on (`|cfg| config(cfg, flag)`). A handler calling
 * `ws::start` (actix-web-actors) or `actix_ws::handle` is a WebSocket; one returning `Sse<..>`
 * (actix-web-lab) is SSE. A codegen fork's `#[get(path = "crate::ROUTES.x")]`, whose path is a
 * Rust expression the macro evaluates, is reported as UNRESOLVED_PATH, never guessed; so is a
 * macro handler registered nowhere parity can see. `default_service` and `actix_files::Files` add no item.
 */
import type { SgNode } from '@ast-grep/napi'
import { rustStringLiteral } from '../../languages/rust.js'
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
  holderOf,
  inlineOwner,
  isParameter,
  isTestCode,
  itemPath,
  lastSegment,
  letBinding,
  variableOwner,
  returnsType,
  RUST_HTTP_METHODS,
} from '../rust-syntax.js'
import { defineExtractor, type FileFacts, type PathExpr, type RouteFact, type SymbolRef } from '../types.js'

const REGISTRARS = new Set(['service', 'route', 'configure'])
const RESOURCE = /(^|::)(web::resource|Resource::new)$/
const SCOPE = /(^|::)(web::scope|Scope::new)$/
const APP = /(^|::)App::new$/
const METHOD_NAMES = '^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|TRACE|CONNECT)$'
const WS_CALL = '(^|::)(ws::(start|start_with_addr|handle|WsResponseBuilder::new)|actix_ws::handle)$'

type Kind = NonNullable<RouteFact['kind']>

export const extractor = defineExtractor({
  id: 'actix',
  family: 'rust',
  docs: 'https://actix.rs/docs/url-dispatch',
  detect: (m) => m.dependencies.has('actix-web'),
  needles: [
    '#[get',
    '#[post',
    '#[put',
    '#[delete',
    '#[patch',
    '#[head',
    '#[options',
    '#[trace',
    '#[connect',
    '#[route',
    '#[routes',
    '#[actix_web::',
    '::get(',
    '::post(',
    '::put(',
    '::delete(',
    '::patch(',
    '.service(',
    '.route(',
    '.configure(',
    'web::resource',
    'web::scope',
    'ServiceConfig',
    'ws::start',
    'actix_ws',
  ],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const fns = functionsByName(file.root)

    // Attribute macros: each handler function is an owner, served where `.service(handler)` mounts it.
    for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
      if (isTestCode(fn)) continue
      const owner = itemPath(fn)
      let found = false
      for (const attr of attributesOf(fn)) {
        const name = attributeName(attr)
        if (!RUST_HTTP_METHODS.includes(name) && name !== 'route') continue
        const groups = attributeArgs(attr)
        const pathNode = groups[0]?.length === 1 ? groups[0][0]! : undefined
        const options = attributeOptions(groups)
        let path: PathExpr
        if (pathNode && rustStringLiteral(pathNode) !== undefined) path = ctx.pathOf(pathNode)
        // A codegen fork's `#[get(path = "crate::ROUTES.auth.login")]`: a Rust expression in a string, evaluated by the macro.
        else if (options.get('path')?.length === 1) {
          const expr = options.get('path')![0]!
          // A plain path to a constant or a field of a constant table (`crate::ROUTES.auth.login`) is read like one.
          path = /^[A-Za-z_]\w*(::[A-Za-z_]\w*)*(\.[A-Za-z_]\w*)*$/.test(expr)
            ? [{ ref: expr }]
            : [{ unknown: expr, why: 'a Rust expression that a custom route macro evaluates' }]
        } else continue
        const methods = name === 'route' ? (options.get('method') ?? []).map((m) => m.toUpperCase()) : [name.toUpperCase()]
        const kind = kindOf(fn)
        facts.routes.push({ kind, methods: kind === 'websocket' ? ['WS'] : methods, path, owner, handler: fn.field('name')!.text(), line: ctx.lineOf(attr) })
        found = true
      }
      if (found) facts.routers!.push({ name: owner, line: ctx.lineOf(fn) })
    }

    // Builder chains on `App::new()`, scopes, resources and `ServiceConfig` parameters.
    const seen = new Set<number>()
    const starts = file.root.findAll({
      rule: {
        kind: 'call_expression',
        any: [
          { has: { field: 'function', kind: 'field_expression', has: { field: 'field', regex: `^(${[...REGISTRARS].join('|')})$` } } },
          { has: { field: 'function', kind: 'scoped_identifier', regex: `${RESOURCE.source}|${SCOPE.source}|${APP.source}` } },
        ],
      },
    })
    for (const start of starts) {
      const top = chainTop(start)
      if (seen.has(top.id()) || !isActixChain(top) || isTestCode(top)) continue
      seen.add(top.id())
      addChain(top)
    }
    return facts

    function addChain(top: SgNode): void {
      const { base, calls } = chainOf(top)
      const holder = holderOf(top)
      const basePath = calleePath(base) ?? ''
      if (RESOURCE.test(basePath)) {
        const owner = holder ?? null
        for (const path of pathsOf(base)) {
          for (const { method, args, node } of calls) {
            const line = ctx.lineOf(node.field('function')!.field('field')!)
            const found =
              method === 'route'
                ? builder(args[0])
                : method === 'to'
                  ? { methods: ['ALL'], handler: args[0] }
                  : RUST_HTTP_METHODS.includes(method)
                    ? { methods: [method.toUpperCase()], handler: args[0] }
                    : undefined
            if (found) addRoute(owner, path, found, line)
          }
        }
        return
      }
      let owner: string | null
      if (SCOPE.test(basePath)) {
        owner = `scope@${ctx.lineOf(base)}:${base.range().start.column + 1}`
        const prefix = pathsOf(base)[0] ?? []
        facts.mounts.push({ parent: holder ?? null, child: { name: owner }, prefix, line: ctx.lineOf(base) })
      } else if (APP.test(basePath)) {
        owner = holder ?? null
      } else {
        const variable = base.kind() === 'identifier' ? variableOwner(base) : undefined
        owner = holder === undefined ? (variable ?? null) : holder
        const from = childRef(base)
        if (from && 'name' in from && from.name !== owner) facts.mounts.push({ parent: owner, child: from, prefix: [], line: ctx.lineOf(base) })
      }
      for (const { method, args, node } of calls) {
        const line = ctx.lineOf(node.field('function')!.field('field')!)
        if (method === 'service') {
          const items = args[0]?.kind() === 'tuple_expression' ? args[0].namedChildren() : args.slice(0, 1)
          for (const item of items) {
            const child = childRef(item)
            if (child) facts.mounts.push({ parent: owner, child, prefix: [], line })
          }
        } else if (method === 'configure' && args[0]) {
          const child = childRef(args[0])
          if (child) facts.mounts.push({ parent: owner, child, prefix: [], line })
        } else if (method === 'route' && args.length >= 2) {
          const found = builder(args[1])
          if (found) addRoute(owner, ctx.pathOf(args[0]!), found, line)
          else
            ctx.diagnose({
              code: 'UNSUPPORTED_FORM',
              line,
              message: `the route builder of \`${args[0]!.text()}\` is not written inline; parity cannot tell its methods`,
            })
        }
      }
    }

    function addRoute(owner: string | null, path: PathExpr, found: { methods: string[]; handler?: SgNode | undefined }, line: number): void {
      const handler = found.handler ? handlerName(found.handler) : undefined
      const fn = handler ? fns.get(handler) : found.handler?.kind() === 'closure_expression' ? found.handler : undefined
      const kind = fn ? kindOf(fn) : 'route'
      const route: RouteFact = { kind, methods: kind === 'websocket' ? ['WS'] : found.methods, path, owner, line }
      if (handler) route.handler = handler
      facts.routes.push(route)
    }

    /** `web::resource("/x")`, `web::resource(["/a", "/b"])`, `web::scope("/api")`: the paths of the first argument. */
    function pathsOf(call: SgNode): PathExpr[] {
      const arg = call.field('arguments')?.namedChildren()[0]
      if (!arg) return [['']]
      return arg.kind() === 'array_expression' ? arg.namedChildren().map((p) => ctx.pathOf(p)) : [ctx.pathOf(arg)]
    }

    /** `web::get().to(h)`, `web::method(Method::GET).to(h)`, `web::route().guard(guard::Post()).to(h)`. */
    function builder(expr: SgNode | undefined): { methods: string[]; handler?: SgNode } | undefined {
      if (expr?.kind() !== 'call_expression') return undefined
      const { base, calls } = chainOf(expr)
      const name = lastSegment(calleePath(base) ?? '')
      let methods: string[] = []
      if (RUST_HTTP_METHODS.includes(name)) methods = [name.toUpperCase()]
      else if (name === 'method') methods = methodNames(base)
      else if (name !== 'route' && name !== 'new') return undefined
      let handler: SgNode | undefined
      for (const c of calls) {
        if (c.method === 'to' || c.method === 'service') handler = c.args[0]
        else if (c.method === 'method' || c.method === 'guard') methods.push(...methodNames(c.node.field('arguments')!))
      }
      return { methods: methods.length ? [...new Set(methods)] : ['ALL'], ...(handler ? { handler } : {}) }
    }

    /** `Method::GET`, `guard::Post()`: the methods named inside a node. */
    function methodNames(node: SgNode): string[] {
      const consts = node.findAll({ rule: { kind: 'identifier', regex: METHOD_NAMES } }).map((n) => n.text())
      const guards = node
        .findAll({ rule: { kind: 'scoped_identifier', regex: '(^|::)guard::(Get|Post|Put|Delete|Patch|Head|Options|Trace|Connect)$' } })
        .map((n) => lastSegment(n.text()).toUpperCase())
      return [...consts, ...guards]
    }

    function handlerName(arg: SgNode): string | undefined {
      const k = arg.kind()
      if (k === 'identifier' || k === 'scoped_identifier') return lastSegment(arg.text())
      if (k === 'generic_function') return handlerName(arg.field('function') ?? arg)
      return undefined
    }

    function kindOf(fn: SgNode): Kind {
      const body = fn.field('body')
      if (body?.find({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'scoped_identifier', regex: WS_CALL } } })) return 'websocket'
      if (fn.kind() === 'function_item' && returnsType(fn, 'Sse')) return 'sse'
      return 'route'
    }

    function isActixChain(expr: SgNode): boolean {
      if (expr.kind() !== 'call_expression') return false
      const { base, calls } = chainOf(expr)
      const basePath = calleePath(base) ?? ''
      return RESOURCE.test(basePath) || SCOPE.test(basePath) || APP.test(basePath) || calls.some((c) => REGISTRARS.has(c.method))
    }

    /** `|cfg| users::config(cfg, flag)`: a closure that hands its `ServiceConfig` to a function is that function. */
    function forwardedTo(closure: SgNode): SymbolRef | undefined {
      const params =
        closure
          .children()
          .find((c) => c.kind() === 'closure_parameters')
          ?.namedChildren() ?? []
      const param = params[0] && (params[0].field('pattern') ?? params[0]).text()
      let body = closure.field('body')
      if (body?.kind() === 'block') {
        const named = body.namedChildren().filter((c) => !String(c.kind()).endsWith('comment'))
        body = named.length === 1 ? (named[0]!.kind() === 'expression_statement' ? (named[0]!.namedChildren()[0] ?? null) : named[0]!) : null
      }
      if (!param || body?.kind() !== 'call_expression') return undefined
      const path = calleePath(body)
      if (!path || !callArgs(body).some((a) => a.kind() === 'identifier' && a.text() === param)) return undefined
      return { name: path }
    }

    /** What `.service(x)` / `.configure(x)` registers: a handler, a scope, a config function. */
    function childRef(expr: SgNode): SymbolRef | undefined {
      const k = expr.kind()
      if (k === 'reference_expression' || k === 'parenthesized_expression') {
        const inner = expr.field('value') ?? expr.namedChildren()[0]
        return inner ? childRef(inner) : undefined
      }
      if (k === 'closure_expression') return forwardedTo(expr) ?? { name: fnOwner(expr)! }
      if (k === 'generic_function') {
        const fn = expr.field('function')
        return fn ? childRef(fn) : undefined
      }
      if (k === 'scoped_identifier') return { name: expr.text() }
      if (k === 'identifier') {
        const binding = letBinding(expr, expr.text())
        const value = binding?.field('value')
        if (value && !isActixChain(value)) return childRef(value)
        if (binding || isParameter(expr, expr.text())) return { name: variableOwner(expr) }
        return { name: expr.text() }
      }
      if (k === 'call_expression') {
        if (isActixChain(expr)) return { name: inlineOwner(expr) }
        const path = calleePath(expr)
        if (path !== undefined) return /(^|::)[A-Z]\w*::\w+$/.test(path) ? undefined : { name: path }
        const { base } = chainOf(expr)
        return base.id() === expr.id() ? undefined : childRef(base)
      }
      return undefined
    }
  },
})

/**
 * Litestar: https://docs.litestar.dev/latest/usage/routing/overview.html
 * Handlers: `@get(path)`, `@post`, `@put`, `@patch`, `@delete`, `@head`, `@route(path, http_method=[...])`,
 * `@websocket`, `@websocket_listener`, `@websocket_stream` (WebSocket), `@asgi` (every method), with
 * `path` given by position or keyword, a constant, or a list of paths (none: `/`); `WebsocketListener`
 * classes. A handler function is served only where it is registered; a `Controller` subclass serves
 * its decorated methods under its `path`. Registration: `Litestar(route_handlers=[...])`,
 * `Router(path=..., route_handlers=[...])` (nested, inline or by name, imported), lists of handlers
 * (named, joined with `+`, splatted), functions returning a router, `app.register(x)`, and a plugin's
 * `app_config.route_handlers.extend([...])` / `.append(x)` in `on_app_init`.
 * Path parameters `{id:int}` are `{id}`. The OpenAPI routes Litestar generates are not listed;
 * `create_static_files_router` serves files.
 */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../../languages/python.js'
import { argument, callArgs, calleeName, decoratorCalls, dottedName, importsPackage, lineOf, methodCall, topLevelClasses } from '../py-syntax.js'
import { calleeRef, PyScopes } from '../py-values.js'
import { defineExtractor, type ExtractContext, type FileFacts, type ParsedFile, type PathExpr, type RouteFact } from '../types.js'

const HTTP = new Set(['get', 'post', 'put', 'patch', 'delete', 'head'])
const WEBSOCKET = new Set(['websocket', 'websocket_listener', 'websocket_stream'])
const HANDLERS = new Set([...HTTP, ...WEBSOCKET, 'route', 'asgi'])
/** Calls in a handler list that serve files, not routes. */
const STATIC = new Set(['create_static_files_router', 'StaticFilesConfig'])

export const extractor = defineExtractor({
  id: 'litestar',
  family: 'python',
  docs: 'https://docs.litestar.dev/latest/usage/routing/overview.html',
  detect: (m) => m.dependencies.has('litestar'),
  needles: ['litestar'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    new LitestarFile(file, ctx, facts).read()
    return facts
  },
})

class LitestarFile {
  private readonly root: SgNode
  private readonly scopes: PyScopes
  private readonly declared = new Set<string>()
  private readonly seen = new Set<number>()

  constructor(
    private readonly file: ParsedFile,
    private readonly ctx: ExtractContext,
    private readonly facts: FileFacts,
  ) {
    this.root = file.root
    this.scopes = new PyScopes(file)
  }

  read(): void {
    if (!importsPackage(this.file.module, 'litestar')) return
    this.readHandlers()
    this.readListeners()
    // `Litestar(route_handlers=[...])`, `Router(path=..., route_handlers=[...])`.
    for (const call of this.root.findAll({ rule: { kind: 'call' } })) {
      const callee = calleeName(call)
      if ((callee !== 'Litestar' && callee !== 'Router') || this.seen.has(call.id()) || !this.fromLitestar(call)) continue
      const owner = this.constructed(call)
      if (callee === 'Router') {
        const path = argument(callArgs(call), 0, 'path')
        this.declare(owner, lineOf(call), path ? this.ctx.pathOf(path) : undefined, false)
      }
      this.registerAll(call, owner, [])
    }
    // `handlers = [get_user, UserController]`: a list of handlers, served where it is registered.
    for (const assign of this.root.findAll({ rule: { kind: 'assignment', has: { field: 'right', kind: 'list' } } })) {
      const name = assign.field('left') && dottedName(assign.field('left')!)
      const list = assign.field('right')!
      // A class attribute (`guards = [...]`) is no handler list.
      if (
        assign
          .ancestors()
          .find((a) => a.kind() === 'class_definition' || a.kind() === 'function_definition')
          ?.kind() === 'class_definition'
      )
        continue
      const items = list.namedChildren().filter((c) => c.kind() !== 'comment')
      if (
        !name ||
        !items.length ||
        !items.every(
          (i) => i.kind() === 'identifier' || i.kind() === 'attribute' || i.kind() === 'list_splat' || (i.kind() === 'call' && calleeName(i) === 'Router'),
        )
      )
        continue
      if (!items.some((i) => i.kind() !== 'identifier' || /^[A-Za-z_]/.test(i.text()))) continue
      const owner = this.scopes.ownerOf(name, assign).owner
      this.declare(owner, lineOf(assign), undefined, true)
      this.handlers(list, owner, [])
    }
    // A plugin's `app_config.route_handlers.extend([...])`, `app.register(handler)`.
    for (const call of this.root.findAll({
      rule: { kind: 'call', has: { field: 'function', kind: 'attribute', has: { field: 'attribute', regex: '^(extend|append|register)$' } } },
    })) {
      const m = methodCall(call)!
      const name = dottedName(m.object)
      const value = callArgs(call).positional[0]
      if (!name || !value) continue
      if (m.method === 'register') {
        if (/\b(app|router)$/i.test(name)) this.handlers(value, this.scopes.ownerOf(name, m.object).owner, [], true)
      } else if (name.endsWith('.route_handlers')) {
        const owner = this.scopes.ownerOf(name.slice(0, -'.route_handlers'.length), m.object).owner
        this.handlers(value, owner, [], m.method === 'append')
      }
    }
    for (const aug of this.root.findAll({ rule: { kind: 'augmented_assignment' } })) {
      const name = aug.field('left') && dottedName(aug.field('left')!)
      const right = aug.field('right')
      if (name?.endsWith('.route_handlers') && right) this.handlers(right, this.scopes.ownerOf(name.slice(0, -'.route_handlers'.length), aug).owner, [])
    }
  }

  /** Declare an owner once: a router (served where mounted), or a handler or list (served only where registered). */
  private declare(name: string, line: number, prefix: PathExpr | undefined, mountedOnly: boolean): void {
    if (this.declared.has(name)) return
    this.declared.add(name)
    this.facts.routers!.push({ name, line, ...(prefix ? { prefix } : {}), ...(mountedOnly ? { mountedOnly } : {}) })
  }

  /** The name a call's callee is imported from litestar under, or written `litestar.X`. */
  private fromLitestar(call: SgNode): boolean {
    const fn = call.field('function')
    const name = fn && dottedName(fn)
    if (!name) return false
    const head = name.split('.')[0]!
    const imp = Object.hasOwn(this.file.module.imports, head) ? this.file.module.imports[head] : undefined
    return !!imp && (imp.module === 'litestar' || imp.module.startsWith('litestar.') || (imp.module === '*' && head === 'litestar'))
  }

  /** The owner a constructor makes: the name it is assigned to, the function returning it, or the call. */
  private constructed(call: SgNode): string {
    const parent = call.parent()
    if (parent?.kind() === 'assignment' && parent.field('right')?.id() === call.id()) {
      const name = parent.field('left') && dottedName(parent.field('left')!)
      if (name) return this.scopes.ownerOf(name, parent).owner
    }
    if (parent?.kind() === 'return_statement') return this.scopes.functionName(call) ?? `inline@${lineOf(call)}`
    return `inline@${lineOf(call)}`
  }

  /** The `route_handlers` of a `Litestar` or `Router` call, served by `owner` under `prefix`. */
  private registerAll(call: SgNode, owner: string, prefix: PathExpr): void {
    this.seen.add(call.id())
    const args = callArgs(call)
    const value = args.keywords.get('route_handlers') ?? (calleeName(call) === 'Litestar' ? args.positional[0] : args.positional[1])
    if (value) this.handlers(value, owner, prefix)
  }

  /** A handler list (or one handler, `single`) registered on `owner` under `prefix`. */
  private handlers(expr: SgNode, owner: string, prefix: PathExpr, single = false): void {
    const k = expr.kind()
    const line = lineOf(expr)
    if (!single && (k === 'list' || k === 'tuple')) {
      for (const item of expr.namedChildren()) {
        if (item.kind() === 'list_splat' && item.namedChildren()[0]) this.handlers(item.namedChildren()[0]!, owner, prefix)
        else if (item.kind() !== 'comment') this.handlers(item, owner, prefix, true)
      }
    } else if (k === 'parenthesized_expression') {
      if (expr.namedChildren()[0]) this.handlers(expr.namedChildren()[0]!, owner, prefix, single)
    } else if (k === 'binary_operator' && expr.field('operator')?.text() === '+') {
      this.handlers(expr.field('left')!, owner, prefix)
      this.handlers(expr.field('right')!, owner, prefix)
    } else if (k === 'identifier' || k === 'attribute') {
      const name = dottedName(expr)
      const child = name && this.scopes.childOf(name, expr)
      if (child) this.facts.mounts.push({ parent: owner, child, prefix, line })
    } else if (k === 'call') {
      const callee = calleeName(expr) ?? ''
      if (STATIC.has(callee)) return
      if (callee === 'Router') {
        // An inline router: its handlers under its path.
        const path = argument(callArgs(expr), 0, 'path')
        this.registerAll(expr, owner, [...prefix, ...(path ? this.ctx.pathOf(path) : [])])
        return
      }
      const ref = calleeRef(expr)
      if (ref && /^[a-z_]/.test(callee)) this.facts.mounts.push({ parent: owner, child: { name: ref }, prefix, line })
    }
  }

  /** Decorated handler functions and the methods of controllers. */
  private readHandlers(): void {
    for (const { call, definition } of decoratorCalls(this.root)) {
      const decorator = this.handlerKind(call)
      if (!decorator || definition.kind() !== 'function_definition') continue
      const fnName = definition.field('name')?.text()
      if (!fnName) continue
      const cls = definition.ancestors().find((a) => a.kind() === 'class_definition')
      const clsName = cls?.field('name')?.text()
      let owner = fnName
      if (cls && clsName) {
        owner = clsName
        const path = classPath(cls)
        this.declare(owner, lineOf(cls), path ? this.ctx.pathOf(path) : undefined, true)
      } else {
        this.declare(owner, lineOf(call), undefined, true)
      }
      const args = callArgs(call)
      const pathArg = args.keywords.get('path') ?? args.positional[0]
      const paths: PathExpr[] = !pathArg
        ? [['/']]
        : pathArg.kind() === 'list' || pathArg.kind() === 'tuple'
          ? pathArg
              .namedChildren()
              .filter((c) => c.kind() !== 'comment')
              .map((c) => this.ctx.pathOf(c))
          : [this.ctx.pathOf(pathArg)]
      let methods: string[]
      let kind: RouteFact['kind'] = 'route'
      if (WEBSOCKET.has(decorator)) {
        methods = ['WS']
        kind = 'websocket'
      } else if (decorator === 'route') methods = httpMethods(args.keywords.get('http_method'))
      else if (decorator === 'asgi') methods = ['ALL']
      else methods = [decorator.toUpperCase()]
      if (kind === 'route' && streamsEvents(definition)) kind = 'sse'
      const handler = clsName ? `${clsName}.${fnName}` : fnName
      for (const path of paths) this.facts.routes.push({ kind, methods, path, owner, line: lineOf(call), handler })
    }
  }

  /** `class Chat(WebsocketListener): path = "/chat"`: a WebSocket endpoint of its own. */
  private readListeners(): void {
    for (const [name, cls] of topLevelClasses(this.root)) {
      const bases = (cls.field('superclasses')?.namedChildren() ?? []).map((b) => dottedName(b)?.split('.').pop())
      if (!bases.includes('WebsocketListener')) continue
      const path = classPath(cls)
      this.declare(name, lineOf(cls), undefined, true)
      this.facts.routes.push({ kind: 'websocket', methods: ['WS'], path: path ? this.ctx.pathOf(path) : ['/'], owner: name, line: lineOf(cls), handler: name })
    }
  }

  /** The litestar decorator a call is (`get`, `route`, `websocket`...), imported from litestar or written `litestar.get`. */
  private handlerKind(call: SgNode): string | undefined {
    const fn = call.field('function')
    const name = fn && dottedName(fn)
    if (!name) return undefined
    const segs = name.split('.')
    if (segs.length === 2 && segs[0] === 'litestar' && HANDLERS.has(segs[1]!)) return segs[1]
    if (segs.length !== 1) return undefined
    const imp = Object.hasOwn(this.file.module.imports, name) ? this.file.module.imports[name] : undefined
    if (!imp || !(imp.module === 'litestar' || imp.module.startsWith('litestar.'))) return undefined
    return HANDLERS.has(imp.name) ? imp.name : undefined
  }
}

/** A controller's or listener's `path = "/users"` (annotated or not). */
function classPath(cls: SgNode): SgNode | undefined {
  for (const stmt of cls.field('body')?.children() ?? []) {
    const assign = stmt.kind() === 'expression_statement' ? stmt.namedChildren()[0] : undefined
    if (assign?.kind() === 'assignment' && assign.field('left')?.text() === 'path') return assign.field('right') ?? undefined
  }
  return undefined
}

/** `http_method="GET"`, `HttpMethod.POST`, or a list of them. */
function httpMethods(node: SgNode | undefined): string[] {
  if (!node) return ['ALL']
  const items = node.kind() === 'list' || node.kind() === 'tuple' || node.kind() === 'set' ? node.namedChildren().filter((c) => c.kind() !== 'comment') : [node]
  const out: string[] = []
  for (const item of items) {
    const s = pyStringLiteral(item) ?? dottedName(item)?.split('.').pop()
    if (!s) return ['ALL']
    out.push(s.toUpperCase())
  }
  return out.length ? out : ['ALL']
}

/** The handler returns a `ServerSentEvent`. */
function streamsEvents(definition: SgNode): boolean {
  return definition.findAll({ rule: { kind: 'call', inside: { kind: 'return_statement', stopBy: 'end' } } }).some((c) => calleeName(c) === 'ServerSentEvent')
}

/**
 * Starlette: https://www.starlette.io/routing/
 * Route tables: `Route(path, endpoint, methods=[...])` (GET without `methods`; a class endpoint, an
 * `HTTPEndpoint`, serves the verbs its class and bases define, wherever they are written),
 * `WebSocketRoute`, `Mount(path, routes=[...])`, `Mount(path, app=sub)` (a `Router`, a `Starlette`
 * app, a name, a factory call; `StaticFiles` serves files, no routes; any other ASGI app serves
 * every method below its path), `Host(host, ...)`, lists joined with `+` and `*splat`, built in
 * another module and imported, returned by functions. Apps and routers: `Starlette(routes=...)`,
 * `Router(routes=...)` and subclasses written here, and the `routes=` of FastAPI's constructors.
 * On Starlette apps and routers: `add_route`, `add_websocket_route`, `mount`, `host`, the older
 * `@app.route` / `@app.websocket_route` decorators, and `app.routes.append(Route(...))`.
 *
 * FastAPI is built on Starlette: this extractor also runs in FastAPI projects, where it reads only
 * Starlette's own forms (route lists, `Mount`, `Starlette()`/`Router()` objects, `HTTPEndpoint`
 * classes). The methods of a FastAPI app (`app.mount`, decorators) are the fastapi extractor's: a
 * FastAPI app mounting a Starlette app is one mount, read there, of the app read here.
 * An implied HEAD (Starlette answers HEAD on every GET route) is not listed, as Flask's is not.
 */
import type { SgNode } from '@ast-grep/napi'
import {
  addSubclasses,
  argument,
  callArgs,
  calleeName,
  classViews,
  decoratorCalls,
  dottedName,
  importsPackage,
  lineOf,
  methodCall,
  stringList,
  topLevelClasses,
} from '../py-syntax.js'
import { PyScopes, recordParams, routerCalls } from '../py-values.js'
import { defineExtractor, type ExtractContext, type FileFacts, type ParsedFile, type PathExpr, type RouteFact } from '../types.js'

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options']
/** Constructors whose `routes=` serve: Starlette's app and router, and FastAPI's (built on them). */
const APP_CLASSES = ['Starlette', 'Router']
const FASTAPI_CLASSES = ['FastAPI', 'APIRouter']
const ROUTE_CALLS = new Set(['Route', 'WebSocketRoute', 'Mount', 'Host'])
const APP_METHODS = ['add_route', 'add_websocket_route', 'mount', 'host']

export const extractor = defineExtractor({
  id: 'starlette',
  family: 'python',
  docs: 'https://www.starlette.io/routing/',
  detect: (m) => m.dependencies.has('starlette') || m.dependencies.has('fastapi'),
  needles: ['Route(', 'Mount(', 'Starlette', 'Router(', 'HTTPEndpoint', 'Host('],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [], views: {} }
    new StarletteFile(file, ctx, facts).read()
    if (!Object.keys(facts.views!).length) delete facts.views
    return facts
  },
})

class StarletteFile {
  private readonly root: SgNode
  private readonly scopes: PyScopes
  private readonly classes: Map<string, SgNode>
  /** Constructors of apps and routers: Starlette's, and subclasses written here. */
  private readonly appClasses = new Set(APP_CLASSES)
  /** Owners made here by a Starlette app or router constructor. */
  private readonly apps = new Set<string>()
  /** Owners made here by FastAPI's constructors: their methods are the fastapi extractor's. */
  private readonly fastapiApps = new Set<string>()
  /** Route lists assigned here, by owner. */
  private readonly lists = new Set<string>()
  /** Calls already read as part of a table. */
  private readonly seen = new Set<number>()
  private readonly usesFastAPI: boolean
  private readonly functions = new Set<string>()

  constructor(
    file: ParsedFile,
    private readonly ctx: ExtractContext,
    private readonly facts: FileFacts,
  ) {
    this.root = file.root
    this.scopes = new PyScopes(file)
    this.classes = topLevelClasses(this.root)
    addSubclasses(this.classes, this.appClasses)
    this.usesFastAPI = importsPackage(file.module, 'fastapi')
    for (const fn of this.root.findAll({ rule: { kind: 'function_definition' } })) {
      const name = fn.field('name')?.text()
      if (name) this.functions.add(name)
    }
  }

  read(): void {
    Object.assign(this.facts.views!, classViews(this.classes, VERBS))
    // `routes = [Route(...), ...]`: a route list, its own owner.
    for (const assign of this.root.findAll({
      rule: { kind: 'assignment', has: { field: 'right', any: [{ kind: 'list' }, { kind: 'tuple' }, { kind: 'binary_operator' }] } },
    })) {
      const left = assign.field('left')
      const right = assign.field('right')!
      const name = left && dottedName(left)
      if (!name || !this.holdsRoutes(right)) continue
      const owner = this.scopes.ownerOf(name, assign).owner
      if (!this.lists.has(owner)) this.facts.routers!.push({ name: owner, line: lineOf(assign) })
      this.lists.add(owner)
      this.table(right, owner, [])
    }
    // `def get_routes(): return [Route(...), ...]`: the function stands for its list; so it does for a
    // list it hands to the call it returns (`return with_extra_routes(routes)`).
    for (const ret of this.root.findAll({ rule: { kind: 'return_statement' } })) {
      const value = ret.namedChildren()[0]
      const fn = this.scopes.functionName(ret)
      if (!value || !fn) continue
      if (this.holdsRoutes(value)) {
        if (!this.lists.has(fn)) this.facts.routers!.push({ name: fn, line: lineOf(ret) })
        this.lists.add(fn)
        this.table(value, fn, [])
      } else if (value.kind() === 'call' && !this.appClasses.has(calleeName(value) ?? '')) {
        for (const arg of callArgs(value).positional) {
          const name = dottedName(arg)
          const child = name && this.scopes.childOf(name, arg)
          if (child && 'name' in child && !('module' in child) && this.lists.has(child.name))
            this.facts.mounts.push({ parent: fn, child, prefix: [], line: lineOf(ret) })
        }
      }
    }
    // `routes += [...]`, `routes.append(Route(...))`, `app.routes.extend([...])`.
    for (const aug of this.root.findAll({ rule: { kind: 'augmented_assignment' } })) {
      const name = aug.field('left') && dottedName(aug.field('left')!)
      const right = aug.field('right')
      if (name && right && this.holdsRoutes(right)) this.table(right, this.listOwner(name, aug), [])
    }
    for (const call of this.root.findAll({
      rule: { kind: 'call', has: { field: 'function', kind: 'attribute', has: { field: 'attribute', regex: '^(append|extend|insert)$' } } },
    })) {
      const m = methodCall(call)!
      const name = dottedName(m.object)
      const args = callArgs(call).positional
      const value = m.method === 'insert' ? args[1] : args[0]
      if (!name || !value) continue
      if (m.method === 'extend' ? this.holdsRoutes(value) : value.kind() === 'call' && ROUTE_CALLS.has(calleeName(value) ?? '')) {
        const owner = this.listOwner(name, call)
        if (m.method === 'extend') this.table(value, owner, [])
        else this.element(value, owner, [])
      }
    }
    // Apps and routers: `app = Starlette(routes=...)`, `return Router(routes=...)`.
    for (const call of this.root.findAll({ rule: { kind: 'call' } })) {
      const callee = calleeName(call)
      if (!callee || this.seen.has(call.id())) continue
      const fastapi = FASTAPI_CLASSES.includes(callee)
      if (!this.appClasses.has(callee) && !fastapi) continue
      const owner = this.constructed(call)
      if (!owner) continue
      ;(fastapi ? this.fastapiApps : this.apps).add(owner)
      const routes = callArgs(call).keywords.get('routes')
      if (routes) this.table(routes, owner, [])
    }
    this.readAppMethods()
    this.facts.mounts.push(
      ...routerCalls(
        this.root,
        this.scopes,
        this.ctx,
        (name, at) => {
          const owner = this.scopes.ownerOf(name, at).owner
          return this.apps.has(owner) || this.lists.has(owner)
        },
        (call) => this.seen.has(call.id()) || ROUTE_CALLS.has(calleeName(call) ?? '') || this.appClasses.has(calleeName(call) ?? ''),
      ),
    )
    recordParams(this.root, this.scopes, this.facts)
  }

  /** The owner of a list grown in place: a list of this file, or the routes of an app (`app.routes`, `app.router.routes`). */
  private listOwner(name: string, at: SgNode): string {
    const base = name.replace(/(\.router)?\.routes$/, '')
    return this.scopes.ownerOf(base, at).owner
  }

  /** The owner a constructor call makes: the name it is assigned to, the function returning it, or the call itself. */
  private constructed(call: SgNode): string | undefined {
    const parent = call.parent()
    if (parent?.kind() === 'assignment' && parent.field('right')?.id() === call.id()) {
      const name = parent.field('left') && dottedName(parent.field('left')!)
      return name ? this.scopes.ownerOf(name, parent).owner : undefined
    }
    if (parent?.kind() === 'return_statement') return this.scopes.functionName(call) ?? `inline@${lineOf(call)}`
    return `inline@${lineOf(call)}`
  }

  /** True when an expression is a route table: a list holding `Route`, `Mount`... (or such lists joined with `+`). */
  private holdsRoutes(expr: SgNode): boolean {
    const k = expr.kind()
    if (k === 'list' || k === 'tuple') {
      return expr.namedChildren().some((item) => item.kind() === 'call' && ROUTE_CALLS.has(calleeName(item) ?? ''))
    }
    if (k === 'binary_operator' && expr.field('operator')?.text() === '+')
      return this.holdsRoutes(expr.field('left')!) || this.holdsRoutes(expr.field('right')!)
    if (k === 'parenthesized_expression') return !!expr.namedChildren()[0] && this.holdsRoutes(expr.namedChildren()[0]!)
    return false
  }

  /** A route table expression served by `owner` under `prefix`. */
  private table(expr: SgNode, owner: string, prefix: PathExpr): void {
    const k = expr.kind()
    if (k === 'list' || k === 'tuple') {
      for (const item of expr.namedChildren()) {
        if (item.kind() === 'call') this.element(item, owner, prefix)
        else if (item.kind() === 'list_splat' && item.namedChildren()[0]) this.table(item.namedChildren()[0]!, owner, prefix)
      }
    } else if (k === 'parenthesized_expression') {
      if (expr.namedChildren()[0]) this.table(expr.namedChildren()[0]!, owner, prefix)
    } else if (k === 'binary_operator' && expr.field('operator')?.text() === '+') {
      this.table(expr.field('left')!, owner, prefix)
      this.table(expr.field('right')!, owner, prefix)
    } else if (k === 'identifier' || k === 'attribute') {
      const name = dottedName(expr)
      const child = name && this.scopes.childOf(name, expr)
      if (child) this.facts.mounts.push({ parent: owner, child, prefix, line: lineOf(expr) })
    } else if (k === 'call') {
      this.sub(expr, owner, prefix)
    } else {
      this.ctx.diagnose({
        code: 'UNSUPPORTED_FORM',
        line: lineOf(expr),
        message: `route table \`${expr.text().slice(0, 60)}\`: parity reads lists of Route and Mount, names and calls`,
      })
    }
  }

  /** A call standing for routes or an app: a router or app constructor, or a function returning one. */
  private sub(call: SgNode, owner: string, prefix: PathExpr): void {
    this.seen.add(call.id())
    const callee = calleeName(call) ?? ''
    if (this.appClasses.has(callee) || FASTAPI_CLASSES.includes(callee)) {
      const routes = callArgs(call).keywords.get('routes')
      if (routes) this.table(routes, owner, prefix)
      return
    }
    const fn = call.field('function')
    const name = fn && dottedName(fn)
    // `get_routes()`, `api.create_app()`: a function whose result is a table or an app of its own.
    if (name && /^[a-z_]/.test(callee)) {
      this.facts.mounts.push({ parent: owner, child: { name: name.replace(/^(self|cls)\./, '') }, prefix, line: lineOf(call) })
    }
  }

  /** One item of a route table. */
  private element(call: SgNode, owner: string, prefix: PathExpr): void {
    this.seen.add(call.id())
    const callee = calleeName(call)
    const args = callArgs(call)
    const line = lineOf(call)
    if (callee === 'Route' || callee === 'WebSocketRoute') {
      const path = argument(args, 0, 'path')
      const endpoint = argument(args, 1, 'endpoint')
      if (!path) return
      this.route(owner, [...prefix, ...this.ctx.pathOf(path)], line, endpoint, callee === 'WebSocketRoute', args.keywords.get('methods'))
    } else if (callee === 'Mount' || callee === 'Host') {
      const at = argument(args, 0, callee === 'Mount' ? 'path' : 'host')
      const under: PathExpr = callee === 'Mount' && at ? [...prefix, ...this.ctx.pathOf(at)] : prefix
      const routes = args.keywords.get('routes')
      const app = args.keywords.get('app') ?? args.positional[1]
      if (routes) this.table(routes, owner, under)
      else if (app) this.app(app, owner, under, line)
    }
  }

  /** What a `Mount` serves: a router or app by name or constructor, or another ASGI app. */
  private app(app: SgNode, owner: string, prefix: PathExpr, line: number): void {
    const k = app.kind()
    if (k === 'identifier' || k === 'attribute') {
      const child = this.scopes.childOf(dottedName(app)!, app)
      if (child) this.facts.mounts.push({ parent: owner, child, prefix, line })
      return
    }
    if (k !== 'call') return
    const callee = calleeName(app) ?? ''
    if (callee === 'StaticFiles') return
    if (this.appClasses.has(callee) || FASTAPI_CLASSES.includes(callee) || /^[a-z_]/.test(callee)) {
      this.sub(app, owner, prefix)
      return
    }
    // `Mount("/graphql", GraphQLApp(schema))`: an ASGI app parity cannot read serves every method below its path.
    this.seen.add(app.id())
    this.facts.routes.push({ methods: ['ALL'], path: [...prefix, '/{path}'], owner, line, handler: callee })
  }

  /** A `Route` or `WebSocketRoute`, or a registration by method or decorator. */
  private route(
    owner: string,
    path: PathExpr,
    line: number,
    endpoint: SgNode | undefined,
    websocket: boolean,
    methods: SgNode | undefined,
    definition?: SgNode,
  ): void {
    const handler = definition?.field('name')?.text() ?? (endpoint && dottedName(endpoint))
    if (websocket) {
      this.facts.routes.push({ kind: 'websocket', methods: ['WS'], path, owner, line, ...(handler ? { handler } : {}) })
      return
    }
    const fact: RouteFact = { methods: ['GET'], path, owner, line, ...(handler ? { handler } : {}) }
    const listed = methods && this.methodList(methods)
    if (methods) fact.methods = listed?.length ? served(listed) : ['ALL']
    else if (endpoint?.kind() === 'call' && !/^(functools\.)?partial$/.test(dottedName(endpoint.field('function')!) ?? '')) {
      // `Route("/graphql", GraphQL(schema))`: an ASGI app instance answers every method.
      fact.methods = ['ALL']
      const made = calleeName(endpoint)
      if (made) fact.handler = made
    } else if (definition ? definition.kind() === 'class_definition' : handler && this.isClass(handler)) {
      // A class endpoint answers the verbs its class defines.
      fact.view = handler!
      fact.methods = ['ALL']
    }
    this.facts.routes.push(fact)
  }

  /** `methods=["GET", "POST"]`, or a list constant of this file. */
  private methodList(node: SgNode): string[] | undefined {
    const list = stringList(node)
    if (list) return list.map((m) => m.toUpperCase())
    if (node.kind() !== 'identifier') return undefined
    const assign = this.root.find({ rule: { kind: 'assignment', has: { field: 'left', regex: `^${node.text()}$` } } })
    const value = assign?.field('right')
    return value ? stringList(value)?.map((m) => m.toUpperCase()) : undefined
  }

  /** A class here, or a name written as one (`views.EpisodeView`): functions are lower case in Python. */
  private isClass(name: string): boolean {
    if (this.classes.has(name)) return true
    if (this.functions.has(name)) return false
    return /^[A-Z]/.test(name.slice(name.lastIndexOf('.') + 1))
  }

  /** Methods and decorators of Starlette apps and routers. */
  private readAppMethods(): void {
    const isApp = (object: SgNode): string | undefined => {
      const name = dottedName(object)?.replace(/\.router$/, '')
      if (!name) return undefined
      const owner = this.scopes.ownerOf(name, object).owner
      if (this.apps.has(owner)) return owner
      // An app made elsewhere (`from .app import app`): read unless FastAPI's methods could be meant.
      if (this.fastapiApps.has(owner) || this.usesFastAPI || this.lists.has(owner)) return undefined
      return owner
    }
    for (const { call, definition } of decoratorCalls(this.root)) {
      const m = methodCall(call)
      if (!m || (m.method !== 'route' && m.method !== 'websocket_route')) continue
      const owner = isApp(m.object)
      const args = callArgs(call)
      const path = argument(args, 0, 'path')
      if (!owner || !path) continue
      this.route(owner, this.ctx.pathOf(path), lineOf(call), undefined, m.method === 'websocket_route', args.keywords.get('methods'), definition)
    }
    for (const call of this.root.findAll({
      rule: { kind: 'call', has: { field: 'function', kind: 'attribute', has: { field: 'attribute', regex: `^(${APP_METHODS.join('|')})$` } } },
    })) {
      const m = methodCall(call)!
      const owner = isApp(m.object)
      if (!owner) continue
      const args = callArgs(call)
      const line = lineOf(call)
      if (m.method === 'mount' || m.method === 'host') {
        const at = argument(args, 0, m.method === 'mount' ? 'path' : 'host')
        const app = argument(args, 1, 'app')
        if (at && app) this.app(app, owner, m.method === 'mount' ? this.ctx.pathOf(at) : [], line)
      } else {
        const path = argument(args, 0, 'path')
        const endpoint = argument(args, 1, 'route') ?? args.keywords.get('endpoint')
        if (path) this.route(owner, this.ctx.pathOf(path), line, endpoint, m.method === 'add_websocket_route', args.keywords.get('methods'))
      }
    }
  }

  /** Classes written here with HTTP verb methods (an `HTTPEndpoint`), or bases that may have them. */
}

/** Starlette answers HEAD on every GET route by itself: naming it adds no route; alone, it stays. */
function served(methods: string[]): string[] {
  const out = methods.filter((m) => !(m === 'HEAD' && methods.includes('GET')))
  return out.length ? out : methods
}

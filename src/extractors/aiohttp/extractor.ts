/**
 * aiohttp's server (`aiohttp.web`): https://docs.aiohttp.org/en/stable/web_reference.html#router
 * `app.router.add_get/add_post/add_put/add_patch/add_delete/add_head(path, handler)`,
 * `add_route(method, path, handler)` (`'*'` and `hdrs.METH_ANY`: every method), `add_view(path, View)`,
 * `add_resource(path).add_route(method, handler)`; `app.add_routes([...])` of `web.get/post/.../route/view`
 * definitions, lists of them (joined, grown, returned by functions) and `web.RouteTableDef()` tables
 * filled by `@routes.get(path)`... and `@routes.view(path)` decorators, possibly imported from another
 * module; `app.add_subapp(prefix, subapp)` (a name, or a function returning the sub-application),
 * `add_domain`; functions that receive the app (`setup_routes(app)`). A `web.View` class serves the
 * verbs it and its bases define, wherever they are written. `add_static` and `web.static` serve files:
 * no routes. The HEAD aiohttp adds beside every GET is not listed (as Flask's is not).
 * aiohttp is often a client dependency only: a file is read when it imports aiohttp, and in a file of
 * another web framework only values it makes with aiohttp are read.
 */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../../languages/python.js'
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
  topLevelClasses,
} from '../py-syntax.js'
import { calleeRef, PyScopes, recordParams, routerCalls } from '../py-values.js'
import { defineExtractor, type ExtractContext, type FileFacts, type ParsedFile, type PathExpr, type RouteFact, type SymbolRef } from '../types.js'

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options']
/** `web.get(path, handler)`... and the decorators of a `RouteTableDef` of the same names. */
const DEFS = new Set([...VERBS, 'route', 'view'])
const ADDERS: Record<string, string> = {
  add_get: 'GET',
  add_post: 'POST',
  add_put: 'PUT',
  add_patch: 'PATCH',
  add_delete: 'DELETE',
  add_head: 'HEAD',
  add_options: 'OPTIONS',
}
const OTHER_FRAMEWORKS = ['fastapi', 'starlette', 'flask', 'litestar', 'sanic', 'quart', 'django', 'tornado']
/** Parameters that receive an application by their name. */
const APP_PARAMS = /^(app|application|web_?app|sub_?app|api|router|server)$/

export const extractor = defineExtractor({
  id: 'aiohttp',
  family: 'python',
  docs: 'https://docs.aiohttp.org/en/stable/web_reference.html#router',
  detect: (m) => m.dependencies.has('aiohttp'),
  needles: ['aiohttp'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [], views: {} }
    new AiohttpFile(file, ctx, facts).read()
    if (!Object.keys(facts.views!).length) delete facts.views
    return facts
  },
})

class AiohttpFile {
  private readonly root: SgNode
  private readonly scopes: PyScopes
  private readonly classes: Map<string, SgNode>
  private readonly appClasses = new Set(['Application'])
  /** Owners made here: applications, route tables, lists of route definitions. */
  private readonly apps = new Set<string>()
  private readonly tables = new Set<string>()
  private readonly lists = new Set<string>()
  /** `res = app.router.add_resource(path)`: the resource's owner and path, by its owner name. */
  private readonly resources = new Map<string, { owner: string; path: PathExpr }>()
  private readonly seen = new Set<number>()
  /** The file belongs to another web framework: only values made here with aiohttp are read. */
  private readonly foreign: boolean
  private readonly imported: boolean

  constructor(
    private readonly file: ParsedFile,
    private readonly ctx: ExtractContext,
    private readonly facts: FileFacts,
  ) {
    this.root = file.root
    this.scopes = new PyScopes(file)
    this.classes = topLevelClasses(this.root)
    this.imported = importsPackage(file.module, 'aiohttp')
    this.foreign = OTHER_FRAMEWORKS.some((f) => importsPackage(file.module, f))
    addSubclasses(this.classes, this.appClasses)
  }

  read(): void {
    if (!this.imported) return
    Object.assign(this.facts.views!, classViews(this.classes, VERBS))
    for (const assign of this.root.findAll({ rule: { kind: 'assignment' } })) {
      const left = assign.field('left')
      const right = assign.field('right')
      const name = left && dottedName(left)
      if (!name || !right) continue
      const owner = this.scopes.ownerOf(name, assign).owner
      if (right.kind() === 'call' && this.appClasses.has(calleeName(right) ?? '')) this.apps.add(owner)
      else if (right.kind() === 'call' && calleeName(right) === 'RouteTableDef') {
        this.tables.add(owner)
        this.facts.routers!.push({ name: owner, line: lineOf(assign) })
      } else if (this.holdsDefs(right)) {
        if (!this.lists.has(owner)) this.facts.routers!.push({ name: owner, line: lineOf(assign) })
        this.lists.add(owner)
        this.defs(right, owner)
      } else if (right.kind() === 'call' && methodCall(right)?.method === 'add_resource') {
        const m = methodCall(right)!
        const app = this.appOf(m.object)
        const path = argument(callArgs(right), 0, 'path')
        if (app && path) this.resources.set(owner, { owner: app, path: this.ctx.pathOf(path) })
      }
    }
    // `def get_routes(): return [web.get(...)]`: the function stands for its list.
    for (const ret of this.root.findAll({ rule: { kind: 'return_statement' } })) {
      const value = ret.namedChildren()[0]
      const fn = this.scopes.functionName(ret)
      if (!value || !fn || !this.holdsDefs(value)) continue
      if (!this.lists.has(fn)) this.facts.routers!.push({ name: fn, line: lineOf(ret) })
      this.lists.add(fn)
      this.defs(value, fn)
    }
    for (const aug of this.root.findAll({ rule: { kind: 'augmented_assignment' } })) {
      const name = aug.field('left') && dottedName(aug.field('left')!)
      const right = aug.field('right')
      if (name && right && this.holdsDefs(right)) this.defs(right, this.scopes.ownerOf(name, aug).owner)
    }
    this.readDecorators()
    this.readCalls()
    this.facts.mounts.push(
      ...routerCalls(
        this.root,
        this.scopes,
        this.ctx,
        (name, at) => {
          const { owner, param } = this.scopes.ownerOf(name.replace(/\.router$/, ''), at)
          return this.apps.has(owner) || this.tables.has(owner) || this.lists.has(owner) || (!!param && APP_PARAMS.test(param.name))
        },
        (call) =>
          this.seen.has(call.id()) || DEFS.has(calleeName(call) ?? '') || this.appClasses.has(calleeName(call) ?? '') || !!ADDERS[calleeName(call) ?? ''],
      ),
    )
    recordParams(this.root, this.scopes, this.facts)
  }

  /** The application (or route table) a receiver stands for: `app`, `app.router`, `self.app.router`. */
  private appOf(object: SgNode): string | undefined {
    const name = dottedName(object)?.replace(/\.router$/, '')
    if (!name) return undefined
    const { owner, param } = this.scopes.ownerOf(name, object)
    if (this.apps.has(owner) || this.tables.has(owner) || this.lists.has(owner)) return owner
    if (this.foreign && !param) return undefined
    return owner
  }

  /** A list of route definitions: `[web.get(...), ...]`, lists joined with `+`. */
  private holdsDefs(expr: SgNode): boolean {
    const k = expr.kind()
    if (k === 'list' || k === 'tuple') return expr.namedChildren().some((item) => item.kind() === 'call' && this.isDef(item))
    if (k === 'binary_operator' && expr.field('operator')?.text() === '+') return this.holdsDefs(expr.field('left')!) || this.holdsDefs(expr.field('right')!)
    if (k === 'parenthesized_expression') return !!expr.namedChildren()[0] && this.holdsDefs(expr.namedChildren()[0]!)
    return false
  }

  /** `web.get(...)`, `aiohttp.web.post(...)`, `get(...)` imported from aiohttp.web. */
  private isDef(call: SgNode): boolean {
    const fn = call.field('function')
    const name = fn && dottedName(fn)
    if (!name) return false
    const segs = name.split('.')
    const last = segs[segs.length - 1]!
    if (!DEFS.has(last)) return false
    if (segs.length > 1) return segs[segs.length - 2] === 'web'
    const imp = Object.hasOwn(this.file.module.imports, name) ? this.file.module.imports[name] : undefined
    return !!imp && imp.module.startsWith('aiohttp')
  }

  /** Route definitions served by `owner`: a list of them, names of lists or tables, calls returning them. */
  private defs(expr: SgNode, owner: string): void {
    const k = expr.kind()
    if (k === 'list' || k === 'tuple') {
      for (const item of expr.namedChildren()) {
        if (item.kind() === 'call' && this.isDef(item)) this.def(item, owner)
        else if (item.kind() === 'list_splat' && item.namedChildren()[0]) this.defs(item.namedChildren()[0]!, owner)
      }
    } else if (k === 'parenthesized_expression') {
      if (expr.namedChildren()[0]) this.defs(expr.namedChildren()[0]!, owner)
    } else if (k === 'binary_operator' && expr.field('operator')?.text() === '+') {
      this.defs(expr.field('left')!, owner)
      this.defs(expr.field('right')!, owner)
    } else if (k === 'identifier' || k === 'attribute') {
      const child = this.valueOf(expr)
      if (child) this.facts.mounts.push({ parent: owner, child, prefix: [], line: lineOf(expr) })
    } else if (k === 'call' || k === 'await') {
      const call = k === 'await' ? expr.namedChildren()[0] : expr
      const callee = call?.kind() === 'call' ? calleeRef(call) : undefined
      if (callee && /^[a-z_]/.test(callee.slice(callee.lastIndexOf('.') + 1)))
        this.facts.mounts.push({ parent: owner, child: { name: callee }, prefix: [], line: lineOf(expr) })
    }
  }

  /**
   * The owner a name stands for: a router of this file, or what the call it was assigned from returns
   * (`auth_routes = get_auth_routes(...)`, `api = await create_api()`).
   */
  private valueOf(node: SgNode): SymbolRef | undefined {
    const name = dottedName(node)
    if (!name) return undefined
    const child = this.scopes.childOf(name, node)
    if (!child || !('name' in child) || 'module' in child) return child
    const owner = child.name
    if (this.apps.has(owner) || this.tables.has(owner) || this.lists.has(owner) || name.includes('.')) return child
    const fn = this.scopes.functionsOf(node)[0] ?? this.root
    let source: SgNode | undefined
    for (const assign of fn.findAll({ rule: { kind: 'assignment', has: { field: 'left', regex: `^${name}$` } } })) {
      if (assign.range().start.index < node.range().start.index) source = assign.field('right') ?? undefined
    }
    const call = source?.kind() === 'await' ? source.namedChildren()[0] : source
    const callee = call?.kind() === 'call' ? calleeRef(call) : undefined
    if (callee && /^[a-z_]/.test(callee.slice(callee.lastIndexOf('.') + 1))) return { name: callee }
    return child
  }

  /** One route definition: `web.get(path, handler)`, `web.route(method, path, handler)`, `web.view(path, View)`. */
  private def(call: SgNode, owner: string): void {
    this.seen.add(call.id())
    const fn = call.field('function')!
    const kind = dottedName(fn)!.split('.').pop()!
    const args = callArgs(call)
    if (kind === 'route') {
      const method = argument(args, 0, 'method')
      const path = argument(args, 1, 'path')
      if (method && path) this.route(owner, this.ctx.pathOf(path), lineOf(call), methodOf(method), argument(args, 2, 'handler'))
    } else {
      const path = argument(args, 0, 'path')
      if (path)
        this.route(owner, this.ctx.pathOf(path), lineOf(call), kind === 'view' ? undefined : kind.toUpperCase(), argument(args, 1, 'handler'), kind === 'view')
    }
  }

  private route(
    owner: string,
    path: PathExpr,
    line: number,
    method: string | undefined,
    handlerNode: SgNode | undefined,
    view = false,
    definition?: SgNode,
  ): void {
    const handler = definition?.field('name')?.text() ?? (handlerNode && (dottedName(handlerNode) ?? calledHandler(handlerNode)))
    const fact: RouteFact = { methods: [method ?? 'ALL'], path, owner, line, ...(handler ? { handler } : {}) }
    // A class handed to a route (`web.view`, `add_view`, `web.route('*', ...)` of a `web.View`) answers its verbs.
    if (view || (handler && method === 'ALL' && this.isClass(handler))) {
      if (handler) fact.view = handler
      fact.methods = ['ALL']
    }
    this.facts.routes.push(fact)
  }

  private isClass(name: string): boolean {
    return this.classes.has(name) || /^[A-Z]/.test(name.slice(name.lastIndexOf('.') + 1))
  }

  /** `@routes.get("/x")` and the other decorators of a route table. */
  private readDecorators(): void {
    for (const { call, definition } of decoratorCalls(this.root)) {
      const m = methodCall(call)
      if (!m || !DEFS.has(m.method)) continue
      const name = dottedName(m.object)
      if (!name) continue
      const { owner } = this.scopes.ownerOf(name, m.object)
      // A table made here, or imported from another module (`from .base import routes`).
      const imported = !name.includes('.') && Object.hasOwn(this.file.module.imports, name) && !this.foreign
      if (!this.tables.has(owner) && !imported) continue
      const args = callArgs(call)
      const line = lineOf(call)
      if (m.method === 'route') {
        const method = argument(args, 0, 'method')
        const path = argument(args, 1, 'path')
        if (method && path) this.route(owner, this.ctx.pathOf(path), line, methodOf(method), undefined, definition.kind() === 'class_definition', definition)
      } else {
        const path = argument(args, 0, 'path')
        if (path)
          this.route(
            owner,
            this.ctx.pathOf(path),
            line,
            m.method === 'view' ? undefined : m.method.toUpperCase(),
            undefined,
            m.method === 'view' || definition.kind() === 'class_definition',
            definition,
          )
      }
    }
  }

  /** `app.router.add_get(...)`, `app.add_routes(...)`, `app.add_subapp(...)`, `resource.add_route(...)`. */
  private readCalls(): void {
    const methods = [...Object.keys(ADDERS), 'add_route', 'add_view', 'add_routes', 'add_subapp', 'add_domain']
    for (const call of this.root.findAll({
      rule: { kind: 'call', has: { field: 'function', kind: 'attribute', has: { field: 'attribute', regex: `^(${methods.join('|')})$` } } },
    })) {
      const m = methodCall(call)!
      const args = callArgs(call)
      const line = lineOf(call)
      // `res.add_route("GET", handler)` on `res = app.router.add_resource(path)`, or chained on `add_resource(path)`.
      const resource = this.resourceOf(m.object)
      if (resource && m.method === 'add_route') {
        const method = argument(args, 0, 'method')
        if (method) this.route(resource.owner, resource.path, line, methodOf(method), argument(args, 1, 'handler'))
        continue
      }
      const owner = this.appOf(m.object)
      if (!owner) continue
      if (ADDERS[m.method]) {
        const path = argument(args, 0, 'path')
        if (path) this.route(owner, this.ctx.pathOf(path), line, ADDERS[m.method], argument(args, 1, 'handler'))
      } else if (m.method === 'add_route') {
        const method = argument(args, 0, 'method')
        const path = argument(args, 1, 'path')
        // aiohttp's add_route takes the method first: Starlette's `add_route(path, endpoint)` is not this.
        if (method && path && isMethod(method)) this.route(owner, this.ctx.pathOf(path), line, methodOf(method), argument(args, 2, 'handler'))
      } else if (m.method === 'add_view') {
        const path = argument(args, 0, 'path')
        if (path) this.route(owner, this.ctx.pathOf(path), line, undefined, argument(args, 1, 'handler'), true)
      } else if (m.method === 'add_routes') {
        const value = argument(args, 0, 'routes')
        if (value) this.defs(value, owner)
      } else {
        // `add_subapp(prefix, subapp)`; `add_domain(domain, subapp)` keeps the paths as they are.
        const prefix = argument(args, 0, m.method === 'add_subapp' ? 'prefix' : 'domain')
        const sub = argument(args, 1, 'subapp')
        if (!prefix || !sub) continue
        const at: PathExpr = m.method === 'add_subapp' ? this.ctx.pathOf(prefix) : []
        const k = sub.kind()
        const child = k === 'identifier' || k === 'attribute' ? this.valueOf(sub) : undefined
        const call = k === 'await' ? sub.namedChildren()[0] : k === 'call' ? sub : undefined
        const callee = call?.kind() === 'call' ? calleeRef(call) : undefined
        const ref = child ?? (callee && /^[a-z_]/.test(callee.slice(callee.lastIndexOf('.') + 1)) ? { name: callee } : undefined)
        if (ref) this.facts.mounts.push({ parent: owner, child: ref, prefix: at, line })
      }
    }
  }

  /** A resource: `res` of `res = app.router.add_resource(path)`, or `app.router.add_resource(path)` itself. */
  private resourceOf(object: SgNode): { owner: string; path: PathExpr } | undefined {
    if (object.kind() === 'call' && methodCall(object)?.method === 'add_resource') {
      const owner = this.appOf(methodCall(object)!.object)
      const path = argument(callArgs(object), 0, 'path')
      return owner && path ? { owner, path: this.ctx.pathOf(path) } : undefined
    }
    const name = dottedName(object)
    return name ? this.resources.get(this.scopes.ownerOf(name, object).owner) : undefined
  }

  /** Classes written here with HTTP verb methods (a `web.View`), or bases that may have them. */
}

/** `"GET"`, `hdrs.METH_POST`, `'*'` or `hdrs.METH_ANY` (every method). */
function methodOf(node: SgNode): string {
  const s = pyStringLiteral(node)
  if (s !== undefined) return s === '*' ? 'ALL' : s.toUpperCase()
  const name = dottedName(node)?.split('.').pop()
  if (name?.startsWith('METH_')) return name === 'METH_ANY' ? 'ALL' : name.slice(5)
  return 'ALL'
}

function isMethod(node: SgNode): boolean {
  const s = pyStringLiteral(node)
  if (s !== undefined) return s === '*' || /^[A-Za-z]+$/.test(s)
  return !!dottedName(node)?.split('.').pop()?.startsWith('METH_')
}

/** `partial(api.logs, follow=True)` -> `api.logs`: the handler a wrapper call names. */
function calledHandler(node: SgNode): string | undefined {
  if (node.kind() !== 'call') return undefined
  const first = callArgs(node).positional[0]
  return first ? dottedName(first) : undefined
}

/**
 * Flask 2 and 3, and flask-sock: https://flask.palletsprojects.com/en/stable/quickstart/#routing
 * and https://flask.palletsprojects.com/en/stable/blueprints/
 * `@app.route("/p", methods=[...])` (GET by default), `@app.get/post/put/delete/patch`,
 * `Blueprint(..., url_prefix=)`, `register_blueprint(bp, url_prefix=)` (which replaces the
 * blueprint's own prefix), nested blueprints, `add_url_rule` (with `MethodView.as_view`),
 * flask-sock's `@sock.route` as WebSocket endpoints.
 * Flask-RESTX / Flask-RESTful (https://flask-restx.readthedocs.io/en/latest/scaling.html):
 * `Api(app_or_blueprint, prefix=)` or `api.init_app(app)`, `Namespace("name", path=)` served at
 * `/name` unless `add_namespace(ns, path=)` says otherwise, `api.namespace(...)`, `@ns.route(...)` on
 * a `Resource` class (the verbs it defines), `api.add_resource(Resource, "/a", "/b")`.
 */
import type { SgNode } from '@ast-grep/napi'
import {
  argument,
  assignedCalls,
  baseNames,
  callArgs,
  calleeName,
  classMethods,
  decoratorCalls,
  dottedName,
  lineOf,
  methodCall,
  methodCalls,
  stringList,
  symbolOf,
  topLevelClasses,
} from '../py-syntax.js'
import { defineExtractor, type ExtractContext, type FileFacts, type ModuleInfo, type MountArg, type PathExpr } from '../types.js'

const VERBS = new Set(['get', 'post', 'put', 'delete', 'patch'])
const VIEW_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options']

export const extractor = defineExtractor({
  id: 'flask',
  family: 'python',
  docs: 'https://flask.palletsprojects.com/en/stable/quickstart/#routing',
  detect: (m) => m.dependencies.has('flask') || m.dependencies.has('flask-sock'),
  needles: ['Flask', 'Blueprint', '.route(', 'add_url_rule', 'register_blueprint', 'Sock(', 'Namespace(', 'add_namespace', 'add_resource'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const root = file.root

    for (const { name, call } of assignedCalls(root, new Set(['Blueprint']))) {
      const prefix = callArgs(call).keywords.get('url_prefix')
      facts.routers!.push({ name, line: lineOf(call), ...(prefix ? { prefix: ctx.pathOf(prefix) } : {}) })
    }

    // flask-sock: `sock = Sock(app)`, or `sock = Sock()` then `sock.init_app(app)`; its routes are the app's.
    const sockets = new Map<string, string>()
    for (const { name, call } of assignedCalls(root, new Set(['Sock']))) {
      const app = callArgs(call).positional[0]
      sockets.set(name, (app && dottedName(app)) ?? name)
    }

    // Flask-RESTX and Flask-RESTful: an `Api` serves under the app or blueprint it is bound to.
    const rest = (call: SgNode, name: string) => calleeName(call) === name && REST_MODULES.has(importedFrom(file.module, call) ?? '')
    const apis = new Set<string>()
    for (const { name, call } of assignedCalls(root, new Set(['Api']))) {
      if (!rest(call, 'Api')) continue
      apis.add(name)
      const args = callArgs(call)
      const app = argument(args, 0, 'app')
      const prefix = args.keywords.get('prefix')
      const parent = app && dottedName(app)
      if (parent) facts.mounts.push({ parent, child: { name }, prefix: prefix ? ctx.pathOf(prefix) : [], line: lineOf(call) })
      else facts.routers!.push({ name, line: lineOf(call), ...(prefix ? { prefix: ctx.pathOf(prefix) } : {}) })
    }
    // `Namespace("teams")` serves at `/teams`; `path=` replaces that.
    for (const { name, call } of assignedCalls(root, new Set(['Namespace', 'namespace']))) {
      const m = methodCall(call)
      if (m?.method !== 'namespace' && !rest(call, 'Namespace')) continue
      const args = callArgs(call)
      const title = argument(args, 0, 'name')
      const path = args.keywords.get('path')
      const prefix = path ? ctx.pathOf(path) : title ? ['/', ...ctx.pathOf(title)] : []
      facts.routers!.push({ name, line: lineOf(call), prefix })
      const api = m && dottedName(m.object)
      if (api) facts.mounts.push({ parent: api, child: { name }, prefix: [], line: lineOf(call) })
    }

    const classes = topLevelClasses(root)
    for (const { call, definition } of decoratorCalls(root)) {
      const m = methodCall(call)
      const object = m && dottedName(m.object)
      if (!m || !object) continue
      const args = callArgs(call)
      const path = argument(args, 0, 'rule')
      if (!path) continue
      const handler = definition.field('name')?.text()
      const line = lineOf(call)
      if (definition.kind() === 'class_definition') {
        // `@ns.route("/a", "/b")` on a Resource: every path serves the verbs the class defines.
        if (m.method !== 'route') continue
        const methods = classViewMethods(definition, classes)
        for (const p of args.positional) facts.routes.push({ methods, path: ctx.pathOf(p), owner: object, line, ...(handler ? { handler } : {}) })
        continue
      }
      if (sockets.has(object)) {
        if (m.method === 'route')
          facts.routes.push({
            kind: 'websocket',
            methods: ['WS'],
            path: ctx.pathOf(path),
            owner: sockets.get(object)!,
            line,
            framework: 'flask',
            ...(handler ? { handler } : {}),
          })
        continue
      }
      let methods: string[] | undefined
      if (VERBS.has(m.method)) methods = [m.method.toUpperCase()]
      else if (m.method === 'route') methods = methodsOf(args.keywords.get('methods'))
      if (!methods) continue
      facts.routes.push({ methods, path: ctx.pathOf(path), owner: object, line, ...(handler ? { handler } : {}) })
    }

    for (const { call, object, method } of methodCalls(root, ['register_blueprint', 'add_url_rule', 'init_app', 'add_namespace', 'add_resource'])) {
      const owner = dottedName(object)
      if (!owner) continue
      const args = callArgs(call)
      const line = lineOf(call)
      if (method === 'init_app') {
        const app = args.positional[0]
        const parent = app && dottedName(app)
        if (sockets.has(owner) && parent) sockets.set(owner, parent)
        if (apis.has(owner) && parent) facts.mounts.push({ parent, child: { name: owner }, prefix: [], line })
      } else if (method === 'add_namespace') {
        const ns = argument(args, 0, 'ns')
        const ref = ns && symbolOf(ns)
        const path = argument(args, 1, 'path')
        if (ref) facts.mounts.push({ parent: owner, child: ref, prefix: path ? ctx.pathOf(path) : [], line, ...(path ? { replacesPrefix: true } : {}) })
      } else if (method === 'add_resource') {
        // `api.add_resource(Todo, "/todos", "/todos/<id>")`: a Resource class, then its paths.
        const [resource, ...paths] = args.positional
        const cls = resource && dottedName(resource)
        if (!cls || !paths.length) continue
        const classDef = classes.get(cls)
        const methods = classDef ? classViewMethods(classDef, classes) : ['ALL']
        for (const p of paths) facts.routes.push({ methods, path: ctx.pathOf(p), owner, line, handler: cls })
      } else if (method === 'register_blueprint') {
        const child = args.positional[0] ?? args.keywords.get('blueprint')
        const ref = child && symbolOf(child)
        if (!ref) continue
        const prefix = args.keywords.get('url_prefix')
        // A `url_prefix` given here replaces the blueprint's own.
        facts.mounts.push({ parent: owner, child: ref, prefix: prefix ? ctx.pathOf(prefix) : [], line, ...(prefix ? { replacesPrefix: true } : {}) })
      } else {
        const path = argument(args, 0, 'rule')
        if (!path) continue
        const view = argument(args, 2, 'view_func')
        const cls = view && viewClass(view)
        const classDef = cls ? classes.get(cls) : undefined
        const explicit = args.keywords.get('methods')
        const template = templateOf(call, owner, path, ctx)
        // A view handed in by each caller of a helper (`view_func=view_func`) has the methods of whatever it is.
        const given = !!template && !!view && template.params.includes(view.text())
        const methods = explicit ? methodsOf(explicit) : classDef ? classViewMethods(classDef, classes) : given ? ['ALL'] : ['GET']
        const handler = cls ?? (view && !given ? dottedName(view) : undefined)
        if (template) (facts.params ??= {})[template.name] = template.params
        facts.routes.push({ methods, path: template?.path ?? ctx.pathOf(path), owner: template?.name ?? owner, line, ...(handler ? { handler } : {}) })
      }
    }

    // `register_view(bp, routes=["/a", "/b"], view_func=V.as_view("v"))`: a function called with a
    // blueprint or app of this file may register routes on it; where it does (a template), it is mounted here.
    const routers = new Set(assignedCalls(root, new Set(['Blueprint', 'Flask'])).map((a) => a.name))
    for (const call of root.findAll({ rule: { kind: 'call' } })) {
      const fn = call.field('function')
      const callee = fn && dottedName(fn)
      if (!callee || routers.has(callee.split('.')[0]!) || (fn!.kind() === 'attribute' && !Object.hasOwn(file.module.imports, callee.split('.')[0]!))) continue
      const args = callArgs(call)
      const router = args.positional.map((a) => a.text()).find((t) => routers.has(t))
      if (!router) continue
      const keywords: Record<string, MountArg> = {}
      for (const [name, value] of args.keywords) keywords[name] = mountArg(value, ctx)
      facts.mounts.push({
        parent: router,
        child: { name: callee },
        prefix: [],
        line: lineOf(call),
        args: args.positional.map((a) => mountArg(a, ctx)),
        keywords,
      })
    }
    // A socket bound by `init_app` after its routes were read: point those routes at the app.
    for (const route of facts.routes) if (route.kind === 'websocket' && route.owner && sockets.has(route.owner)) route.owner = sockets.get(route.owner)!
    return facts
  },
})

/** `methods=["GET", "POST"]`; Flask's default is GET. */
function methodsOf(node: SgNode | undefined): string[] {
  if (!node) return ['GET']
  const list = stringList(node)
  return list?.length ? servedMethods(list.map((m) => m.toUpperCase())) : ['ALL']
}

/**
 * Flask answers OPTIONS on every rule and HEAD on every GET rule by itself, so naming them adds no
 * route (https://flask.palletsprojects.com/en/stable/api/#flask.Flask.add_url_rule); alone, they stay.
 */
function servedMethods(methods: string[]): string[] {
  const served = methods.filter((m) => !(m === 'OPTIONS' || (m === 'HEAD' && methods.includes('GET'))))
  return served.length ? served : methods
}

/** `ArticleView.as_view("articles")` -> `ArticleView`. */
function viewClass(view: SgNode): string | undefined {
  if (view.kind() !== 'call') return undefined
  const m = methodCall(view)
  return m?.method === 'as_view' ? dottedName(m.object) : undefined
}

/** A `MethodView`'s or `Resource`'s methods: its `methods = [...]` attribute, else the verbs it and its bases in this file define. */
function classViewMethods(cls: SgNode, classes: Map<string, SgNode>): string[] {
  for (const stmt of cls.field('body')?.children() ?? []) {
    const assign = stmt.kind() === 'expression_statement' ? stmt.namedChildren()[0] : undefined
    if (assign?.kind() === 'assignment' && assign.field('left')?.text() === 'methods') {
      const list = assign.field('right') && stringList(assign.field('right')!)
      if (list?.length) return servedMethods(list.map((m) => m.toUpperCase()))
    }
  }
  const defined = new Set<string>()
  const seen = new Set<SgNode>()
  const collect = (c: SgNode) => {
    if (seen.has(c)) return
    seen.add(c)
    for (const name of classMethods(c).keys()) defined.add(name)
    for (const base of baseNames(c)) if (classes.has(base)) collect(classes.get(base)!)
  }
  collect(cls)
  const verbs = VIEW_METHODS.filter((v) => defined.has(v)).map((v) => v.toUpperCase())
  return verbs.length ? servedMethods(verbs) : ['GET']
}

/**
 * A route registered on a parameter of the enclosing function with a path that is one of its
 * parameters (or a loop over one: `for route in routes: bp.add_url_rule(route, ...)`): the
 * function is a template, its routes owned by it and bound per call.
 */
function templateOf(call: SgNode, owner: string, pathNode: SgNode, ctx: ExtractContext): { name: string; params: string[]; path: PathExpr } | undefined {
  const fn = call.ancestors().find((a) => a.kind() === 'function_definition')
  const name = fn?.field('name')?.text()
  if (!fn || !name) return undefined
  const params: string[] = []
  for (const p of fn.field('parameters')?.namedChildren() ?? []) {
    const id =
      p.kind() === 'identifier'
        ? p
        : String(p.kind()).endsWith('parameter')
          ? (p.field('name') ?? p.namedChildren().find((c) => c.kind() === 'identifier'))
          : undefined
    if (id?.kind() === 'identifier') params.push(id.text())
  }
  if (!params.includes(owner)) return undefined
  let path = ctx.pathOf(pathNode)
  if (pathNode.kind() === 'identifier' && !params.includes(pathNode.text())) {
    const loop = call.ancestors().find((a) => a.kind() === 'for_statement' && a.field('left')?.text() === pathNode.text())
    const over = loop?.field('right')
    if (over?.kind() === 'identifier' && params.includes(over.text())) path = [{ ref: over.text() }]
  }
  const usesParam = path.some((p) => typeof p === 'object' && 'ref' in p && params.includes(p.ref.split('.')[0]!))
  return usesParam ? { name, params, path } : undefined
}

/** A call's argument as a template's parameter value: a string expression, or a list of them. */
function mountArg(node: SgNode, ctx: ExtractContext): MountArg {
  const k = node.kind()
  if (k === 'list' || k === 'tuple')
    return {
      items: node
        .namedChildren()
        .filter((c) => c.kind() !== 'comment')
        .map((c) => ctx.pathOf(c)),
    }
  if (k === 'string' || k === 'concatenated_string' || k === 'binary_operator' || k === 'identifier' || k === 'attribute') return ctx.pathOf(node)
  return [{ unknown: node.text() }]
}

const REST_MODULES = new Set(['flask_restx', 'flask_restplus', 'flask_restful'])

/** The module a called name is imported from: `flask_restx` for `Namespace(...)` after `from flask_restx import Namespace`, or `flask_restx.Namespace(...)`. */
function importedFrom(module: ModuleInfo, call: SgNode): string | undefined {
  const fn = call.field('function')
  const name = fn && dottedName(fn)
  if (!name) return undefined
  const head = name.split('.')[0]!
  const imp = Object.hasOwn(module.imports, head) ? module.imports[head] : undefined
  return imp?.module
}

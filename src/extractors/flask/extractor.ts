/**
 * Flask 2 and 3, and flask-sock: https://flask.palletsprojects.com/en/stable/quickstart/#routing
 * and https://flask.palletsprojects.com/en/stable/blueprints/
 * `@app.route("/p", methods=[...])` (GET by default), `@app.get/post/put/delete/patch`,
 * `Blueprint(..., url_prefix=)`, `register_blueprint(bp, url_prefix=)` (which replaces the
 * blueprint's own prefix), nested blueprints, `add_url_rule` (with `MethodView.as_view`),
 * flask-sock's `@sock.route` as WebSocket endpoints.
 */
import type { SgNode } from '@ast-grep/napi'
import { argument, assignedCalls, callArgs, classMethods, decoratorCalls, dottedName, lineOf, methodCall, methodCalls, stringList, symbolOf, topLevelClasses } from '../py-syntax.js'
import { defineExtractor, type FileFacts } from '../types.js'

const VERBS = new Set(['get', 'post', 'put', 'delete', 'patch'])
const VIEW_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options']

export const extractor = defineExtractor({
  id: 'flask',
  family: 'python',
  docs: 'https://flask.palletsprojects.com/en/stable/quickstart/#routing',
  detect: (m) => m.dependencies.has('flask') || m.dependencies.has('flask-sock'),
  needles: ['Flask', 'Blueprint', '.route(', 'add_url_rule', 'register_blueprint', 'Sock('],
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

    for (const { call, definition } of decoratorCalls(root)) {
      const m = methodCall(call)
      const object = m && dottedName(m.object)
      if (!m || !object) continue
      const args = callArgs(call)
      const path = argument(args, 0, 'rule')
      if (!path) continue
      const handler = definition.field('name')?.text()
      const line = lineOf(call)
      if (sockets.has(object)) {
        if (m.method === 'route') facts.routes.push({ kind: 'websocket', methods: ['WS'], path: ctx.pathOf(path), owner: sockets.get(object)!, line, framework: 'flask', ...(handler ? { handler } : {}) })
        continue
      }
      let methods: string[] | undefined
      if (VERBS.has(m.method)) methods = [m.method.toUpperCase()]
      else if (m.method === 'route') methods = methodsOf(args.keywords.get('methods'))
      if (!methods) continue
      facts.routes.push({ methods, path: ctx.pathOf(path), owner: object, line, ...(handler ? { handler } : {}) })
    }

    const classes = topLevelClasses(root)
    for (const { call, object, method } of methodCalls(root, ['register_blueprint', 'add_url_rule', 'init_app'])) {
      const owner = dottedName(object)
      if (!owner) continue
      const args = callArgs(call)
      const line = lineOf(call)
      if (method === 'init_app') {
        const app = args.positional[0]
        if (sockets.has(owner) && app && dottedName(app)) sockets.set(owner, dottedName(app)!)
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
        const methods = explicit ? methodsOf(explicit) : classDef ? classViewMethods(classDef) : ['GET']
        const handler = cls ?? (view && dottedName(view))
        facts.routes.push({ methods, path: ctx.pathOf(path), owner, line, ...(handler ? { handler } : {}) })
      }
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

/** A `MethodView`'s methods: its `methods = [...]` attribute, else the verbs it defines. */
function classViewMethods(cls: SgNode): string[] {
  for (const stmt of cls.field('body')?.children() ?? []) {
    const assign = stmt.kind() === 'expression_statement' ? stmt.namedChildren()[0] : undefined
    if (assign?.kind() === 'assignment' && assign.field('left')?.text() === 'methods') {
      const list = assign.field('right') && stringList(assign.field('right')!)
      if (list?.length) return servedMethods(list.map((m) => m.toUpperCase()))
    }
  }
  const defined = classMethods(cls)
  const verbs = VIEW_METHODS.filter((v) => defined.has(v)).map((v) => v.toUpperCase())
  return verbs.length ? servedMethods(verbs) : ['GET']
}

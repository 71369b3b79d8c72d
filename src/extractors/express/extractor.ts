/**
 * Express 4 and 5, and express-ws: https://expressjs.com/en/guide/routing.html
 * `app.METHOD(path, ...)`, `router.route(path).get().post()`, path arrays, `all`, `app.use(prefix,
 * router)` with routers from other files, nested routers, `app.ws(path)`.
 */
import type { SgNode } from '@ast-grep/napi'
import { jsPathOf } from '../../languages/typescript.js'
import { isPathLike, loopValues } from '../js-server.js'
import { argsOf, callNeedles, belongsToOtherFramework, escapeRegex, handlerName, HTTP_METHODS, isPackageImport, ownerOf, streamsEvents } from '../js-syntax.js'
import { defineExtractor, type FileFacts, type MountFact, type ParsedFile, type PathExpr, type RouteFact, type SymbolRef } from '../types.js'

const VERBS = [...HTTP_METHODS, 'all', 'ws']
const CALLS = new RegExp(`^(${[...VERBS, 'use', 'route'].join('|')})$`)

export const extractor = defineExtractor({
  id: 'express',
  family: 'js',
  docs: 'https://expressjs.com/en/guide/routing.html',
  detect: (m) => m.dependencies.has('express') || m.dependencies.has('express-ws'),
  // `.get<Params>(`: TypeScript handlers typed through the call's type arguments.
  needles: callNeedles([...VERBS, 'use', 'route']),
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    // A Koa, Fastify or Hono file under a manifest that also lists express (or none).
    if (belongsToOtherFramework(file.module, 'express')) return facts
    const root = file.root

    // Router objects: `express.Router()`, `Router()`, `new Router()`.
    for (const decl of root.findAll({
      rule: {
        kind: 'variable_declarator',
        has: { field: 'value', regex: '^(new\\s+)?(express\\.)?Router\\s*\\(', kind: 'call_expression' },
      },
    })) {
      const name = decl.field('name')?.text()
      if (name) facts.routers!.push({ name: ownerOf(decl, name), line: ctx.lineOf(decl) })
    }
    for (const decl of root.findAll({ rule: { kind: 'variable_declarator', has: { field: 'value', kind: 'new_expression', regex: '^new\\s+(express\\.)?Router\\b' } } })) {
      const name = decl.field('name')?.text()
      if (name) facts.routers!.push({ name: ownerOf(decl, name), line: ctx.lineOf(decl) })
    }

    const calls = root.findAll({
      rule: {
        kind: 'call_expression',
        has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: CALLS.source } },
      },
    })
    for (const call of calls) {
      const callee = call.field('function')!
      const verb = callee.field('property')!.text()
      const object = callee.field('object')!
      const line = ctx.lineOf(callee.field('property')!)
      const args = argsOf(call)
      if (verb === 'route') continue
      // `router.route('/x').get(h)`: the path comes from the `route()` call below in the chain.
      let owner: string | undefined
      let path: SgNode[] | undefined
      if (object.kind() === 'call_expression') {
        const base = routeBase(object)
        if (!base) continue
        owner = base.owner
        path = [base.path]
      } else {
        const name = objectName(object)
        // `fastify` is the Fastify instance by convention, in plugin files that import nothing.
        if (!name || name === 'fastify') continue
        // `axios.get(url)`, `this.axios.post('/x', body)`: an HTTP client or another package's object, not a router.
        if (isForeignObject(file, name)) continue
        owner = ownerOf(call, name)
      }
      if (verb === 'use') {
        facts.mounts.push(...(loopMounts(file, args, owner, line) ?? mountsOf(file, args, owner, line)))
        continue
      }
      if (!path) {
        // `app.get('env')` reads a setting: a route has a handler after the path.
        if (args.length < 2) continue
        // `db.all(\`SELECT ...\`, params)`: Express paths start with `/` (or are patterns, names, arrays).
        if (!isPathLike(args[0]) && args[0]!.kind() !== 'regex') continue
        // `for (const [url, file] of libFiles) app.get(url, h)`: one route per row of a literal table.
        path = loopValues(root, args[0]!) ?? [args[0]!]
      }
      const handlers = object.kind() === 'call_expression' ? args : args.slice(1)
      // `cache.get('/k', 1)`, `store.put('/k', { ... })`: a route's handlers are functions, never literals.
      if (handlers.some((h) => LITERAL_KINDS.has(String(h.kind())))) continue
      // `const cache = new Map()`: a value made by another constructor than Router is not a router.
      if (object.kind() === 'identifier' && madeByOtherConstructor(call, object.text())) continue
      const kind = verb === 'ws' ? 'websocket' : streamsEvents(root, file.source, handlers) ? 'sse' : 'route'
      for (const p of path.flatMap(expandArray)) {
        const route: RouteFact = {
          kind,
          methods: [verb === 'ws' ? 'WS' : verb.toUpperCase()],
          path: ctx.pathOf(p),
          owner,
          line,
        }
        const handler = handlerName(handlers[handlers.length - 1])
        if (handler) route.handler = handler
        facts.routes.push(route)
      }
    }
    return facts

    function routeBase(chain: SgNode): { owner: string; path: SgNode } | undefined {
      // Walk down `x.route(p).get(a).post(b)` to the `route(p)` call on a plain object.
      let cur: SgNode | null = chain
      while (cur && cur.kind() === 'call_expression') {
        const fn: SgNode | null = cur.field('function')
        if (!fn || fn.kind() !== 'member_expression') return undefined
        const prop = fn.field('property')?.text()
        const obj: SgNode | null = fn.field('object')
        if (prop === 'route' && obj) {
          const name = objectName(obj)
          const p = argsOf(cur)[0]
          return name && p ? { owner: ownerOf(cur, name), path: p } : undefined
        }
        cur = obj
      }
      return undefined
    }
  },
})

const LITERAL_KINDS = new Set(['number', 'string', 'template_string', 'object', 'true', 'false', 'null', 'undefined', 'regex'])

/** True when `name`, where `at` uses it, is declared as `new X()` with X another class than express's Router. */
function madeByOtherConstructor(at: SgNode, name: string): boolean {
  const re = `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`
  for (let scope = at.parent(); scope; scope = scope.parent()) {
    const decl = scope.find({ rule: { kind: 'variable_declarator', has: { field: 'name', regex: re } } })
    if (!decl) continue
    const value = decl.field('value')
    if (value?.kind() !== 'new_expression') return false
    const ctor = value.field('constructor')?.text() ?? ''
    return !/^(express\.)?Router$/.test(ctor)
  }
  return false
}

/** `app`, `router`, `this.router`: the router a call is made on; undefined for anything else. */
function objectName(node: SgNode): string | undefined {
  const k = node.kind()
  if (k === 'identifier') return node.text()
  if (k === 'member_expression' && /^this\.\w+$/.test(node.text())) return node.text()
  return undefined
}

/** A router field is named for what it holds (`this.app`, `this.router`, `this.apiRouter`). */
const ROUTER_FIELD = /(^|[a-z_])(app|application|express|router|routes|server)$/i

/** True when `name` is imported from a package other than express, or is a `this.` field not named as a router. */
function isForeignObject(file: ParsedFile, name: string): boolean {
  if (name.startsWith('this.')) return !ROUTER_FIELD.test(name.slice(5))
  const imp = file.module.imports[name]
  return !!imp && isPackageImport(file, name) && imp.module !== 'express'
}

function expandArray(node: SgNode): SgNode[] {
  return node.kind() === 'array' ? node.namedChildren() : [node]
}

const PREFIX_NAME = /^[A-Z0-9_]+$|prefix|path|route|url|base|mount/i

/**
 * `routes.forEach((r) => router.use(r.path, r.route))` over a literal table of this file: one mount
 * per row, with that row's members. undefined when no argument is a loop value.
 */
function loopMounts(file: ParsedFile, args: SgNode[], parent: string, line: number): MountFact[] | undefined {
  const columns = args.map((a) => (a.kind() === 'identifier' || a.kind() === 'member_expression' ? loopValues(file.root, a) : undefined))
  const rows = columns.find(Boolean)?.length
  if (rows === undefined || columns.some((c) => c && c.length !== rows)) return undefined
  const out: MountFact[] = []
  for (let i = 0; i < rows; i++) out.push(...mountsOf(file, args.map((a, j) => columns[j]?.[i] ?? a), parent, line))
  return out
}

/** `app.use([prefix,] ...routers)`: a mount for each argument that can be a router of this tree. */
function mountsOf(file: ParsedFile, args: SgNode[], parent: string, line: number): MountFact[] {
  if (!args.length) return []
  const first = args[0]!
  const fk = first.kind()
  const isPrefix =
    args.length > 1 &&
    (fk === 'string' || fk === 'template_string' || fk === 'binary_expression' || fk === 'array' ||
      ((fk === 'identifier' || fk === 'member_expression') && PREFIX_NAME.test(first.text())))
  const prefixes: PathExpr[] = isPrefix ? expandArray(first).map((p) => jsPathOf(p)) : [[]]
  const out: MountFact[] = []
  const handlers = isPrefix ? args.slice(1) : args
  for (const [i, arg] of handlers.entries()) {
    // `use('/x', isAuthenticated(), router)`: a call before the last handler makes a middleware.
    if (arg.kind() === 'call_expression' && i < handlers.length - 1 && arg.field('function')?.text() !== 'require') continue
    const child = childRef(file, arg)
    if (!child) continue
    for (const prefix of prefixes) out.push({ parent, child, prefix, line })
  }
  return out
}

/** What a `use()` argument names: a local or imported router, `require('./x')`, or a factory call. */
function childRef(file: ParsedFile, arg: SgNode): SymbolRef | undefined {
  const k = arg.kind()
  if (k === 'identifier') {
    if (isPackageImport(file, arg.text())) return undefined
    // `const apiRouter = require('./routers/api')` inside a function: not in the module's import table.
    const spec = file.module.imports[arg.text()] ? undefined : localRequire(file.root, arg.text())
    return spec ? { module: spec, name: 'default' } : { name: arg.text() }
  }
  if (k === 'member_expression') {
    const obj = arg.field('object')
    if (obj?.kind() === 'call_expression' && obj.field('function')?.text() === 'require') {
      const spec = argsOf(obj)[0]
      return spec?.kind() === 'string' ? { module: spec.text().slice(1, -1), name: arg.field('property')!.text() } : undefined
    }
    return /^[\w.]+$/.test(arg.text()) && !isPackageImport(file, arg.text()) ? { name: arg.text() } : undefined
  }
  if (k === 'call_expression') {
    const fn = arg.field('function')
    if (!fn) return undefined
    if (fn.text() === 'require') {
      const spec = argsOf(arg)[0]
      return spec?.kind() === 'string' ? { module: spec.text().slice(1, -1), name: 'default' } : undefined
    }
    if (fn.kind() === 'identifier' && !isPackageImport(file, fn.text())) return { name: fn.text() }
  }
  return undefined
}

/** The module of the one `const name = require('./x')` of the file, wherever it is written. */
function localRequire(root: SgNode, name: string): string | undefined {
  const decls = root.findAll({
    rule: {
      kind: 'variable_declarator',
      all: [
        { has: { field: 'name', kind: 'identifier', regex: `^${escapeRegex(name)}$` } },
        { has: { field: 'value', kind: 'call_expression', has: { field: 'function', kind: 'identifier', regex: '^require$' } } },
      ],
    },
  })
  const spec = decls.length === 1 ? argsOf(decls[0]!.field('value')!)[0] : undefined
  return spec?.kind() === 'string' && /^\.{1,2}\//.test(spec.text().slice(1, -1)) ? spec.text().slice(1, -1) : undefined
}

/**
 * Syntax helpers shared by the JS server extractors: call chains, handlers, path-like arguments, and
 * the Express-style routing both Express and tinyhttp read (`app.METHOD`, `route()`, `use(prefix, router)`).
 */
import type { SgNode } from '@ast-grep/napi'
import { jsPathOf } from '../languages/typescript.js'
import { allNamed, argsOf, escapeRegex, firstNamed, functionName, handlerName, isPackageImport, ownerOf, streamsEvents } from './js-syntax.js'
import type { ExtractContext, MountFact, ParsedFile, PathExpr, RouteFact, SymbolRef } from './types.js'

const FUNCTION_KINDS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'function', 'method_definition'])

/** One method call of a chain: `.get('/x', h)`. */
export interface ChainLink {
  call: SgNode
  method: string
  args: SgNode[]
}

/** `a.b(x).c(y)`: the base `a` and the method calls made on it, innermost first. */
export function unchain(call: SgNode): { base: SgNode; links: ChainLink[] } {
  const links: ChainLink[] = []
  let cur: SgNode = call
  for (;;) {
    if (cur.kind() === 'parenthesized_expression' || cur.kind() === 'await_expression' || cur.kind() === 'non_null_expression') {
      const inner = cur.namedChildren()[0]
      if (!inner) break
      cur = inner
      continue
    }
    if (cur.kind() !== 'call_expression') break
    const fn = cur.field('function')
    if (fn?.kind() !== 'member_expression') break
    const object = fn.field('object')
    const method = fn.field('property')?.text()
    if (!object || !method) break
    links.unshift({ call: cur, method, args: argsOf(cur) })
    cur = object
  }
  return { base: cur, links }
}

/** The outermost expression of the chain that `node` starts: `new Hono()` in `new Hono().get(..).post(..)`. */
function outermostChain(node: SgNode): SgNode {
  let cur = node
  for (;;) {
    const parent = cur.parent()
    if (!parent) return cur
    const pk = parent.kind()
    if (pk === 'member_expression' && parent.field('object')?.id() === cur.id()) cur = parent
    else if (pk === 'call_expression' && parent.field('function')?.id() === cur.id()) cur = parent
    else if (pk === 'parenthesized_expression' || pk === 'as_expression' || pk === 'satisfies_expression' || pk === 'await_expression') cur = parent
    else return cur
  }
}

/**
 * The owner an app built inline belongs to (`const users = new Hono().get(..)`, `export default new Hono()`,
 * `return new Router()`): the variable, `default`, the enclosing function, or `inline@line`.
 */
export function chainOwner(base: SgNode): string {
  const outer = outermostChain(base)
  const parent = outer.parent()
  const pk = parent?.kind()
  if (pk === 'variable_declarator') {
    const name = parent!.field('name')
    if (name?.kind() === 'identifier') return ownerOf(parent!, name.text())
  }
  if (pk === 'export_statement') return 'default'
  if (pk === 'assignment_expression' && parent!.field('left')?.text() === 'module.exports') return 'default'
  if (pk === 'return_statement' || (pk && FUNCTION_KINDS.has(String(pk)))) {
    for (let cur = parent; cur; cur = cur.parent()) if (FUNCTION_KINDS.has(String(cur.kind()))) return functionName(cur)
  }
  return `inline@${outer.range().start.line + 1}`
}

/** True when a node can be a route path: a string starting with `/` or `*` (or empty), a template, a constant, an array of those. */
export function isPathLike(node: SgNode | undefined): boolean {
  if (!node) return false
  const k = node.kind()
  if (k === 'string') {
    const text = node.text().slice(1, -1)
    return text === '' || text.startsWith('/') || text.startsWith('*')
  }
  if (k === 'template_string') return /^`(\/|\*|\$\{)/.test(node.text())
  if (k === 'array') return node.namedChildren().length > 0 && node.namedChildren().every(isPathLike)
  if (k === 'binary_expression') return isPathLike(node.field('left') ?? undefined)
  return k === 'identifier' || k === 'member_expression'
}

/** The elements of an array literal, or the node itself. */
export function elementsOf(node: SgNode): SgNode[] {
  return node.kind() === 'array' ? node.namedChildren().filter((n) => n.kind() !== 'comment') : [node]
}

/** The function a handler argument stands for: inline, or declared by that name in this file. */
export function handlerFunction(root: SgNode, node: SgNode | undefined): SgNode | undefined {
  if (!node) return undefined
  const k = node.kind()
  if (FUNCTION_KINDS.has(String(k))) return node
  if (k === 'call_expression') return handlerFunction(root, argsOf(node).at(-1))
  const name = k === 'identifier' ? node.text() : k === 'member_expression' ? node.field('property')?.text() : undefined
  if (!name) return undefined
  return (
    firstNamed(root, ['function_declaration', 'method_definition'], 'name', name) ??
    firstNamed(root, ['variable_declarator'], 'name', name)?.field('value') ??
    firstNamed(root, ['pair'], 'key', name)?.field('value') ??
    undefined
  )
}

/** True when `scope` calls a function or method named by `names` (`streamSSE(`, `reply.sse(`). */
export function callsNamed(scope: SgNode | undefined, names: string[]): boolean {
  if (!scope) return false
  const regex = `^(${names.map(escapeRegex).join('|')})$`
  return !!scope.find({
    rule: {
      kind: 'call_expression',
      has: {
        field: 'function',
        any: [
          { kind: 'identifier', regex },
          { kind: 'member_expression', has: { field: 'property', regex } },
        ],
      },
    },
  })
}

/** True when the function sets `text/event-stream` (a header, `ctx.type`, `writeHead`). */
export function setsEventStream(scope: SgNode | undefined): boolean {
  return !!scope?.find({ rule: { kind: 'string_fragment', regex: '^text/event-stream' } })
}

/** The value of `key` in an object literal: `{ prefix: '/v1' }`, or shorthand `{ prefix }`. */
export function propertyOf(object: SgNode | undefined, key: string): SgNode | undefined {
  if (object?.kind() !== 'object') return undefined
  for (const p of object.namedChildren()) {
    if (p.kind() === 'pair') {
      const k = p.field('key')
      const text = k?.kind() === 'string' ? k.text().slice(1, -1) : k?.text()
      if (text === key) return p.field('value') ?? undefined
    } else if (p.kind() === 'shorthand_property_identifier' && p.text() === key) return p
  }
  return undefined
}

/**
 * `registerUsers(app)`: a function of this tree that receives an app or router registers its routes
 * there, so it is mounted on that owner with no prefix of its own. `instances` tells which names are apps.
 */
export function passedInstanceMounts(
  root: SgNode,
  file: Pick<ParsedFile, 'module' | 'manifest'>,
  isInstance: (node: SgNode, name: string) => boolean,
  prefixOf: (owner: string) => MountFact['prefix'],
  lineOf: (node: SgNode) => number,
): MountFact[] {
  const out: MountFact[] = []
  for (const call of root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'identifier' } } })) {
    const fn = call.field('function')!.text()
    if (fn === 'require' || isPackageImport(file, fn)) continue
    for (const arg of argsOf(call)) {
      if (arg.kind() !== 'identifier' || !isInstance(call, arg.text())) continue
      const parent = ownerOf(call, arg.text())
      out.push({ parent, child: { name: fn }, prefix: prefixOf(parent), line: lineOf(call) })
      break
    }
  }
  return out
}

/**
 * What an expression takes on each turn of a loop over a literal table of this file:
 * `for (const [url, file] of table)`, `for (const r of list)`, `list.forEach((r) => ...)`, where the
 * table is an array literal or `new Map([...])`, and the expression is the loop variable, one of its
 * destructured names, or a member of it (`r.path`). undefined when `expr` is not such a value.
 */
export function loopValues(root: SgNode, expr: SgNode): SgNode[] | undefined {
  const member = expr.kind() === 'member_expression' && expr.field('object')?.kind() === 'identifier' ? expr.field('property')?.text() : undefined
  const name = member ? expr.field('object')!.text() : expr.kind() === 'identifier' ? expr.text() : undefined
  if (!name) return undefined
  for (const scope of expr.ancestors()) {
    let binding: SgNode | undefined
    let table: SgNode | undefined
    if (scope.kind() === 'for_in_statement' && scope.children().some((c) => c.kind() === 'of')) {
      binding = scope.field('left') ?? undefined
      table = scope.field('right') ?? undefined
    } else if (FUNCTION_KINDS.has(String(scope.kind()))) {
      const call = scope.parent()?.parent()
      const callee = call?.kind() === 'call_expression' ? call.field('function') : undefined
      if (callee?.kind() !== 'member_expression' || callee.field('property')?.text() !== 'forEach' || argsOf(call!)[0]?.id() !== scope.id()) continue
      const params = scope.field('parameters')?.namedChildren() ?? []
      binding = scope.field('parameter') ?? params[0]?.field('pattern') ?? params[0]
      table = callee.field('object') ?? undefined
    } else continue
    const pick = binding && pickFrom(binding, name)
    if (!pick) continue
    const rows = tableRows(root, table)
    if (!rows) return undefined
    const values = rows.map((row) => {
      const value = pick(row)
      return member ? propertyOf(value, member) : value
    })
    return values.every(Boolean) ? (values as SgNode[]) : undefined
  }
  return undefined
}

/** How to take `name` out of one row, given the loop's binding pattern (`r`, `[url, file]`, `{ path }`). */
function pickFrom(binding: SgNode, name: string): ((row: SgNode) => SgNode | undefined) | undefined {
  const k = binding.kind()
  if (k === 'identifier') return binding.text() === name ? (row) => row : undefined
  const parts = binding.namedChildren()
  if (k === 'array_pattern') {
    const i = parts.findIndex((p) => p.kind() === 'identifier' && p.text() === name)
    return i === -1 ? undefined : (row) => (row.kind() === 'array' ? row.namedChildren()[i] : undefined)
  }
  if (k === 'object_pattern' && parts.some((p) => p.kind() === 'shorthand_property_identifier_pattern' && p.text() === name)) {
    return (row) => propertyOf(row, name)
  }
  return undefined
}

/** The rows of a literal table named in this file: an array literal, or `new Map([[k, v], ...])`. */
function tableRows(root: SgNode, table: SgNode | undefined): SgNode[] | undefined {
  if (table?.kind() !== 'identifier') return undefined
  const decls = allNamed(root, 'variable_declarator', 'name', table.text())
  let value = decls.length === 1 ? decls[0]!.field('value') : undefined
  if (value?.kind() === 'new_expression' && value.field('constructor')?.text() === 'Map') value = argsOf(value)[0] ?? null
  return value?.kind() === 'array' ? value.namedChildren().filter((n) => n.kind() !== 'comment') : undefined
}

/** How one Express-like framework differs from Express in the calls `expressStyleFacts` reads. */
export interface ExpressStyle {
  /** Route methods (`get`, ..., `all`; `ws` is a WebSocket endpoint). */
  verbs: string[]
  /** The packages whose objects are this framework's (an object imported from another package is no router). */
  packages: string[]
  /** True for the text of a constructor that makes a router or app of the framework (`Router`, `express.Router`, `App`). */
  isRouterClass: (ctor: string) => boolean
  /**
   * tinyhttp: `app.route(p)` makes a sub-app mounted at `p`, whose verbs take paths of their own
   * (`app.route('/x').get('/y', h)` is `/x/y`). Express: `route(p)` names the one path of the verbs chained on it.
   */
  routeIsSubApp?: boolean
  /** Verbs and `use` return the app, so calls chained on them register on it too (`app.use(mw).get('/a', h)`). */
  chains?: boolean
}

/** Where a call chain starts: the owner it registers on, and the `route(p)` call it goes through, if any. */
interface ChainStart {
  owner: string
  route?: SgNode
}

/**
 * Routes and mounts of an Express-style file: `app.METHOD(path, ...handlers)`, `route(path)` chains,
 * `use([prefix,] ...routers)` with routers of this tree (by name, `require()`, factory call), and
 * routes or mounts inside a loop over a literal table.
 */
export function expressStyleFacts(file: ParsedFile, ctx: ExtractContext, style: ExpressStyle): { routes: RouteFact[]; mounts: MountFact[] } {
  const routes: RouteFact[] = []
  const mounts: MountFact[] = []
  const root = file.root
  const verbs = new Set(style.verbs)
  const calls = root.findAll({
    rule: {
      kind: 'call_expression',
      has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: `^(${[...style.verbs, 'use'].join('|')})$` } },
    },
  })
  for (const call of calls) {
    const callee = call.field('function')!
    const verb = callee.field('property')!.text()
    const object = callee.field('object')!
    const line = ctx.lineOf(callee.field('property')!)
    const args = argsOf(call)
    let start: ChainStart | undefined
    if (object.kind() === 'call_expression' || object.kind() === 'new_expression') {
      start = chainStart(object)
      if (!start) continue
    } else {
      const name = objectName(object)
      // `fastify` is the Fastify instance by convention, in plugin files that import nothing.
      if (!name || name === 'fastify') continue
      // `axios.get(url)`, `this.axios.post('/x', body)`: an HTTP client or another package's object, not a router.
      if (isForeignObject(file, name, style.packages)) continue
      start = { owner: ownerOf(call, name) }
    }
    const { owner, route } = start
    // Express's `route('/x')` names the path; tinyhttp's is a sub-app: a prefix of the paths chained on it.
    const prefix: PathExpr = route && style.routeIsSubApp ? ctx.pathOf(route) : []
    if (verb === 'use') {
      if (route && !style.routeIsSubApp) continue
      const found = loopMounts(file, args, owner, line) ?? mountsOf(file, args, owner, line)
      mounts.push(...found.map((m) => ({ ...m, prefix: [...prefix, ...m.prefix] })))
      continue
    }
    let paths: SgNode[] | undefined
    let handlers: SgNode[]
    if (route && !style.routeIsSubApp) {
      paths = [route]
      handlers = args
    } else {
      // `app.route('/events').get(h)`: a sub-app's verb with no path serves the sub-app's root.
      const pathless = route && (args.length === 1 || (!isPathLike(args[0]) && args[0]!.kind() !== 'regex'))
      if (pathless) handlers = args
      else {
        // `app.get('env')` reads a setting: a route has a handler after the path.
        if (args.length < 2) continue
        // `db.all(\`SELECT ...\`, params)`: paths start with `/` (or are patterns, names, arrays).
        if (!isPathLike(args[0]) && args[0]!.kind() !== 'regex') continue
        // `for (const [url, file] of libFiles) app.get(url, h)`: one route per row of a literal table.
        paths = loopValues(root, args[0]!) ?? [args[0]!]
        handlers = args.slice(1)
      }
    }
    // `cache.get('/k', 1)`, `store.put('/k', { ... })`: a route's handlers are functions, never literals.
    if (handlers.some((h) => LITERAL_KINDS.has(String(h.kind())))) continue
    // `const cache = new Map()`: a value made by another constructor than the framework's is not a router.
    if (object.kind() === 'identifier' && madeByOtherConstructor(call, object.text(), style.isRouterClass)) continue
    const kind = verb === 'ws' ? 'websocket' : streamsEvents(root, file.source, handlers) ? 'sse' : 'route'
    const handler = handlerName(handlers[handlers.length - 1])
    for (const p of paths ? paths.flatMap(elementsOf) : [undefined]) {
      routes.push({
        kind,
        methods: [verb === 'ws' ? 'WS' : verb === 'all' ? 'ALL' : verb.toUpperCase()],
        path: [...prefix, ...(p ? ctx.pathOf(p) : [])],
        owner,
        line,
        ...(handler ? { handler } : {}),
      })
    }
  }
  return { routes, mounts }

  /** Walk down `x.route(p).get(a).post(b)` (or, chaining, `app.use(mw).get(..)`) to the router it starts from. */
  function chainStart(chain: SgNode): ChainStart | undefined {
    let cur: SgNode = chain
    while (cur.kind() === 'call_expression') {
      const fn = cur.field('function')
      if (fn?.kind() !== 'member_expression') return undefined
      const prop = fn.field('property')?.text()
      const obj = fn.field('object')
      if (!obj) return undefined
      if (prop === 'route') {
        const name = objectName(obj)
        const p = argsOf(cur)[0]
        if (!p || (name && isForeignObject(file, name, style.packages))) return undefined
        if (name) return { owner: ownerOf(cur, name), route: p }
        const made = obj.kind() === 'new_expression' && style.isRouterClass(obj.field('constructor')?.text() ?? '')
        return made ? { owner: chainOwner(obj), route: p } : undefined
      }
      // Verbs return what they are called on: a route, or (chaining) the app.
      if (!prop || (!verbs.has(prop) && (prop !== 'use' || !style.chains))) return undefined
      cur = obj
    }
    if (!style.chains) return undefined
    if (cur.kind() === 'new_expression') return style.isRouterClass(cur.field('constructor')?.text() ?? '') ? { owner: chainOwner(cur) } : undefined
    const name = objectName(cur)
    return name && name !== 'fastify' && !isForeignObject(file, name, style.packages) ? { owner: ownerOf(cur, name) } : undefined
  }
}

const LITERAL_KINDS = new Set(['number', 'string', 'template_string', 'object', 'true', 'false', 'null', 'undefined', 'regex'])

/** True when `name`, where `at` uses it, is declared as `new X()` with X another class than the framework's routers. */
function madeByOtherConstructor(at: SgNode, name: string, isRouterClass: (ctor: string) => boolean): boolean {
  for (let scope = at.parent(); scope; scope = scope.parent()) {
    const decl = firstNamed(scope, ['variable_declarator'], 'name', name)
    if (!decl) continue
    const value = decl.field('value')
    if (value?.kind() !== 'new_expression') return false
    return !isRouterClass(value.field('constructor')?.text() ?? '')
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

/** True when `name` is imported from a package other than the framework's, or is a `this.` field not named as a router. */
function isForeignObject(file: ParsedFile, name: string, packages: string[]): boolean {
  if (name.startsWith('this.')) return !ROUTER_FIELD.test(name.slice(5))
  const imp = file.module.imports[name]
  return !!imp && isPackageImport(file, name) && !packages.includes(imp.module)
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
  for (let i = 0; i < rows; i++)
    out.push(
      ...mountsOf(
        file,
        args.map((a, j) => columns[j]?.[i] ?? a),
        parent,
        line,
      ),
    )
  return out
}

/** `app.use([prefix,] ...routers)`: a mount for each argument that can be a router of this tree. */
function mountsOf(file: ParsedFile, args: SgNode[], parent: string, line: number): MountFact[] {
  if (!args.length) return []
  const first = args[0]!
  const fk = first.kind()
  const isPrefix =
    args.length > 1 &&
    (fk === 'string' ||
      fk === 'template_string' ||
      fk === 'binary_expression' ||
      fk === 'array' ||
      ((fk === 'identifier' || fk === 'member_expression') && PREFIX_NAME.test(first.text())))
  const prefixes: PathExpr[] = isPrefix ? elementsOf(first).map((p) => jsPathOf(p)) : [[]]
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

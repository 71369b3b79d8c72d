/**
 * hapi (`@hapi/hapi`, and `hapi` before v18): https://hapi.dev/api/#-serverrouteroute and
 * https://hapi.dev/api/#-await-serverregisterplugins-options
 * Routes are data: `{ method, path, handler | options | config }` objects given to `server.route()`
 * inline, in arrays, or in lists written anywhere (`module.exports = [...]`, `const routes = [...a, ...b]`,
 * a function returning them) and passed by name, `require()` or call. Plugins (`{ name, register }`,
 * `exports.plugin`, hapi 16's `exports.register`) are mounted by `server.register(plugin | [..],
 * { routes: { prefix } })` and by `{ plugin, routes: { prefix } }` objects. `method: '*'` is ALL;
 * `{id?}` and `{path*}` are normalised with the other frameworks' parameters. Directory and file
 * handlers serve static files and are no routes.
 */
import type { SgNode } from '@ast-grep/napi'
import { elementsOf, passedInstanceMounts, propertyOf } from '../js-server.js'
import { argsOf, belongsToOtherFramework, firstNamed, functionName, handlerName, isPackageImport, ownerOf } from '../js-syntax.js'
import { defineExtractor, type FileFacts, type PathExpr, type SymbolRef } from '../types.js'

const FUNCTION_KINDS = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'function',
  'method_definition',
  'generator_function_declaration',
])
/** Keys of an HTTP client's request options, never of a route (`http.request({ method, path, headers })`). */
const CLIENT_KEYS = ['hostname', 'host', 'port', 'headers', 'body', 'url']

export const extractor = defineExtractor({
  id: 'hapi',
  family: 'js',
  docs: 'https://hapi.dev/api/#-serverrouteroute',
  detect: (m) => m.dependencies.has('@hapi/hapi') || m.dependencies.has('hapi'),
  // Route objects (`path:`), plugins (`register`), and lists that gather them (`[...a, ...b]`, `[].concat(a, b)`).
  needles: ['.route(', 'register', 'path:', "'path'", '"path"', 'plugin', '...', 'concat('],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [] }
    if (belongsToOtherFramework(file.module, 'hapi')) return facts
    const root = file.root
    const instances = new Set<string>()
    const mount = (parent: string, child: SymbolRef | undefined, prefix: PathExpr, line: number) => {
      // A list declared in the function that registers it: its routes are already that function's.
      if (!child || ('name' in child && Object.keys(child).length === 1 && child.name === parent)) return
      facts.mounts.push({ parent, child, prefix, line })
    }

    // `server.route(..)` and `server.register(..)`: the server is the owner of what they are given.
    const calls = new Map<number, string>()
    for (const call of root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: '^(route|register)$' } } },
    })) {
      const fn = call.field('function')!
      const object = fn.field('object')!
      const method = fn.field('property')!.text()
      if (object.kind() !== 'identifier' || object.text() === 'fastify' || isPackageImport(file, object.text())) continue
      const args = argsOf(call)
      const first = args[0]
      if (!first || (method === 'route' && (first.kind() === 'string' || first.kind() === 'template_string'))) continue
      const owner = ownerOf(call, object.text())
      instances.add(object.text())
      const line = ctx.lineOf(fn.field('property')!)
      // `server.register(plugins, { routes: { prefix: '/api' } })`: the prefix applies to every plugin given.
      const prefix = method === 'register' ? propertyOf(propertyOf(args[1], 'routes'), 'prefix') : undefined
      const target = prefix ? `register@${line}` : owner
      if (prefix) mount(owner, { name: target }, ctx.pathOf(prefix), line)
      calls.set(call.id(), target)
      if (first.kind() === 'object' || first.kind() === 'array') continue
      for (const child of valueRefs(first, 0)) mount(target, child, [], line)
    }

    for (const obj of root.findAll({ rule: { kind: 'object' } })) {
      const line = ctx.lineOf(obj)
      const method = propertyOf(obj, 'method')
      const path = propertyOf(obj, 'path')
      if (method && path && isRoute(obj)) {
        const handler = routeHandler(obj)
        // `handler: { directory: { path } }` and `{ file }`: static files, not routes.
        if (handler?.kind() === 'object' && (propertyOf(handler, 'directory') || propertyOf(handler, 'file'))) continue
        const methods = elementsOf(method).flatMap((m) => (m.kind() === 'string' ? [m.text().slice(1, -1).toUpperCase()] : []))
        if (!methods.length) continue
        const name = handlerName(handler)
        // A route object inside another object (`{ list: { method, path } }`) belongs to that object's list.
        const at = obj.parent()?.kind() === 'pair' ? obj.parent()!.parent()! : obj
        facts.routes.push({
          methods: methods.map((m) => (m === '*' ? 'ALL' : m)),
          path: ctx.pathOf(path),
          owner: positionOwner(at) ?? `inline@${line}`,
          line: ctx.lineOf(path),
          ...(name ? { handler: name } : {}),
        })
        continue
      }
      // `{ plugin: users, routes: { prefix: '/users' } }` (hapi 17+), `{ register: require('./x'), routes }` (hapi 16),
      // and a plugin itself, `{ name, register: async (server) => {..} }`: the object serves its plugin's routes.
      const plugin = propertyOf(obj, 'plugin') ?? propertyOf(obj, 'register')
      if (!plugin) continue
      const owner = positionOwner(obj)
      if (!owner) continue
      const prefix = propertyOf(propertyOf(obj, 'routes'), 'prefix')
      if (FUNCTION_KINDS.has(String(plugin.kind()))) mount(owner, { name: functionName(plugin) }, [], line)
      else for (const child of valueRefs(plugin, 0)) mount(owner, child, prefix ? ctx.pathOf(prefix) : [], line)
    }
    // Method shorthand `{ name, async register(server) {..} }` is a method, not a pair.
    for (const m of root.findAll({ rule: { kind: 'method_definition', has: { field: 'name', regex: '^register$' } } })) {
      const obj = m.parent()
      const owner = obj?.kind() === 'object' ? positionOwner(obj) : undefined
      if (owner) mount(owner, { name: functionName(m) }, [], ctx.lineOf(m))
    }

    // Lists: `[...users, ...posts]`, `[require('./a'), b]`, `[].concat(a, b)`: each element that names routes is mounted on the list.
    for (const list of root.findAll({ rule: { kind: 'array' } })) {
      const owner = positionOwner(list)
      if (!owner) continue
      for (const el of list.namedChildren()) {
        const k = el.kind()
        if (k === 'object' || k === 'string' || k === 'comment' || k === 'array') continue
        for (const child of valueRefs(el, 0)) mount(owner, child, [], ctx.lineOf(el))
      }
    }
    for (const call of root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: '^concat$' } } },
    })) {
      const owner = positionOwner(call)
      if (!owner) continue
      const base = call.field('function')!.field('object')!
      const parts = [...(base.kind() === 'array' ? [] : [base]), ...argsOf(call).filter((a) => a.kind() !== 'array' && a.kind() !== 'object')]
      for (const part of parts) for (const child of valueRefs(part, 0)) mount(owner, child, [], ctx.lineOf(part))
    }

    // `exports.plugin = {..}` or `export const plugin`, and hapi 16's `exports.register = fn`: what `require('./x')` registers.
    const exported = file.module.exports
    if (!Object.hasOwn(exported, 'default')) {
      for (const key of ['plugin', 'register']) {
        if (Object.hasOwn(exported, key)) mount('default', { name: exported[key]! }, [], 1)
      }
    }

    // `registerRoutes(server)`, `require('./routes')(server)`: a function given the server registers on it.
    for (const p of serverParams(root)) instances.add(p)
    facts.mounts.push(
      ...passedInstanceMounts(
        root,
        file,
        (_, name) => instances.has(name),
        () => [],
        ctx.lineOf,
      ),
    )
    for (const call of root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'call_expression', pattern: 'require($SPEC)' } } })) {
      const arg = argsOf(call).find((a) => a.kind() === 'identifier' && instances.has(a.text()))
      const spec = requiredModule(call.field('function')!)
      if (arg && spec) mount(ownerOf(call, arg.text()), { module: spec, name: 'default' }, [], ctx.lineOf(call))
    }
    return facts

    /** True when an object with `method` and `path` is a route: given to `route()`, or carrying a handler or route options. */
    function isRoute(obj: SgNode): boolean {
      if (CLIENT_KEYS.some((k) => propertyOf(obj, k))) return false
      if (['handler', 'options', 'config'].some((k) => propertyOf(obj, k))) return true
      return obj.namedChildren().some((c) => c.kind() === 'spread_element') || ownerCall(obj) !== undefined
    }

    /** `handler`, or the one in `options`/`config` (`config: { handler }`, `options: Controller.create`). */
    function routeHandler(obj: SgNode): SgNode | undefined {
      return (
        propertyOf(obj, 'handler') ??
        propertyOf(propertyOf(obj, 'options'), 'handler') ??
        propertyOf(propertyOf(obj, 'config'), 'handler') ??
        propertyOf(obj, 'options') ??
        propertyOf(obj, 'config')
      )
    }

    /** The owner of the `route()`/`register()` call a value is written in (through arrays and spreads), if any. */
    function ownerCall(node: SgNode): string | undefined {
      let cur = node
      for (let parent = cur.parent(); parent; cur = parent, parent = cur.parent()) {
        const pk = parent.kind()
        if (pk === 'array' || pk === 'spread_element' || pk === 'parenthesized_expression') continue
        if (pk !== 'arguments') return undefined
        return calls.get(parent.parent()!.id())
      }
      return undefined
    }

    /**
     * The owner a value written here belongs to: the server of the `route()` or `register()` call it is given to,
     * the variable or export it is assigned to, the function returning it, or the list it is pushed on.
     * undefined when it is used some other way.
     */
    function positionOwner(node: SgNode): string | undefined {
      let cur = node
      for (let depth = 0; depth < 16; depth++) {
        const parent = cur.parent()
        if (!parent) return undefined
        const pk = parent.kind()
        if (
          pk === 'array' ||
          pk === 'spread_element' ||
          pk === 'parenthesized_expression' ||
          pk === 'as_expression' ||
          pk === 'satisfies_expression' ||
          pk === 'await_expression'
        ) {
          cur = parent
          continue
        }
        if (pk === 'arguments') {
          const call = parent.parent()!
          const registered = calls.get(call.id())
          if (registered) return registered
          const fn = call.field('function')
          const prop = fn?.kind() === 'member_expression' ? fn.field('property')?.text() : undefined
          const obj = fn?.field('object')
          // `routes.push({..})`, `routes.unshift(..)`: the list it is added to.
          if ((prop === 'push' || prop === 'unshift') && obj?.kind() === 'identifier') return ownerOf(call, obj.text())
          if (fn?.text() === 'require') return undefined
          // `Object.freeze([..])`, `[].concat(a, [..])`, `filter(routes)`: the value the call makes.
          cur = call
          continue
        }
        if (pk === 'call_expression' && parent.field('function')?.id() === cur.id()) return undefined
        if (pk === 'member_expression') {
          // `[..].concat(b)`, `[..].map(f)`: the list the call makes.
          const call = parent.parent()
          if (call?.kind() !== 'call_expression') return undefined
          cur = call
          continue
        }
        if (pk === 'variable_declarator') {
          const name = parent.field('name')
          return name?.kind() === 'identifier' ? ownerOf(parent, name.text()) : undefined
        }
        if (pk === 'assignment_expression') {
          const left = parent.field('left')?.text() ?? ''
          if (left === 'module.exports' || left === 'exports.default' || left === 'module.exports.default') return 'default'
          if (/^(module\.)?exports\.\w+$/.test(left)) return left.slice(left.lastIndexOf('.') + 1)
          return /^\w+$/.test(left) ? ownerOf(parent, left) : undefined
        }
        if (pk === 'export_statement') return 'default'
        if (pk === 'return_statement') {
          const fn = cur.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())))
          const call = fn && mapCall(fn)
          if (call) {
            cur = call
            continue
          }
          return fn && functionName(fn)
        }
        if (FUNCTION_KINDS.has(String(pk)) && parent.field('body')?.id() === cur.id()) {
          // `contexts.map((c) => ({ method, path }))`: the list the call makes.
          const call = mapCall(parent)
          if (call) {
            cur = call
            continue
          }
          return functionName(parent)
        }
        if (pk === 'pair') {
          const key = parent.field('key')
          const name = key?.kind() === 'string' ? key.text().slice(1, -1) : key?.text()
          const outer = parent.parent()
          const owner = outer && positionOwner(outer)
          if (!name || !owner) return undefined
          return owner === 'default' ? name : `${owner}.${name}`
        }
        return undefined
      }
      return undefined
    }

    /** What a value given to `route()`, `register()` or a list names: lists, plugins or functions of this tree. */
    function valueRefs(node: SgNode, depth: number): SymbolRef[] {
      if (depth > 4) return []
      const k = node.kind()
      if (k === 'spread_element' || k === 'parenthesized_expression' || k === 'await_expression' || k === 'as_expression') {
        const inner = node.namedChildren().find((c) => c.kind() !== 'comment')
        return inner ? valueRefs(inner, depth + 1) : []
      }
      if (k === 'identifier' || k === 'shorthand_property_identifier') return nameRefs(node, depth)
      if (k === 'member_expression') {
        const obj = node.field('object')!
        const spec = obj.kind() === 'call_expression' ? requiredModule(obj) : undefined
        if (spec) return [{ module: spec, name: node.field('property')!.text() }]
        if (!/^[\w$.]+$/.test(node.text()) || isPackageImport(file, node.text())) return []
        const head = node.text().split('.')[0]!
        const imp = file.module.imports[head]
        // `Plugins.users` of `import * as Plugins`, `const Routes = require('./routes')`: that module's export.
        if (imp) return [{ name: node.text() }]
        return declaredAtTop(head) ? [{ name: node.text() }] : []
      }
      if (k === 'call_expression') {
        const fn = node.field('function')!
        if (fn.text() === 'require') return requiredModules(node, new Map()).map((module) => ({ module, name: 'default' }))
        if (fn.kind() === 'import') {
          const arg = argsOf(node)[0]
          return arg?.kind() === 'string' && arg.text().slice(1, 3).startsWith('.') ? [{ module: arg.text().slice(1, -1), name: 'default' }] : []
        }
        // `require('./routes')(deps)`, `getRoutes(db)`: what the function returns.
        if (fn.kind() === 'call_expression') return valueRefs(fn, depth + 1)
        if (fn.kind() === 'identifier')
          return [
            ...nameRefs(fn, depth),
            ...argsOf(node)
              .filter(isListLike)
              .flatMap((a) => valueRefs(a, depth + 1)),
          ]
        if (fn.kind() === 'member_expression') {
          const obj = fn.field('object')!
          // `['../plugins/a', '../plugins/b'].map((p) => require(p))`: the modules the list names.
          const loaded = mapOfRequire(node)
          if (loaded) return loaded.map((module) => ({ module, name: 'default' }))
          // `routes.filter(f)`, `a.concat(b)`, `FilterRoutes.go(routes, env)`: the lists it is made from.
          const own = obj.kind() === 'array' || obj.kind() === 'identifier' || obj.kind() === 'call_expression' ? valueRefs(obj, depth + 1) : []
          return [
            ...own,
            ...argsOf(node)
              .filter(isListLike)
              .flatMap((a) => valueRefs(a, depth + 1)),
          ]
        }
        return []
      }
      if (k === 'array') return node.namedChildren().flatMap((c) => (c.kind() === 'object' ? [] : valueRefs(c, depth + 1)))
      if (k === 'object') {
        const owner = positionOwner(node)
        return owner ? [{ name: owner }] : []
      }
      return []
    }

    /** An identifier as a value: an import, a `require()`, a top-level or local list, the table a loop walks. */
    function nameRefs(id: SgNode, depth: number): SymbolRef[] {
      const name = id.text()
      const imp = file.module.imports[name]
      if (imp) {
        if (isPackageImport(file, name)) return []
        // `import * as users from './users'`: the module itself, as `require('./users')` would give it.
        return imp.name === '*' ? [{ module: imp.module, name: 'default' }] : [{ name }]
      }
      const owner = ownerOf(id, name)
      if (owner === name) return declaredAtTop(name) ? [{ name }] : []
      // A local: its value (`const filtered = filter(routes)`), or what a loop over a list gives (`routes.forEach((r) => server.route(r))`).
      const value = localValue(id, name)
      if (value) return value.kind() === 'array' || value.kind() === 'object' ? [{ name: owner }] : valueRefs(value, depth + 1)
      const list = iterated(id, name)
      return list ? valueRefs(list, depth + 1) : []
    }

    function isListLike(node: SgNode): boolean {
      const k = node.kind()
      return k === 'identifier' || k === 'array' || k === 'call_expression'
    }

    /** True when `name` is declared at the top level of the file (a variable, function or class). */
    function declaredAtTop(name: string): boolean {
      return root.children().some((stmt) => {
        const decl = stmt.kind() === 'export_statement' ? stmt.field('declaration') : stmt
        if (!decl) return false
        if (decl.kind() === 'function_declaration' || decl.kind() === 'class_declaration') return decl.field('name')?.text() === name
        return (decl.kind() === 'lexical_declaration' || decl.kind() === 'variable_declaration') && !!firstNamed(decl, ['variable_declarator'], 'name', name)
      })
    }

    /** The initial value of the local `name` in the function enclosing `at`. */
    function localValue(at: SgNode, name: string): SgNode | undefined {
      for (const fn of at.ancestors()) {
        if (!FUNCTION_KINDS.has(String(fn.kind()))) continue
        const body = fn.field('body')
        const decl = body && firstNamed(body, ['variable_declarator'], 'name', name)
        if (decl) return decl.field('value') ?? undefined
      }
      return undefined
    }

    /** The list a loop variable walks: `list.forEach((r) => ..)`, `list.map(..)`, `for (const r of list)`. */
    function iterated(at: SgNode, name: string): SgNode | undefined {
      for (const scope of at.ancestors()) {
        if (scope.kind() === 'for_in_statement' && scope.field('left')?.text() === name) return scope.field('right') ?? undefined
        if (!FUNCTION_KINDS.has(String(scope.kind()))) continue
        const params = scope.field('parameters')?.namedChildren() ?? []
        const first = scope.field('parameter') ?? params[0]?.field('pattern') ?? params[0]
        if (first?.text() !== name) return undefined
        const call = scope.parent()?.parent()
        const callee = call?.kind() === 'call_expression' ? call.field('function') : undefined
        const method = callee?.kind() === 'member_expression' ? callee.field('property')?.text() : undefined
        return method === 'forEach' || method === 'map' ? (callee!.field('object') ?? undefined) : undefined
      }
      return undefined
    }

    /** `./users` of `require('./users')`; undefined for packages and anything else. */
    function requiredModule(call: SgNode): string | undefined {
      if (call.kind() !== 'call_expression' || call.field('function')?.text() !== 'require') return undefined
      const spec = argsOf(call)[0]
      const text = spec?.kind() === 'string' ? spec.text().slice(1, -1) : undefined
      return text?.startsWith('.') ? text : undefined
    }

    /** The modules of this tree a `require()` loads: `require('./x')`, or `require(\`../plugins/${name}\`)` over a literal list of names. */
    function requiredModules(call: SgNode, env: Map<string, string[]>): string[] {
      const spec = argsOf(call)[0]
      return (spec ? (stringValues(spec, env, 0) ?? []) : []).filter((m) => m.startsWith('.'))
    }

    /** `list.map((p) => require(p))` (or a template of `p`) over a literal list: the modules it loads; undefined for other calls. */
    function mapOfRequire(call: SgNode): string[] | undefined {
      const fn = call.field('function')
      if (fn?.kind() !== 'member_expression' || fn.field('property')?.text() !== 'map') return undefined
      const cb = argsOf(call)[0]
      if (!cb || !FUNCTION_KINDS.has(String(cb.kind()))) return undefined
      const param = cb.field('parameter') ?? cb.field('parameters')?.namedChildren()[0]
      let body = cb.field('body')
      if (body?.kind() === 'statement_block') body = body.find({ rule: { kind: 'return_statement' } })?.namedChildren()[0] ?? null
      if (param?.kind() !== 'identifier' || body?.kind() !== 'call_expression' || body.field('function')?.text() !== 'require') return undefined
      const names = listStrings(fn.field('object')!, 0)
      return names && requiredModules(body, new Map([[param.text(), names]]))
    }

    /** The strings an expression can be: a literal, a template over loop variables, a constant, a local string. */
    function stringValues(node: SgNode, env: Map<string, string[]>, depth: number): string[] | undefined {
      if (depth > 6) return undefined
      const k = node.kind()
      if (k === 'string') return [node.text().slice(1, -1)]
      if (k === 'template_string') {
        let out = ['']
        for (const part of node.children()) {
          const pk = part.kind()
          if (pk === '`') continue
          const inner = part.namedChildren()[0]
          const values = pk === 'template_substitution' ? inner && stringValues(inner, env, depth + 1) : [part.text()]
          if (!values || out.length * values.length > 64) return undefined
          out = out.flatMap((o) => values.map((v) => o + v))
        }
        return out
      }
      if (k !== 'identifier') return undefined
      const name = node.text()
      const bound = env.get(name)
      if (bound) return bound
      const list = iterated(node, name)
      if (list) return listStrings(list, depth + 1)
      const value = localValue(node, name)
      return value ? stringValues(value, env, depth + 1) : undefined
    }

    /** The strings of a literal list: `['a', 'b']`, or a local holding one, with what `list.push('c')` adds to it. */
    function listStrings(node: SgNode, depth: number): string[] | undefined {
      if (node.kind() === 'array') {
        const values = node
          .namedChildren()
          .filter((c) => c.kind() !== 'comment')
          .map((c) => stringValues(c, new Map(), depth + 1))
        return values.every(Boolean) ? (values as string[][]).flat() : undefined
      }
      if (node.kind() !== 'identifier') return undefined
      const value = localValue(node, node.text())
      const own = value && listStrings(value, depth + 1)
      if (!own) return undefined
      const scope = node.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())))
      const pushed = (scope?.findAll({ rule: { kind: 'call_expression', pattern: `${node.text()}.push($$$ARGS)` } }) ?? []).flatMap((c) =>
        argsOf(c).flatMap((a) => stringValues(a, new Map(), depth + 1) ?? []),
      )
      return [...own, ...pushed]
    }

    /** The call `fn` is the callback of when that call makes a list from it (`list.map(fn)`, `flatMap`). */
    function mapCall(fn: SgNode): SgNode | undefined {
      const call = fn.parent()?.parent()
      if (fn.parent()?.kind() !== 'arguments' || call?.kind() !== 'call_expression') return undefined
      const callee = call.field('function')
      const method = callee?.kind() === 'member_expression' ? callee.field('property')?.text() : undefined
      return method === 'map' || method === 'flatMap' ? call : undefined
    }
  },
})

/** The first parameters of plugin `register` functions and of functions taking a `server`: hapi servers. */
function serverParams(root: SgNode): string[] {
  const out: string[] = []
  for (const fn of root.findAll({
    rule: { any: [{ kind: 'function_declaration' }, { kind: 'function_expression' }, { kind: 'arrow_function' }, { kind: 'method_definition' }] },
  })) {
    const first = fn.field('parameters')?.namedChildren()[0]
    const pattern = first?.field('pattern') ?? first
    if (pattern?.kind() === 'identifier' && /^(server|plugin|hapi)$/i.test(pattern.text())) out.push(pattern.text())
  }
  return out
}

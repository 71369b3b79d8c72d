/**
 * Fastify 4 and 5: https://fastify.dev/docs/latest/Reference/Routes/
 * Shorthands `fastify.get(path, [opts], handler)`, `fastify.route({ method, url })`, plugins
 * registered with `{ prefix }` across files (plain or `fastify-plugin`-wrapped, which ignore the
 * prefix), `@fastify/autoload` folders, `@fastify/websocket` (`{ websocket: true }`) and SSE
 * (`reply.sse()`, a `text/event-stream` header, `{ sse: true }`).
 */
import type { SgNode } from '@ast-grep/napi'
import { argsOf, callNeedles, belongsToOtherFramework, functionName, handlerName, HTTP_METHODS, isPackageImport, ownerOf } from '../js-syntax.js'
import { callsNamed, elementsOf, handlerFunction, isPathLike, loopValues, passedInstanceMounts, propertyOf, setsEventStream, unchain } from '../js-server.js'
import { defineExtractor, type FileFacts, type PathExpr, type RouteFact, type SymbolRef } from '../types.js'
import { autoloadDir } from './autoload.js'

const VERBS = new Set([...HTTP_METHODS, 'all'])
const CALLS = `^(${[...VERBS, 'route', 'register'].join('|')})$`
const FP_PACKAGES = new Set(['fastify-plugin'])
const AUTOLOAD_PACKAGES = new Set(['@fastify/autoload', 'fastify-autoload'])

export const extractor = defineExtractor({
  id: 'fastify',
  family: 'js',
  docs: 'https://fastify.dev/docs/latest/Reference/Routes/',
  // A @fastify/* plugin is only ever used with Fastify, which a workspace may hoist from another package.
  detect: (m) => m.dependencies.has('fastify') || [...m.dependencies].some((d) => d === 'fastify-plugin' || d.startsWith('@fastify/')),
  needles: callNeedles(['get', 'post', 'put', 'delete', 'patch', 'all', 'options', 'head', 'route', 'register']),
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], passThrough: [] }
    if (belongsToOtherFramework(file.module, 'fastify')) return facts
    const root = file.root
    const importedFrom = (name: string, packages: Set<string>) => {
      const imp = file.module.imports[name.split('.')[0]!]
      return !!imp && packages.has(imp.module)
    }
    const isFp = (name: string) => importedFrom(name, FP_PACKAGES) || name === 'fp' || name === 'fastifyPlugin'

    // Plugins known by another name than their function's: `export default fp(async (f) => ..)`,
    // `module.exports = async function routes(f) {}`; fp-wrapped ones ignore their prefix.
    const renamed = new Map<string, string>()
    for (const call of root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'identifier' } } })) {
      const fn = call.field('function')!.text()
      if (!isFp(fn)) continue
      const plugin = argsOf(call)[0]
      if (!plugin) continue
      const name = positionName(call)
      if (plugin.kind() === 'identifier') {
        facts.mounts.push({ parent: name, child: { name: plugin.text() }, prefix: [], line: ctx.lineOf(call) })
      } else renamed.set(functionName(plugin), name)
      facts.passThrough!.push(name)
    }
    for (const fn of root.findAll({ rule: { kind: 'function_expression', inside: { kind: 'assignment_expression', field: 'right' } } })) {
      if (fn.parent()?.field('left')?.text() === 'module.exports') renamed.set(functionName(fn), 'default')
    }
    const owner = (node: SgNode, variable: string) => {
      const own = ownerOf(node, variable)
      return renamed.get(own) ?? own
    }

    const instances = new Set<string>()
    for (const call of root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: CALLS } } },
    })) {
      const { base, links } = unchain(call)
      const link = links.at(-1)
      if (!link || link.call.id() !== call.id() || base.kind() !== 'identifier') continue
      const variable = base.text()
      if (isPackageImport(file, variable)) continue
      const line = ctx.lineOf(call.field('function')!.field('property')!)
      const args = link.args
      if (link.method === 'register') {
        const mount = registerMount(args, line)
        if (mount) facts.mounts.push({ ...mount, parent: owner(call, variable) })
        instances.add(variable)
        continue
      }
      if (link.method === 'route') {
        const opts = args[0]
        const url = propertyOf(opts, 'url') ?? propertyOf(opts, 'path')
        const method = propertyOf(opts, 'method')
        if (!url || !method) continue
        const methods = elementsOf(method).flatMap((m) => (m.kind() === 'string' ? [m.text().slice(1, -1).toUpperCase()] : []))
        facts.routes.push(...routesOf(url, methods, opts, propertyOf(opts, 'handler'), owner(call, variable), line))
        instances.add(variable)
        continue
      }
      // `fastify.get(path, [opts], handler)`; `map.get(key)` and `cache.get('k', fallback)` are not routes.
      if (args.length < 2 || !isPathLike(args[0])) continue
      const opts = args.length > 2 || args[1]!.kind() === 'object' ? args[1] : undefined
      const handler = args.length > 2 ? args[args.length - 1] : (propertyOf(opts, 'handler') ?? args[1])
      const methods = [link.method === 'all' ? 'ALL' : link.method.toUpperCase()]
      facts.routes.push(...routesOf(args[0]!, methods, opts, handler, owner(call, variable), line))
      instances.add(variable)
    }
    for (const p of pluginParams(root)) instances.add(p)
    facts.mounts.push(
      ...passedInstanceMounts(
        root,
        file,
        (_, name) => instances.has(name),
        () => [],
        ctx.lineOf,
      ),
    )
    return facts

    function routesOf(
      path: SgNode,
      methods: string[],
      opts: SgNode | undefined,
      handlerNode: SgNode | undefined,
      ownerName: string,
      line: number,
    ): RouteFact[] {
      const handler = handlerName(handlerNode)
      const websocket = propertyOf(opts, 'websocket')?.text() === 'true'
      const fn = handlerFunction(root, handlerNode)
      const sse = propertyOf(opts, 'sse')?.text() === 'true' || setsEventStream(fn) || callsNamed(fn, ['sse'])
      const out: RouteFact[] = []
      // `entries.forEach((entry) => fastify.get(entry, h))` over a literal array: one route per element.
      const paths = path.kind() === 'identifier' || path.kind() === 'member_expression' ? (loopValues(root, path) ?? [path]) : [path]
      for (const p of paths.flatMap(elementsOf)) {
        const base = { path: ctx.pathOf(p), owner: ownerName, line, ...(handler ? { handler } : {}) }
        if (websocket) {
          out.push({ ...base, kind: 'websocket', methods: ['WS'] })
          // `wsHandler` beside `handler`: plain HTTP requests are served too.
          if (!propertyOf(opts, 'wsHandler')) continue
        }
        out.push({ ...base, kind: sse ? 'sse' : 'route', methods })
      }
      return out
    }

    function registerMount(args: SgNode[], line: number): { child: SymbolRef; prefix: PathExpr; line: number } | undefined {
      const [plugin, opts] = args
      if (!plugin) return undefined
      const prefixNode = propertyOf(opts, 'prefix')
      const prefix: PathExpr = prefixNode ? ctx.pathOf(prefixNode) : []
      if (plugin.kind() === 'identifier' && importedFrom(plugin.text(), AUTOLOAD_PACKAGES)) {
        const dirNode = propertyOf(opts, 'dir')
        const dir = dirNode && autoloadDir(dirNode)
        if (dir === undefined) {
          ctx.diagnose({
            code: 'UNRESOLVED_MOUNT',
            line,
            message: `@fastify/autoload folder \`${dirNode?.text() ?? '?'}\` is computed at run time; its routes are not listed`,
          })
          return undefined
        }
        const inner = propertyOf(propertyOf(opts, 'options'), 'prefix')
        return { child: { dir }, prefix: inner ? ctx.pathOf(inner) : [], line }
      }
      const child = pluginRef(plugin)
      return child && { child, prefix, line }
    }

    function pluginRef(plugin: SgNode): SymbolRef | undefined {
      const k = plugin.kind()
      if (k === 'identifier') return isPackageImport(file, plugin.text()) ? undefined : { name: plugin.text() }
      if (k === 'arrow_function' || k === 'function_expression' || k === 'function') {
        const name = functionName(plugin)
        return { name: renamed.get(name) ?? name }
      }
      if (k === 'await_expression') return plugin.namedChildren()[0] && pluginRef(plugin.namedChildren()[0]!)
      if (k === 'call_expression') {
        const fn = plugin.field('function')
        const spec = argsOf(plugin)[0]
        if ((fn?.text() === 'require' || fn?.kind() === 'import') && spec?.kind() === 'string') {
          const module = spec.text().slice(1, -1)
          return module.startsWith('.') ? { module, name: 'default' } : undefined
        }
        // `fp(async (f) => ..)` inline: named after the position of the `fp()` call.
        if (fn?.kind() === 'identifier' && isFp(fn.text())) return { name: positionName(plugin) }
      }
      if (k === 'member_expression') {
        const obj = plugin.field('object')
        const spec = obj?.kind() === 'call_expression' && obj.field('function')?.text() === 'require' ? argsOf(obj)[0] : undefined
        if (spec?.kind() === 'string' && spec.text().startsWith("'.")) return { module: spec.text().slice(1, -1), name: plugin.field('property')!.text() }
      }
      return undefined
    }
  },
})

/** The name a value gets from where it is written: `export default x` -> `default`, `const a = x` -> `a`. */
function positionName(node: SgNode): string {
  const parent = node.parent()
  const pk = parent?.kind()
  if (pk === 'export_statement') return 'default'
  if (pk === 'variable_declarator') return parent!.field('name')?.text() ?? 'default'
  if (pk === 'assignment_expression') {
    const left = parent!.field('left')?.text() ?? ''
    return left === 'module.exports' || left === 'exports.default' ? 'default' : left.slice(left.lastIndexOf('.') + 1)
  }
  if (pk === 'arguments') return `anonymous@${node.range().start.line + 1}`
  return `anonymous@${node.range().start.line + 1}`
}

/** First parameters of functions that look like plugins (`async function (fastify, opts)`): Fastify instances. */
function pluginParams(root: SgNode): string[] {
  const out: string[] = []
  for (const fn of root.findAll({ rule: { any: [{ kind: 'function_declaration' }, { kind: 'function_expression' }, { kind: 'arrow_function' }] } })) {
    const params = fn.field('parameters')
    const first = params?.namedChildren()[0]
    const pattern = first?.field('pattern') ?? first
    if (pattern?.kind() === 'identifier' && /^(fastify|app|server|instance)$/.test(pattern.text())) out.push(pattern.text())
  }
  return out
}

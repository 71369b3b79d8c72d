/**
 * Hono: https://hono.dev/docs/api/routing
 * `app.get/post/put/delete/patch/options/all(path, ...handlers)`, `app.on(method | methods, path | paths)`,
 * chained `new Hono().get(..).post(..)`, `app.route('/x', sub)` with sub-apps from other files,
 * `new Hono().basePath('/api')` and `app.basePath('/api')`, `upgradeWebSocket()` handlers (websocket)
 * and `streamSSE()` (sse).
 */
import type { SgNode } from '@ast-grep/napi'
import { callNeedles, belongsToOtherFramework, handlerName, HTTP_METHODS, isPackageImport, ownerOf } from '../js-syntax.js'
import {
  callsNamed,
  chainOwner,
  elementsOf,
  handlerFunction,
  isPathLike,
  passedInstanceMounts,
  setsEventStream,
  unchain,
  type ChainLink,
} from '../js-server.js'
import type { EndpointKind } from '../../model/inventory.js'
import { defineExtractor, type FileFacts, type PathExpr, type SymbolRef } from '../types.js'

const VERBS = new Set([...HTTP_METHODS, 'all'])
const CALLS = `^(${[...VERBS, 'on', 'route', 'basePath'].join('|')})$`

export const extractor = defineExtractor({
  id: 'hono',
  family: 'js',
  docs: 'https://hono.dev/docs/api/routing',
  detect: (m) => m.dependencies.has('hono') || [...m.dependencies].some((d) => d.startsWith('@hono/')),
  needles: ['Hono', ...callNeedles(['get', 'post', 'put', 'delete', 'patch', 'all', 'on', 'route', 'options'])],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [] }
    if (belongsToOtherFramework(file.module, 'hono')) return facts
    const root = file.root

    /** `const api = new Hono().basePath('/api')`: the base path every route of `api` gets. */
    const basePaths = new Map<string, PathExpr>()
    /** The owner and base path of the app a chain starts from; undefined when it is not a Hono app. */
    const appOf = (base: SgNode, links: ChainLink[]): { owner: string; variable?: string; prefix: PathExpr } | undefined => {
      let owner: string
      let variable: string | undefined
      let prefix: PathExpr = []
      if (base.kind() === 'identifier') {
        variable = base.text()
        // `fastify` is the Fastify instance by convention, in plugin files that import nothing.
        if (isPackageImport(file, variable) || variable === 'fastify') return undefined
        owner = ownerOf(base, variable)
        prefix = basePaths.get(owner) ?? []
      } else if (base.kind() === 'new_expression' && /Hono$/.test(base.field('constructor')?.text() ?? '')) {
        owner = chainOwner(base)
      } else return undefined
      for (const l of links.slice(0, -1)) if (l.method === 'basePath' && l.args[0]) prefix = [...prefix, ...ctx.pathOf(l.args[0])]
      return { owner, ...(variable ? { variable } : {}), prefix }
    }

    const calls = root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: CALLS } } },
    })
    // Base paths first: `const api = new Hono().basePath('/api')` or `const v1 = app.basePath('/v1')`.
    for (const call of calls) {
      const { base, links } = unchain(call)
      const link = links.at(-1)
      if (link?.method !== 'basePath' || link.call.id() !== call.id() || !link.args[0]) continue
      const decl = call.parent()
      const name = decl?.kind() === 'variable_declarator' ? decl.field('name') : undefined
      if (name?.kind() !== 'identifier') continue
      const app = appOf(base, links)
      if (!app) continue
      const path = [...app.prefix, ...ctx.pathOf(link.args[0])]
      const alias = ownerOf(decl!, name.text())
      if (base.kind() === 'new_expression') basePaths.set(alias, path)
      // Another app's base path shares that app's routes: mounted on it.
      else facts.mounts.push({ parent: app.owner, child: { name: name.text() }, prefix: path, line: ctx.lineOf(call) })
    }

    const instances = new Set<string>()
    for (const call of calls) {
      const { base, links } = unchain(call)
      const link = links.at(-1)
      if (!link || link.call.id() !== call.id() || link.method === 'basePath') continue
      const app = appOf(base, links)
      if (!app) continue
      const line = ctx.lineOf(call.field('function')!.field('property')!)
      const args = link.args
      if (link.method === 'route') {
        const [path, sub] = args
        const child = sub && subAppRef(sub)
        if (!path || !child || !isPathLike(path)) continue
        facts.mounts.push({ parent: app.owner, child, prefix: [...app.prefix, ...ctx.pathOf(path)], line })
        if (app.variable) instances.add(app.variable)
        continue
      }
      let methods: string[]
      let path: SgNode | undefined
      let handlers: SgNode[]
      if (link.method === 'on') {
        const [method, p, ...rest] = args
        if (!method) continue
        methods = elementsOf(method).flatMap((m) => (m.kind() === 'string' ? [m.text().slice(1, -1).toUpperCase()] : []))
        path = p
        handlers = rest
      } else {
        methods = [link.method.toUpperCase()]
        path = args[0]
        handlers = args.slice(1)
      }
      if (!methods.length || !handlers.length || !isPathLike(path)) continue
      const last = handlers.at(-1)
      const kind: EndpointKind = handlers.some((h) => h.kind() === 'call_expression' && callsNamed(h, ['upgradeWebSocket']))
        ? 'websocket'
        : callsNamed(handlerFunction(root, last), ['streamSSE']) || setsEventStream(handlerFunction(root, last))
          ? 'sse'
          : 'route'
      const handler = kind === 'websocket' ? undefined : handlerName(last)
      for (const p of elementsOf(path!)) {
        facts.routes.push({
          kind,
          methods: kind === 'websocket' ? ['WS'] : methods,
          path: [...app.prefix, ...ctx.pathOf(p)],
          owner: app.owner,
          line,
          ...(handler ? { handler } : {}),
        })
      }
      if (app.variable) instances.add(app.variable)
    }
    facts.mounts.push(
      ...passedInstanceMounts(
        root,
        file,
        (_, name) => instances.has(name),
        (owner) => basePaths.get(owner) ?? [],
        ctx.lineOf,
      ),
    )
    return facts

    /** The sub-app of `app.route('/x', sub)`: a name, a factory call, or an app built inline. */
    function subAppRef(sub: SgNode): SymbolRef | undefined {
      if (sub.kind() === 'identifier') return isPackageImport(file, sub.text()) ? undefined : { name: sub.text() }
      if (sub.kind() === 'call_expression' || sub.kind() === 'new_expression') {
        const { base } = unchain(sub)
        if (base.kind() === 'new_expression') return { name: chainOwner(base) }
        const fn = base.kind() === 'call_expression' ? base.field('function') : undefined
        if (fn?.kind() === 'identifier' && !isPackageImport(file, fn.text())) return { name: fn.text() }
      }
      return undefined
    }
  },
})

/**
 * Koa with @koa/router (and its older name koa-router): https://github.com/koajs/router/blob/master/API.md
 * `new Router({ prefix })`, `router.prefix()`, `router.get/post/.../all/del(['name',] path, ...mw)`,
 * `router.redirect()`, nested `router.use('/x', other.routes())`, `app.use(router.routes())`,
 * koa-mount `app.use(mount('/x', subApp))`, SSE (`ctx.type = 'text/event-stream'`).
 */
import type { SgNode } from '@ast-grep/napi'
import { argsOf, callNeedles, belongsToOtherFramework, handlerName, HTTP_METHODS, isPackageImport, ownerOf } from '../js-syntax.js'
import { elementsOf, handlerFunction, isPathLike, passedInstanceMounts, propertyOf, setsEventStream, unchain } from '../js-server.js'
import { defineExtractor, type FileFacts, type MountFact, type PathExpr, type SymbolRef } from '../types.js'

const VERBS = new Set([...HTTP_METHODS, 'all', 'del', 'redirect'])
const CALLS = `^(${[...VERBS, 'use', 'prefix'].join('|')})$`
const ROUTER_PACKAGES = new Set(['@koa/router', 'koa-router'])
const PREFIX_NAME = /^[A-Z0-9_]+$|prefix|path|base/i

export const extractor = defineExtractor({
  id: 'koa',
  family: 'js',
  docs: 'https://github.com/koajs/router/blob/master/API.md',
  detect: (m) => m.dependencies.has('@koa/router') || m.dependencies.has('koa-router') || m.dependencies.has('koa'),
  needles: callNeedles(['get', 'post', 'put', 'delete', 'del', 'patch', 'all', 'use', 'redirect', 'options', 'head']),
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    if (belongsToOtherFramework(file.module, 'koa')) return facts
    const root = file.root
    const fromPackage = (name: string, packages: Set<string>) => {
      const imp = file.module.imports[name]
      return !!imp && packages.has(imp.module)
    }

    // Routers: `new Router({ prefix })`, `Router()`, `new KoaRouter()` of @koa/router or koa-router.
    const routers = new Map<string, { line: number; prefix?: PathExpr }>()
    for (const made of root.findAll({ rule: { any: [{ kind: 'new_expression' }, { kind: 'call_expression' }] } })) {
      const ctor = made.field(made.kind() === 'new_expression' ? 'constructor' : 'function')
      if (ctor?.kind() !== 'identifier' || !fromPackage(ctor.text(), ROUTER_PACKAGES)) continue
      const decl = made.parent()
      const name = decl?.kind() === 'variable_declarator' ? decl.field('name') : undefined
      if (name?.kind() !== 'identifier') continue
      const prefix = propertyOf(argsOf(made)[0], 'prefix')
      routers.set(ownerOf(decl!, name.text()), { line: ctx.lineOf(decl!), ...(prefix ? { prefix: ctx.pathOf(prefix) } : {}) })
    }

    const instances = new Set<string>()
    for (const call of root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: CALLS } } },
    })) {
      const { base, links } = unchain(call)
      const link = links.at(-1)
      if (!link || link.call.id() !== call.id() || base.kind() !== 'identifier') continue
      const variable = base.text()
      // `fastify` is the Fastify instance by convention, in plugin files that import nothing.
      if (isPackageImport(file, variable) || variable === 'fastify') continue
      const owner = ownerOf(call, variable)
      const line = ctx.lineOf(call.field('function')!.field('property')!)
      const args = link.args
      if (link.method === 'prefix') {
        const router = routers.get(owner)
        if (router && args[0]) router.prefix = ctx.pathOf(args[0])
        continue
      }
      if (link.method === 'use') {
        const mounts = useMounts(args, owner, line)
        if (mounts.length) instances.add(variable)
        facts.mounts.push(...mounts)
        continue
      }
      // `router.get('user', '/users/:id', ...mw)`: an optional route name comes first.
      const named = args.length > 2 && args[0]!.kind() === 'string' && !isPathLike(args[0]) && isPathLike(args[1]) && args[1]!.kind() !== 'identifier'
      const path = named ? args[1] : args[0]
      if (args.length < 2 || !path || !isPathLike(path)) continue
      const handlers = args.slice(named ? 2 : 1)
      const methods = link.method === 'all' || link.method === 'redirect' ? ['ALL'] : [link.method === 'del' ? 'DELETE' : link.method.toUpperCase()]
      const handler = link.method === 'redirect' ? undefined : handlerName(handlers.at(-1))
      const kind = link.method !== 'redirect' && setsEventStream(handlerFunction(root, handlers.at(-1))) ? 'sse' : 'route'
      for (const p of elementsOf(path)) {
        facts.routes.push({ kind, methods, path: ctx.pathOf(p), owner, line, ...(handler ? { handler } : {}) })
      }
      instances.add(variable)
    }
    // `exports.api = apiRouter.get(..).post(..)`: router methods return the router, so the export is that router.
    for (const assign of root.findAll({ rule: { kind: 'assignment_expression', has: { field: 'right', kind: 'call_expression' } } })) {
      const left = assign.field('left')!.text()
      const exported = left === 'module.exports' ? 'default' : /^(module\.)?exports\.\w+$/.test(left) ? left.slice(left.lastIndexOf('.') + 1) : undefined
      const { base } = unchain(assign.field('right')!)
      if (!exported || base.kind() !== 'identifier' || !routers.has(ownerOf(assign, base.text()))) continue
      facts.mounts.push({ parent: exported, child: { name: base.text() }, prefix: [], line: ctx.lineOf(assign) })
    }
    for (const [name, r] of routers) facts.routers!.push({ name, ...r })
    facts.mounts.push(
      ...passedInstanceMounts(
        root,
        file,
        (_, name) => instances.has(name) || routers.has(name),
        () => [],
        ctx.lineOf,
      ),
    )
    return facts

    /** `x.use([prefix,] other.routes(), mount('/p', sub), ...)`: a mount per router or app among the arguments. */
    function useMounts(args: SgNode[], parent: string, line: number): MountFact[] {
      const first = args[0]
      const fk = first?.kind()
      const hasPrefix =
        args.length > 1 &&
        (fk === 'string' ||
          fk === 'template_string' ||
          fk === 'array' ||
          fk === 'binary_expression' ||
          ((fk === 'identifier' || fk === 'member_expression') && PREFIX_NAME.test(first!.text())))
      const prefixes = hasPrefix ? elementsOf(first!).map((p) => ctx.pathOf(p)) : [[]]
      const out: MountFact[] = []
      for (const arg of hasPrefix ? args.slice(1) : args) {
        let child: SymbolRef | undefined
        let prefix: PathExpr[] = prefixes
        if (
          arg.kind() === 'call_expression' &&
          arg.field('function')?.kind() === 'identifier' &&
          fromPackage(arg.field('function')!.text(), new Set(['koa-mount']))
        ) {
          // koa-mount: `mount('/v1', subApp)`, `mount('/v1', router.routes())`.
          const [p, app] = argsOf(arg)
          if (!p || !app) continue
          child = app.kind() === 'identifier' ? nameRef(app) : routesRef(app)
          prefix = prefixes.map((pre) => [...pre, ...ctx.pathOf(p)])
        } else child = routesRef(arg)
        if (!child) continue
        for (const pre of prefix) out.push({ parent, child, prefix: pre, line })
      }
      return out
    }

    /** `users.routes()`, `users.middleware()`, `createRouter().routes()`, `require('./users').routes()`. */
    function routesRef(arg: SgNode): SymbolRef | undefined {
      if (arg.kind() !== 'call_expression') return undefined
      const fn = arg.field('function')
      const method = fn?.kind() === 'member_expression' ? fn.field('property')?.text() : undefined
      if (method !== 'routes' && method !== 'middleware') return undefined
      const obj = fn!.field('object')!
      if (obj.kind() === 'identifier') return nameRef(obj)
      // `routerConfig.api.routes()`: a router a module exports under a name.
      if (obj.kind() === 'member_expression' && obj.field('object')?.kind() === 'identifier' && obj.field('property')?.kind() === 'property_identifier')
        return nameRef(obj)
      if (obj.kind() === 'call_expression') {
        const callee = obj.field('function')
        const spec = argsOf(obj)[0]
        if (callee?.text() === 'require') return spec?.kind() === 'string' ? { module: spec.text().slice(1, -1), name: 'default' } : undefined
        if (callee?.kind() === 'identifier') return nameRef(callee)
      }
      return undefined
    }

    function nameRef(id: SgNode): SymbolRef | undefined {
      return isPackageImport(file, id.text()) ? undefined : { name: id.text() }
    }
  },
})

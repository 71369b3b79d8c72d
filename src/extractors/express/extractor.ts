/**
 * Express 4 and 5, and express-ws: https://expressjs.com/en/guide/routing.html
 * `app.METHOD(path, ...)`, `router.route(path).get().post()`, path arrays, `all`, `app.use(prefix,
 * router)` with routers from other files, nested routers, `app.ws(path)`.
 */
import { expressStyleFacts, type ExpressStyle } from '../js-server.js'
import { callNeedles, belongsToOtherFramework, HTTP_METHODS, ownerOf } from '../js-syntax.js'
import { defineExtractor, type FileFacts } from '../types.js'

const VERBS = [...HTTP_METHODS, 'all', 'ws']
const STYLE: ExpressStyle = {
  verbs: VERBS,
  packages: ['express'],
  isRouterClass: (ctor) => /^(express\.)?Router$/.test(ctor),
}

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
    for (const decl of root.findAll({
      rule: { kind: 'variable_declarator', has: { field: 'value', kind: 'new_expression', regex: '^new\\s+(express\\.)?Router\\b' } },
    })) {
      const name = decl.field('name')?.text()
      if (name) facts.routers!.push({ name: ownerOf(decl, name), line: ctx.lineOf(decl) })
    }

    const { routes, mounts } = expressStyleFacts(file, ctx, STYLE)
    facts.routes.push(...routes)
    facts.mounts.push(...mounts)
    return facts
  },
})

/**
 * tinyhttp: https://tinyhttp.v1rtl.site/docs/api/application
 * Express-style: `app.METHOD(path, ...handlers)` on `new App()`, calls chained on what verbs and `use`
 * return (`app.use(mw).get('/a', h)`, `new App().get(..)`), sub-apps mounted with `app.use('/x', sub)`
 * across files, and `app.route('/x')`, which makes a sub-app mounted at `/x` (`.get(h)` serves `/x`).
 */
import { expressStyleFacts, type ExpressStyle } from '../js-server.js'
import { belongsToOtherFramework, callNeedles, HTTP_METHODS } from '../js-syntax.js'
import { defineExtractor, type FileFacts } from '../types.js'

const PACKAGES = ['@tinyhttp/app', '@tinyhttp/router']
const STYLE: ExpressStyle = {
  verbs: [...HTTP_METHODS, 'all'],
  packages: PACKAGES,
  isRouterClass: (ctor) => ctor === 'App' || ctor === 'Router',
  routeIsSubApp: true,
  chains: true,
}

export const extractor = defineExtractor({
  id: 'tinyhttp',
  family: 'js',
  docs: 'https://tinyhttp.v1rtl.site/docs/api/application',
  detect: (m) => PACKAGES.some((p) => m.dependencies.has(p)),
  needles: callNeedles([...STYLE.verbs, 'use', 'route']),
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [] }
    // An Express, Koa, Fastify, Hono or hapi file under a manifest that also lists tinyhttp (or none).
    if (belongsToOtherFramework(file.module, 'tinyhttp')) return facts
    const { routes, mounts } = expressStyleFacts(file, ctx, STYLE)
    facts.routes.push(...routes)
    facts.mounts.push(...mounts)
    return facts
  },
})

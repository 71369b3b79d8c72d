// parity's route tap. `parity run` loads it into a Node system it starts (`NODE_OPTIONS=--import <this file>`)
// with PARITY_ROUTE_TAP naming a folder: it records every route the web framework really registers
// (Express 4 and 5, Fastify, Koa's @koa/router or koa-router; NestJS through its Express or Fastify
// adapter; Hono through its routers, less the sub-apps mounted with `route()`) and writes them to <folder>/routes-<pid>.json when the server listens, again shortly after,
// and at exit. It only reads: no request is changed, nothing is sent anywhere. Plain JavaScript with no
// dependency, so that it loads into any Node program whatever its build.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const folder = process.env.PARITY_ROUTE_TAP
if (folder) await install(folder)

async function install(folder) {
  /** Frameworks resolved from the program's folder: the copy it will import shares our patches (one module cache). */
  const load = createRequire(join(process.cwd(), 'parity-route-tap.cjs'))
  const frameworks = new Set()
  const notes = []
  const servers = []
  const koaRouters = new Set()
  const honoRoutes = new Map() // Hono router -> its routes
  const nestedHono = new WeakSet() // routers of sub-apps, copied into their parent by `route()`
  const nestedRouters = new WeakSet()
  const fastifyRoutes = new Map() // find-my-way router -> its routes
  const routesOf = new WeakMap() // express router -> [{ path, route }]
  const mountsOf = new WeakMap() // express router or app -> [{ path, child }]

  const attempt = (name, patch) => {
    let mod
    try {
      mod = load(name)
    } catch {
      return
    }
    try {
      patch(mod, load.resolve(name))
    } catch (e) {
      notes.push(`${name}: the tap could not attach (${e?.message})`)
    }
  }

  attempt('express', (express) => {
    // Express 4's router functions inherit `proto`; Express 5's (the `router` package) a Router instance whose prototype holds the methods.
    let proto = Object.getPrototypeOf(express.Router())
    while (proto && !Object.hasOwn(proto, 'route')) proto = Object.getPrototypeOf(proto)
    if (!proto) throw new Error('no Router prototype with route()')
    const route = proto.route
    proto.route = function (path) {
      const r = route.apply(this, arguments)
      push(routesOf, this, { path, route: r })
      return r
    }
    const use = proto.use
    proto.use = function (first) {
      const path = typeof first === 'string' || Array.isArray(first) || first instanceof RegExp ? first : '/'
      for (const fn of [...arguments].flat()) if (typeof fn === 'function' && Array.isArray(fn.stack)) push(mountsOf, this, { path, child: fn })
      return use.apply(this, arguments)
    }
    // A sub-application (`app.use('/admin', adminApp)`) is wrapped before it reaches the router: record it here.
    const appUse = express.application.use
    express.application.use = function (first) {
      const path = typeof first === 'string' || Array.isArray(first) ? first : '/'
      for (const fn of [...arguments].flat())
        if (typeof fn === 'function' && typeof fn.handle === 'function' && typeof fn.set === 'function') push(mountsOf, this, { path, child: fn })
      return appUse.apply(this, arguments)
    }
  })

  // Fastify hands every route, its prefix applied, to its router (find-my-way): a CommonJS module that
  // every copy of Fastify loaded from this folder shares, however the program imports Fastify.
  attempt('fastify', (_fastify, file) => {
    const Router = createRequire(file)('find-my-way')
    const on = Router.prototype.on
    Router.prototype.on = function (method, path) {
      frameworks.add('fastify')
      const list = fastifyRoutes.get(this) ?? []
      fastifyRoutes.set(this, list)
      for (const m of [].concat(method)) list.push({ method: String(m).toUpperCase(), path: fmwPath(String(path)), framework: 'fastify' })
      return on.apply(this, arguments)
    }
  })

  // Koa's routers (@koa/router, koa-router) copy a nested router's routes into their parent, prefixed:
  // the routers whose middleware the program takes, less those nested in another, hold every route.
  for (const name of ['@koa/router', 'koa-router']) {
    attempt(name, (Router) => {
      const proto = Router.prototype
      const routes = proto.routes
      proto.routes = proto.middleware = function () {
        koaRouters.add(this)
        const dispatch = routes.apply(this, arguments)
        return dispatch
      }
      const use = proto.use
      proto.use = function () {
        for (const fn of [...arguments].flat()) if (fn?.router) nestedRouters.add(fn.router)
        return use.apply(this, arguments)
      }
    })
  }

  // Hono (ESM first, CommonJS too): the copy the program imports is the one its package exports for
  // `import`, which this module imports by the same URL; each router records what is added to it.
  await attemptHono()
  async function attemptHono() {
    let dir
    try {
      dir = dirname(load.resolve('hono'))
      while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== 'hono') {
        if (dirname(dir) === dir) return
        dir = dirname(dir)
      }
    } catch {
      return
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const copies = async (sub) => {
      const out = []
      const e = pkg.exports?.[sub]
      const target = typeof e === 'string' ? e : e && (e.import || e.default)
      if (target) {
        try {
          out.push(await import(pathToFileURL(join(dir, typeof target === 'string' ? target : target.default)).href))
        } catch {}
      }
      try {
        out.push(load(sub === '.' ? 'hono' : `hono/${sub.slice(2)}`))
      } catch {}
      return out
    }
    try {
      for (const mod of await copies('.')) {
        let proto = mod.Hono?.prototype
        while (proto && !Object.hasOwn(proto, 'route')) proto = Object.getPrototypeOf(proto)
        if (!proto || proto.__parityTapped) continue
        proto.__parityTapped = true
        const route = proto.route
        proto.route = function (_path, app) {
          if (app?.router) nestedHono.add(app.router)
          return route.apply(this, arguments)
        }
      }
      for (const [sub, name] of [
        ['./router/smart-router', 'SmartRouter'],
        ['./router/reg-exp-router', 'RegExpRouter'],
        ['./router/trie-router', 'TrieRouter'],
        ['./router/pattern-router', 'PatternRouter'],
        ['./router/linear-router', 'LinearRouter'],
      ]) {
        for (const mod of await copies(sub)) {
          const proto = mod[name]?.prototype
          if (!proto || proto.__parityTapped) continue
          proto.__parityTapped = true
          const add = proto.add
          proto.add = function (method, path) {
            frameworks.add('hono')
            push(honoRoutes, this, { method: String(method).toUpperCase(), path: String(path) })
            return add.apply(this, arguments)
          }
        }
      }
    } catch (e) {
      notes.push(`hono: the tap could not attach (${e?.message})`)
    }
  }

  const listen = net.Server.prototype.listen
  net.Server.prototype.listen = function () {
    servers.push(this)
    this.once('listening', () => {
      write()
      setTimeout(write, 300).unref()
    })
    return listen.apply(this, arguments)
  }
  process.once('exit', write)

  function write() {
    // Fastify's second router answers 404s (`/` and `/*`, every method): a fallback, not routes.
    const routes = [...fastifyRoutes.values()].filter((list) => !list.every((r) => r.path === '/' || r.path === '/{*}')).flat()
    for (const server of servers) {
      for (const listener of server.listeners('request'))
        if (typeof listener === 'function' && (listener._router || listener.router)) walkApp(listener, '', routes, new Set())
    }
    for (const router of koaRouters) {
      if (nestedRouters.has(router) || !Array.isArray(router.stack)) continue
      frameworks.add('koa')
      for (const layer of router.stack) for (const method of layer.methods || []) routes.push({ method, path: koaPath(layer.path), framework: 'koa' })
    }
    // Hono's middleware (`app.use`) is registered as ALL on a wildcard path: not a route.
    for (const [router, list] of honoRoutes) {
      if (nestedHono.has(router)) continue
      for (const r of list) if (!(r.method === 'ALL' && r.path.endsWith('*'))) routes.push({ method: r.method, path: honoPath(r.path), framework: 'hono' })
    }
    try {
      writeFileSync(
        join(folder, `routes-${process.pid}.json`),
        JSON.stringify({ pid: process.pid, argv: process.argv.slice(1), frameworks: [...frameworks], notes, routes: dedupe(routes) }),
      )
    } catch {
      // The folder is parity's; if it is gone parity has stopped waiting.
    }
  }

  function walkApp(app, prefix, out, seen) {
    if (seen.has(app)) return
    seen.add(app)
    frameworks.add('express')
    const router = app._router || app.router
    if (router) walkRouter(router, prefix, out, seen)
    for (const { path, child } of mountsOf.get(app) || []) for (const p of paths(path)) walkApp(child, join2(prefix, p), out, seen)
  }

  function walkRouter(router, prefix, out, seen) {
    if (seen.has(router)) return
    seen.add(router)
    for (const { path, route } of routesOf.get(router) || []) {
      for (const p of paths(path)) {
        if (p === null) {
          notes.push(`express: a route written as a regular expression under ${prefix || '/'} is not listed`)
          continue
        }
        for (const m of Object.keys(route.methods || {}))
          out.push({ method: m === '_all' ? 'ALL' : m.toUpperCase(), path: expressPath(join2(prefix, p)), framework: 'express' })
      }
    }
    for (const { path, child } of mountsOf.get(router) || []) for (const p of paths(path)) if (p !== null) walkRouter(child, join2(prefix, p), out, seen)
  }
}

function push(map, key, value) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** The string paths of a registration: an array's items; null for a regular expression. */
function paths(path) {
  if (Array.isArray(path)) return path.flatMap(paths)
  return [typeof path === 'string' ? path : null]
}

function join2(a, b) {
  if (!b || b === '/') return a || '/'
  return `${a.replace(/\/$/, '')}/${b.replace(/^\//, '')}`
}

/** `/users/:id(\\d+)`, Express 5's `{/:opt}` and `*splat`: parity's `/users/{id}` and `{*}`. */
function expressPath(p) {
  return p
    .replace(/\{([/.][^{}]*)\}/g, '$1')
    .replace(/:([A-Za-z0-9_$]+)(\([^)]*\))?\??/g, '{$1}')
    .replace(/\*[A-Za-z0-9_$]*/g, '{*}')
}

/** find-my-way's `/users/:id`, `/files/*`: parity's `/users/{id}`, `/files/{*}`. */
function fmwPath(p) {
  return p.replace(/:([A-Za-z0-9_$]+)(\([^)]*\))?/g, '{$1}').replace(/\*$/, '{*}')
}

/** Hono's `/users/:id{[0-9]+}`, `/files/*`: parity's `/users/{id}`, `/files/{*}`. */
function honoPath(p) {
  return p.replace(/:([A-Za-z0-9_$]+)(\{[^}]*\})?\??/g, '{$1}').replace(/\*$/, '{*}')
}

function koaPath(p) {
  return p.replace(/:([A-Za-z0-9_$]+)(\([^)]*\))?[?+*]?/g, '{$1}').replace(/\(\.\*\)/g, '{*}')
}

/**
 * One entry per method and path; GET's automatic HEAD (Fastify, Koa) is not a route of its own, nor
 * the trailing-slash twin Fastify registers for a plugin's `/` (`/api/x` and `/api/x/`).
 */
function dedupe(routes) {
  const seen = new Set()
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.path))
  const keys = new Set(routes.map((r) => `${r.method} ${r.path}`))
  return routes.filter((r) => {
    if (r.method === 'HEAD' && gets.has(r.path)) return false
    if (r.path.length > 1 && r.path.endsWith('/') && keys.has(`${r.method} ${r.path.slice(0, -1)}`)) return false
    const k = `${r.method} ${r.path}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

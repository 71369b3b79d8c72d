/**
 * Standalone WebSocket servers: the `ws` package (https://github.com/websockets/ws#usage-examples)
 * and uWebSockets.js (https://unetworking.github.io/uWebSockets.js/generated/interfaces/TemplatedApp.html).
 * `new WebSocketServer({ path })` / `new WebSocket.Server({ path })`: one websocket item at its
 * path; with no `path` ws accepts every path and the item is listed at `/`; with `noServer` the
 * path is read from the `if (pathname === '/x') wss.handleUpgrade(...)` that routes upgrades to it.
 * uWebSockets.js apps: `.ws(path, behavior)` and HTTP routes `.get/.post/.../.del/.any(path, handler)`.
 */
import type { SgNode } from '@ast-grep/napi'
import { argsOf, escapeRegex, handlerName } from '../js-syntax.js'
import { importedFrom, optionOf } from '../js-options.js'
import { defineExtractor, type ExtractContext, type FileFacts, type ParsedFile, type PathExpr } from '../types.js'

const WS = ['ws']
const UWS = ['uWebSockets.js']
/** uWebSockets.js route methods and the HTTP method each serves. */
const UWS_VERBS: Record<string, string> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  del: 'DELETE',
  patch: 'PATCH',
  options: 'OPTIONS',
  head: 'HEAD',
  connect: 'CONNECT',
  trace: 'TRACE',
  any: 'ALL',
  ws: 'WS',
}

export const extractor = defineExtractor({
  id: 'ws',
  family: 'js',
  docs: 'https://github.com/websockets/ws#usage-examples',
  detect: (m) => m.dependencies.has('ws') || m.dependencies.has('uWebSockets.js'),
  needles: ['ws', 'uWebSockets.js'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [] }
    if (Object.values(file.module.imports).some((i) => i.module === 'ws')) wsServers(file, ctx, facts)
    if (Object.values(file.module.imports).some((i) => i.module === 'uWebSockets.js')) uwsRoutes(file, ctx, facts)
    return facts
  },
})

function wsServers(file: ParsedFile, ctx: ExtractContext, facts: FileFacts): void {
  for (const created of file.root.findAll({ rule: { kind: 'new_expression' } })) {
    const ctor = created.field('constructor')
    if (!ctor || !isWsServerClass(file, ctor)) continue
    const options = argsOf(created)[0]
    const decl = created.parent()?.kind() === 'variable_declarator' ? created.parent()! : undefined
    const name = decl?.field('name')?.text()
    const line = ctx.lineOf(created)
    const pathNode = optionOf(options, 'path')
    let path: PathExpr
    if (pathNode) path = ctx.pathOf(pathNode)
    else if (optionOf(options, 'noServer')?.text() === 'true')
      path = upgradeRoute(file, ctx, name) ?? [{ unknown: `the upgrade handler that routes to ${name ?? 'this server'}` }]
    else path = ['/']
    facts.routes.push({ kind: 'websocket', methods: ['WS'], path, owner: null, line, ...(name ? { handler: name } : {}) })
  }
}

/** `new WebSocketServer()`, `new Server()` imported from ws, `new WebSocket.Server()`; not the client `new WebSocket(url)`. */
function isWsServerClass(file: ParsedFile, ctor: SgNode): boolean {
  if (ctor.kind() === 'identifier') {
    const imp = file.module.imports[ctor.text()]
    return imp?.module === 'ws' && (imp.name === 'WebSocketServer' || imp.name === 'Server')
  }
  if (ctor.kind() === 'member_expression') {
    const prop = ctor.field('property')?.text()
    const obj = ctor.field('object')
    return (prop === 'Server' || prop === 'WebSocketServer') && obj?.kind() === 'identifier' && importedFrom(file.module, obj.text(), WS)
  }
  return false
}

/**
 * ws's documented way to share one HTTP server: `server.on('upgrade')` compares the pathname and
 * hands the request to one `noServer` server. The path is the string compared in the `if` around
 * `wss.handleUpgrade(...)`.
 */
function upgradeRoute(file: ParsedFile, ctx: ExtractContext, name: string | undefined): PathExpr | undefined {
  if (!name) return undefined
  const call = file.root.find({
    rule: {
      kind: 'call_expression',
      has: {
        field: 'function',
        kind: 'member_expression',
        all: [{ has: { field: 'object', regex: `^${escapeRegex(name)}$` } }, { has: { field: 'property', regex: '^handleUpgrade$' } }],
      },
    },
  })
  for (let cur = call?.parent(); cur; cur = cur.parent()) {
    if (cur.kind() !== 'if_statement') continue
    const test = cur.field('condition')?.find({ rule: { kind: 'binary_expression', has: { field: 'operator', regex: '^===?$' } } })
    if (!test) return undefined
    const [left, right] = [test.field('left'), test.field('right')]
    const literal = left?.kind() === 'string' ? left : right?.kind() === 'string' ? right : undefined
    const other = literal === left ? right : left
    if (!literal || !other || !/pathname|url|path/i.test(other.text())) return undefined
    return ctx.pathOf(literal)
  }
  return undefined
}

function uwsRoutes(file: ParsedFile, ctx: ExtractContext, facts: FileFacts): void {
  // Names bound to an app: `const app = uWS.App()`, and parameters typed `TemplatedApp`.
  const apps = new Set<string>()
  for (const decl of file.root.findAll({ rule: { kind: 'variable_declarator' } })) {
    const value = decl.field('value')
    const name = decl.field('name')
    if (value && name?.kind() === 'identifier' && isApp(value)) apps.add(name.text())
  }
  if (file.language !== 'javascript') {
    for (const param of file.root.findAll({ rule: { kind: 'required_parameter', has: { field: 'type', regex: 'TemplatedApp$' } } })) {
      const name = param.field('pattern')
      if (name?.kind() === 'identifier') apps.add(name.text())
    }
  }

  const verbs = `^(${Object.keys(UWS_VERBS).join('|')})$`
  for (const call of file.root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: verbs } } },
  })) {
    const callee = call.field('function')!
    if (!isApp(callee.field('object')!)) continue
    const verb = callee.field('property')!.text()
    const args = argsOf(call)
    if (args.length < 2) continue
    const method = UWS_VERBS[verb]!
    const handler = method === 'WS' ? undefined : handlerName(args[1])
    facts.routes.push({
      kind: method === 'WS' ? 'websocket' : 'route',
      methods: [method],
      path: ctx.pathOf(args[0]!),
      owner: null,
      line: ctx.lineOf(callee.field('property')!),
      framework: 'uWebSockets.js',
      ...(handler ? { handler } : {}),
    })
  }

  /** An app: `uWS.App()`, `SSLApp()`, a name bound to one, or a route call chained on one. */
  function isApp(node: SgNode): boolean {
    const k = node.kind()
    if (k === 'identifier') return apps.has(node.text())
    if (k !== 'call_expression') return false
    const fn = node.field('function')
    if (!fn) return false
    if (fn.kind() === 'identifier') return /^(SSL)?App$/.test(fn.text()) && importedFrom(file.module, fn.text(), UWS)
    if (fn.kind() !== 'member_expression') return false
    const prop = fn.field('property')?.text() ?? ''
    const obj = fn.field('object')!
    if (/^(SSL)?App$/.test(prop)) return obj.kind() === 'identifier' && importedFrom(file.module, obj.text(), UWS)
    return prop in UWS_VERBS && isApp(obj)
  }
}

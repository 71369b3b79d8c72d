/**
 * socket.io servers and namespaces: https://socket.io/docs/v4/namespaces/
 *
 * Path convention (shared with NestJS gateways): one websocket item per namespace, at the server's
 * engine path (`path` option, default `/socket.io`) followed by the namespace: the default
 * namespace of `new Server(http, { path: '/realtime' })` is `WS /realtime`, `io.of('/chat')` is
 * `WS /realtime/chat`. A namespace registered in another file (`registerChat(io)`) gets the
 * engine path through a mount; a regex or function namespace is unresolved.
 */
import type { SgNode } from '@ast-grep/napi'
import { argsOf, isPackageImport, ownerOf } from '../js-syntax.js'
import { importedFrom, optionOf } from '../js-options.js'
import { defineExtractor, type FileFacts, type ParsedFile, type PathExpr, type SymbolRef } from '../types.js'

const PACKAGES = ['socket.io']
const ENGINE_PATH = '/socket.io'

export const extractor = defineExtractor({
  id: 'socket-io',
  family: 'js',
  docs: 'https://socket.io/docs/v4/namespaces/',
  detect: (m) => m.dependencies.has('socket.io'),
  needles: ['socket.io', '.of('],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    /** Names bound to a server in this file -> the owner its namespaces are registered on. */
    const servers = new Map<string, string>()
    for (const created of file.root.findAll({ rule: { any: [{ kind: 'new_expression' }, { kind: 'call_expression' }] } })) {
      const options = serverOptions(file, created)
      if (!options) continue
      const parent = created.parent()
      // `const io = new Server(..)`, or a field: `this.io = new Server(..)`.
      const name =
        parent?.kind() === 'variable_declarator' ? parent.field('name') : parent?.kind() === 'assignment_expression' ? parent.field('left') : undefined
      if (name?.kind() !== 'identifier' && !(name?.kind() === 'member_expression' && /^this\.\w+$/.test(name.text()))) continue
      const owner = ownerOf(created, name.text())
      servers.set(name.text(), owner)
      const line = ctx.lineOf(created)
      const pathNode = optionOf(options.object, 'path')
      facts.mounts.push({ parent: null, child: { name: owner }, prefix: pathNode ? ctx.pathOf(pathNode) : [ENGINE_PATH], line })
      // The default namespace `/` is always served.
      facts.routes.push({ kind: 'websocket', methods: ['WS'], path: [], owner, line, handler: name.text() })
    }

    const seen = new Set<string>()
    for (const call of file.root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: '^of$' } } },
    })) {
      const object = call.field('function')!.field('object')!
      if (object.kind() !== 'identifier' || !isServer(file, call, object.text(), servers)) continue
      const arg = argsOf(call)[0]
      if (!arg) continue
      const owner = servers.get(object.text()) ?? ownerOf(call, object.text())
      const path: PathExpr =
        arg.kind() === 'string' || arg.kind() === 'template_string' || arg.kind() === 'identifier' || arg.kind() === 'member_expression'
          ? ctx.pathOf(arg)
          : [{ unknown: arg.kind() === 'regex' ? `namespace ${arg.text()}` : 'a namespace chosen by a function' }]
      const key = `${owner} ${JSON.stringify(path)}`
      if (seen.has(key) || (path.length === 1 && path[0] === '/')) continue
      seen.add(key)
      facts.routes.push({ kind: 'websocket', methods: ['WS'], path, owner, line: ctx.lineOf(call) })
      // A function handed the server from elsewhere: reported if no mount of it is found.
      if (!servers.has(object.text()) && owner !== object.text() && !facts.routers!.some((r) => r.name === owner)) {
        facts.routers!.push({ name: owner, line: ctx.lineOf(call) })
      }
    }

    // `registerChat(io)`: the function registers its namespaces on this server.
    for (const call of file.root.findAll({ rule: { kind: 'call_expression' } })) {
      const server = argsOf(call).find((a) => a.kind() === 'identifier' && servers.has(a.text()))
      if (!server) continue
      const child = calleeRef(file, call.field('function'))
      if (child) facts.mounts.push({ parent: servers.get(server.text())!, child, prefix: [], line: ctx.lineOf(call) })
    }
    return facts
  },
})

/** `new Server(http, opts)`, `new io.Server(opts)`, `require('socket.io')(http, opts)`, `socketio(http, opts)`: its options object. */
function serverOptions(file: ParsedFile, node: SgNode): { object: SgNode | undefined } | undefined {
  const args = argsOf(node)
  const object = args.find((a) => a.kind() === 'object')
  if (node.kind() === 'new_expression') {
    const ctor = node.field('constructor')
    if (ctor?.kind() === 'identifier') {
      const imp = file.module.imports[ctor.text()]
      return imp?.module === 'socket.io' && (imp.name === 'Server' || imp.name === 'default') ? { object } : undefined
    }
    if (ctor?.kind() === 'member_expression' && ctor.field('property')?.text() === 'Server') {
      const obj = ctor.field('object')
      return obj?.kind() === 'identifier' && importedFrom(file.module, obj.text(), PACKAGES) ? { object } : undefined
    }
    return undefined
  }
  const fn = node.field('function')
  if (fn?.kind() === 'identifier') {
    const imp = file.module.imports[fn.text()]
    return imp?.module === 'socket.io' && imp.name === 'default' ? { object } : undefined
  }
  if (fn?.kind() === 'call_expression' && fn.field('function')?.text() === 'require' && argsOf(fn)[0]?.text().slice(1, -1) === 'socket.io') return { object }
  return undefined
}

/** A server here, or a parameter typed with a socket.io type or named `io`. */
function isServer(file: ParsedFile, at: SgNode, name: string, servers: Map<string, string>): boolean {
  if (servers.has(name)) return true
  if (name === 'io') return true
  for (let cur = at.parent(); cur; cur = cur.parent()) {
    const params = cur.field('parameters')
    if (!params) continue
    for (const p of params.namedChildren()) {
      if (p.field('pattern')?.text() !== name) continue
      const type = p.field('type')?.namedChildren()[0]
      const head = type?.text().split(/[.<]/)[0]
      return !!head && importedFrom(file.module, head, PACKAGES)
    }
  }
  return false
}

function calleeRef(file: ParsedFile, fn: SgNode | null): SymbolRef | undefined {
  if (!fn) return undefined
  if (fn.kind() === 'identifier') return isPackageImport(file, fn.text()) ? undefined : { name: fn.text() }
  if (fn.kind() === 'call_expression' && fn.field('function')?.text() === 'require') {
    const spec = argsOf(fn)[0]
    return spec?.kind() === 'string' ? { module: spec.text().slice(1, -1), name: 'default' } : undefined
  }
  return undefined
}

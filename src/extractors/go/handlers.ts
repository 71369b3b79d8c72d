/**
 * What a route's handler is: its name, net/http's wrappers (`http.StripPrefix`, `http.FileServer`),
 * and the kind of endpoint its body makes (a WebSocket upgrade, a Server-Sent Events stream).
 */
import type { SgNode } from '@ast-grep/napi'
import type { EndpointKind } from '../../model/inventory.js'
import type { GoFile } from './file.js'
import { isModule } from './library.js'
import { argsOf, MAX_VALUE_DEPTH } from './nodes.js'

/** Text of handlers that upgrade to a WebSocket or stream events: their files are read for the handler kinds. */
export const STREAM_NEEDLES = ['Upgrade(', 'websocket.', 'text/event-stream', '.SSEvent(', '.Stream(']

/** `getUser`, `h.GetUser`, `s.handleIndex()`, `http.HandlerFunc(f)`: the handler's name; undefined for an inline function. */
export function handlerName(node: SgNode | undefined): string | undefined {
  if (!node) return undefined
  const k = node.kind()
  if (k === 'identifier') return node.text()
  if (k === 'selector_expression') return node.field('field')?.text()
  if (k === 'call_expression') {
    const fn = node.field('function')
    const args = argsOf(node)
    // `http.HandlerFunc(f)`, `adaptor.HTTPHandlerFunc(f)`: the wrapped function; `s.handleIndex()`: the factory.
    const wrapped = args.find((a) => a.kind() === 'identifier' || a.kind() === 'selector_expression')
    if (
      fn?.kind() === 'selector_expression' &&
      wrapped &&
      args.length === 1 &&
      /^[A-Z]/.test(fn.field('field')?.text() ?? '') &&
      fn.field('operand')?.kind() === 'identifier'
    ) {
      const name = handlerName(wrapped)
      if (name) return name
    }
    return fn ? handlerName(fn) : undefined
  }
  return undefined
}

/** `http.StripPrefix(prefix, h)`: its prefix and the wrapped handler. */
export function stripPrefixOf(g: GoFile, node: SgNode): { prefix: SgNode; handler: SgNode } | undefined {
  if (node.kind() !== 'call_expression') return undefined
  const fn = node.field('function')
  if (fn?.kind() !== 'selector_expression' || fn.field('field')?.text() !== 'StripPrefix') return undefined
  const pkg = fn.field('operand')
  if (pkg?.kind() !== 'identifier' || g.importOf(pkg.text()) !== 'net/http') return undefined
  const [prefix, handler] = argsOf(node)
  return prefix && handler ? { prefix, handler } : undefined
}

/**
 * `http.FileServer(...)`, `http.FileServerFS(...)`: net/http's static file handler, also behind
 * `http.StripPrefix` or held in a local (`fs := http.FileServer(dir)`). Static files are no endpoints.
 */
export function isFileServer(g: GoFile, node: SgNode, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) return false
  if (node.kind() === 'identifier') {
    const value = g.bindingOf(node, node.text())?.value
    return !!value && isFileServer(g, value, depth + 1)
  }
  if (node.kind() !== 'call_expression') return false
  const strip = stripPrefixOf(g, node)
  if (strip) return isFileServer(g, strip.handler, depth + 1)
  const fn = node.field('function')
  const pkg = fn?.kind() === 'selector_expression' ? fn.field('operand') : undefined
  return pkg?.kind() === 'identifier' && g.importOf(pkg.text()) === 'net/http' && /^FileServer(FS)?$/.test(fn!.field('field')?.text() ?? '')
}

function isWebSocketPackage(path: string): boolean {
  return (
    isModule(path, 'nhooyr.io/websocket') ||
    isModule(path, 'github.com/coder/websocket') ||
    isModule(path, 'github.com/gofiber/websocket') ||
    isModule(path, 'github.com/gofiber/contrib/websocket') ||
    path === 'golang.org/x/net/websocket'
  )
}

const kinds = new WeakMap<GoFile, Record<string, EndpointKind>>()

/** Functions and methods of this file that upgrade to a WebSocket or stream SSE, by name. */
export function handlerKinds(g: GoFile): Record<string, EndpointKind> {
  const hit = kinds.get(g)
  if (hit) return hit
  const out: Record<string, EndpointKind> = {}
  for (const fn of g.file.root.findAll({ rule: { any: [{ kind: 'function_declaration' }, { kind: 'method_declaration' }] } })) {
    const name = fn.field('name')?.text()
    const kind = bodyKind(g, fn)
    if (name && kind) out[name] = kind
  }
  kinds.set(g, out)
  return out
}

/** `websocket` when a function body upgrades the connection, `sse` when it streams events. */
function bodyKind(g: GoFile, node: SgNode): EndpointKind | undefined {
  for (const call of node.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression' } } })) {
    const fn = call.field('function')!
    const name = fn.field('field')?.text()
    const pkg = fn.field('operand')
    const path = pkg?.kind() === 'identifier' ? g.importOf(pkg.text()) : undefined
    if (name === 'Upgrade' && argsOf(call).length === 3) return 'websocket' // gorilla/websocket
    if (path && isWebSocketPackage(path) && (name === 'Accept' || name === 'New' || name === 'Handler')) return 'websocket'
  }
  if (node.find({ rule: { kind: 'interpreted_string_literal', regex: 'text/event-stream' } })) return 'sse'
  // `c.Stream(...)` streams only on a context of a library that says so (gin); `Stream` is too common a name otherwise.
  const streams = ['SSEvent', ...g.importedLibraries().flatMap((l) => l.streams ?? [])]
  if (
    node.find({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: `^(${streams.join('|')})$` } } },
    })
  )
    return 'sse'
  return undefined
}

/** A route's kind when its handler shows it (an inline function, `websocket.New(...)`); otherwise left to the handler's name. */
export function handlerKind(g: GoFile, handler: SgNode | undefined): EndpointKind | undefined {
  if (!handler) return undefined
  const k = handler.kind()
  if (k === 'func_literal') return bodyKind(g, handler)
  if (k === 'call_expression') {
    const fn = handler.field('function')
    const pkg = fn?.kind() === 'selector_expression' ? fn.field('operand') : null
    const path = pkg?.kind() === 'identifier' ? g.importOf(pkg.text()) : undefined
    if (path && isWebSocketPackage(path)) return 'websocket'
    for (const arg of argsOf(handler)) if (arg.kind() === 'func_literal') return bodyKind(g, arg)
  }
  return undefined
}

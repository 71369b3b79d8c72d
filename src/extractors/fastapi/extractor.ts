/**
 * FastAPI: https://fastapi.tiangolo.com/tutorial/bigger-applications/
 * `@app.get("/p")` and the other verbs, `@app.api_route("/p", methods=[...])`, `@app.websocket`,
 * `APIRouter(prefix=...)`, `include_router(router, prefix=...)` across modules and nested,
 * `add_api_route`, `add_api_websocket_route`, `app.mount("/sub", subapp)`; handlers returning
 * `EventSourceResponse` or a `text/event-stream` `StreamingResponse` are SSE endpoints.
 */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../../languages/python.js'
import {
  argument,
  baseNames,
  callArgs,
  calleeName,
  decoratorCalls,
  dottedName,
  lineOf,
  methodCall,
  methodCalls,
  stringList,
  symbolOf,
  topLevelClasses,
} from '../py-syntax.js'
import { defineExtractor, type FileFacts, type RouteFact } from '../types.js'

const VERBS = new Set(['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'trace'])

export const extractor = defineExtractor({
  id: 'fastapi',
  family: 'python',
  docs: 'https://fastapi.tiangolo.com/tutorial/bigger-applications/',
  detect: (m) => m.dependencies.has('fastapi'),
  needles: ['FastAPI', 'APIRouter', 'include_router', 'add_api_route', 'add_api_websocket_route'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const root = file.root

    // `APIRouter(prefix=)`, a subclass of it written here, or an imported one named so (`UserAPIRouter(prefix="/users")`).
    const routerClasses = new Set(['APIRouter'])
    const classes = topLevelClasses(root)
    for (let grew = true; grew; ) {
      grew = false
      for (const [name, cls] of classes) {
        if (!routerClasses.has(name) && baseNames(cls).some((b) => routerClasses.has(b))) grew = !!routerClasses.add(name)
      }
    }
    for (const assign of root.findAll({ rule: { kind: 'assignment', has: { field: 'right', kind: 'call' } } })) {
      const call = assign.field('right')!
      const callee = calleeName(call) ?? ''
      const name = assign.field('left') && dottedName(assign.field('left')!)
      const prefix = callArgs(call).keywords.get('prefix')
      const imported = !classes.has(callee) && callee.endsWith('Router') && prefix
      if (!name || !(routerClasses.has(callee) || imported)) continue
      facts.routers!.push({ name, line: lineOf(call), ...(prefix ? { prefix: ctx.pathOf(prefix) } : {}) })
    }

    const decorated: Array<{ call: SgNode; definition?: SgNode; handler?: string }> = decoratorCalls(root).map(({ call, definition }) => ({
      call,
      definition,
      ...(definition.kind() === 'function_definition' && definition.field('name') ? { handler: definition.field('name')!.text() } : {}),
    }))
    // A decorator applied by hand, `app.get("/r/{slug}")(serve_recipe)`: the path must be a literal `/...`,
    // so that `handlers.get(name)(request)` stays a lookup.
    for (const outer of root.findAll({ rule: { kind: 'call', has: { field: 'function', kind: 'call' } } })) {
      const call = outer.field('function')!
      const literal = callArgs(call).positional[0]
      const fn = callArgs(outer).positional[0]
      const handler = fn && dottedName(fn)
      if (!handler || callArgs(outer).positional.length !== 1 || !literal || !pyStringLiteral(literal)?.startsWith('/')) continue
      decorated.push({ call, handler, ...(findFunction(root, handler) ? { definition: findFunction(root, handler)! } : {}) })
    }

    for (const { call, definition, handler } of decorated) {
      const m = methodCall(call)
      const owner = m && dottedName(m.object)
      if (!m || !owner) continue
      const args = callArgs(call)
      const path = argument(args, 0, 'path')
      if (!path) continue
      let methods: string[] | undefined
      let kind: RouteFact['kind'] = 'route'
      if (VERBS.has(m.method)) methods = [m.method.toUpperCase()]
      else if (m.method === 'api_route') methods = methodsOf(args.keywords.get('methods'))
      else if (m.method === 'websocket' || m.method === 'websocket_route') {
        methods = ['WS']
        kind = 'websocket'
      }
      if (!methods) continue
      if (kind === 'route' && (isEventStream(args.keywords.get('response_class')) || (definition && streamsEvents(definition)))) kind = 'sse'
      facts.routes.push({ kind, methods, path: ctx.pathOf(path), owner, line: lineOf(call), ...(handler ? { handler } : {}) })
    }

    for (const { call, object, method } of methodCalls(root, ['include_router', 'add_api_route', 'add_api_websocket_route', 'mount'])) {
      const owner = dottedName(object)
      if (!owner) continue
      const args = callArgs(call)
      const line = lineOf(call)
      if (method === 'include_router') {
        const child = args.positional[0] ?? args.keywords.get('router')
        const ref = child && symbolOf(child)
        if (!ref) {
          ctx.diagnose({ code: 'UNSUPPORTED_FORM', line, message: `include_router of \`${child?.text() ?? '?'}\`: parity follows only router variables` })
          continue
        }
        const prefix = args.keywords.get('prefix')
        facts.mounts.push({ parent: owner, child: ref, prefix: prefix ? ctx.pathOf(prefix) : [], line })
      } else if (method === 'mount') {
        // `app.mount("/static", StaticFiles(...))` serves files, not routes parity can list.
        const path = argument(args, 0, 'path')
        const child = argument(args, 1, 'app')
        const ref = child && symbolOf(child)
        if (path && ref) facts.mounts.push({ parent: owner, child: ref, prefix: ctx.pathOf(path), line })
      } else {
        const path = argument(args, 0, 'path')
        const endpoint = argument(args, 1, 'endpoint')
        if (!path) continue
        const websocket = method === 'add_api_websocket_route'
        const handler = endpoint && dottedName(endpoint)
        const handlerDef = handler ? findFunction(root, handler) : undefined
        facts.routes.push({
          kind: websocket ? 'websocket' : handlerDef && streamsEvents(handlerDef) ? 'sse' : 'route',
          methods: websocket ? ['WS'] : methodsOf(args.keywords.get('methods')),
          path: ctx.pathOf(path),
          owner,
          line,
          ...(handler ? { handler } : {}),
        })
      }
    }
    return facts
  },
})

/** `methods=["GET", "POST"]`; FastAPI's default is GET. */
function methodsOf(node: SgNode | undefined): string[] {
  if (!node) return ['GET']
  const list = stringList(node)
  return list?.length ? list.map((m) => m.toUpperCase()) : ['ALL']
}

function isEventStream(node: SgNode | undefined): boolean {
  return !!node && dottedName(node)?.split('.').pop() === 'EventSourceResponse'
}

/** The handler returns `EventSourceResponse(...)` or `StreamingResponse(..., media_type="text/event-stream")`. */
function streamsEvents(definition: SgNode): boolean {
  for (const call of definition.findAll({ rule: { kind: 'call', inside: { kind: 'return_statement', stopBy: 'end' } } })) {
    const fn = call.field('function')
    const name = fn && dottedName(fn)?.split('.').pop()
    if (name === 'EventSourceResponse') return true
    if (name === 'StreamingResponse') {
      const media = callArgs(call).keywords.get('media_type')
      if (media && pyStringLiteral(media) === 'text/event-stream') return true
    }
  }
  return false
}

function findFunction(root: SgNode, name: string): SgNode | undefined {
  return root.find({ rule: { kind: 'function_definition', has: { field: 'name', regex: `^${name.replace(/\./g, '\\.')}$` } } }) ?? undefined
}

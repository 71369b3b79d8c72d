/**
 * Django URLconfs and Django Channels: https://docs.djangoproject.com/en/stable/topics/http/urls/
 * and https://channels.readthedocs.io/en/stable/topics/routing.html
 * `urlpatterns = [path(...), re_path(...), url(...)]`, `+=` and `+` of lists, `include("app.urls")`,
 * `include(module)`, `include([...])`, `include(router.urls)` and `urlpatterns += router.urls`
 * (DRF routers), `websocket_urlpatterns` and `URLRouter(...)` as WebSocket endpoints.
 * Every `urlpatterns` that no other URLconf includes is a root (the ROOT_URLCONF among them); other
 * pattern lists must be included somewhere. Views are `ALL` methods: class-based views live in
 * other files, except DRF's `ViewSet.as_view({"get": "list"})`, whose mapping names the methods.
 */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../../languages/python.js'
import { callArgs, calleeName, dottedName, lineOf, methodCall, methodCalls } from '../py-syntax.js'
import { defineExtractor, type FileFacts, type PathExpr, type PathPart, type RouteFact } from '../types.js'

const ROUTE_CALLS = new Set(['path', 're_path', 'url'])
const ROOT_LISTS = new Set(['urlpatterns', 'websocket_urlpatterns'])

export const extractor = defineExtractor({
  id: 'django',
  family: 'python',
  docs: 'https://docs.djangoproject.com/en/stable/topics/http/urls/',
  detect: (m) => m.dependencies.has('django') || m.dependencies.has('channels'),
  needles: ['urlpatterns', 'path(', 'url(', 'URLRouter'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const assignments = file.root.findAll({
      rule: {
        any: [{ kind: 'assignment' }, { kind: 'augmented_assignment' }],
        has: { field: 'left', kind: 'identifier' },
        not: { inside: { kind: 'function_definition', stopBy: 'end' } },
      },
    })
    const lists = new Set(assignments.map((a) => a.field('left')!.text()))
    const declared = new Set<string>()
    // `urlpatterns.append(path(...))` and `.extend([...])` written at the top level (not under a condition or in a loop).
    const grown = methodCalls(file.root, ['append', 'extend']).filter(
      ({ call, object }) => call.parent()?.kind() === 'expression_statement' && call.parent()?.parent()?.kind() === 'module' && lists.has(object.text()),
    )
    const statements = [...assignments, ...grown.map((g) => g.call)].sort((a, b) => a.range().start.index - b.range().start.index)
    const assigned = new Set<string>()
    // While a statement rebinds a list to a value built from itself, its earlier value's owner.
    const earlier = new Map<string, string>()

    for (const stmt of statements) {
      const call = stmt.kind() === 'call' ? methodCall(stmt) : undefined
      const owner = call ? call.object.text() : stmt.field('left')!.text()
      const right = call ? callArgs(stmt).positional[0] : stmt.field('right')
      if (!right) continue
      const websocket = owner === 'websocket_urlpatterns'
      if (!call && stmt.kind() === 'assignment' && assigned.has(owner) && refersTo(right, owner)) {
        // `urlpatterns = [path("", include((urlpatterns, "app")))]` wraps the earlier list; under an `if`
        // it depends on a setting, whose default leaves the list as it was.
        if (stmt.ancestors().some((a) => a.kind() === 'if_statement')) continue
        const previous = `${owner}@${lineOf(stmt)}`
        for (const route of facts.routes) if (route.owner === owner) route.owner = previous
        for (const mount of facts.mounts) if (mount.parent === owner) mount.parent = previous
        for (const router of facts.routers!) if (router.name === owner) router.name = previous
        if (!declared.has(owner)) facts.routers!.push({ name: previous, line: lineOf(stmt) })
        declared.delete(owner)
        earlier.set(owner, previous)
      }
      assigned.add(owner)
      const before = facts.routes.length + facts.mounts.length
      if (call?.method === 'append') element(right, owner, [], websocket)
      else collect(right, owner, [], websocket)
      earlier.clear()
      const found = facts.routes.length + facts.mounts.length > before
      if (found && !ROOT_LISTS.has(owner) && !declared.has(owner)) {
        declared.add(owner)
        facts.routers!.push({ name: owner, line: lineOf(stmt) })
      }
    }
    return facts

    /** A pattern list named in a statement: the earlier value of a list the statement rebinds. */
    function listName(name: string): string {
      return earlier.get(name) ?? name
    }

    /** A pattern list expression: a list, `a + b`, `format_suffix_patterns([...])`, `router.urls`. */
    function collect(expr: SgNode, owner: string, prefix: PathExpr, websocket: boolean): void {
      const k = expr.kind()
      if (k === 'list' || k === 'tuple') {
        for (const item of expr.namedChildren()) {
          if (item.kind() === 'call') element(item, owner, prefix, websocket)
          // `*router.urls`, `*other_patterns`: spliced in place.
          else if (item.kind() === 'list_splat' && item.namedChildren()[0]) collect(item.namedChildren()[0]!, owner, prefix, websocket)
        }
      } else if (k === 'identifier' && lists.has(expr.text())) {
        facts.mounts.push({ parent: owner, child: { name: listName(expr.text()) }, prefix, line: lineOf(expr) })
      } else if (k === 'binary_operator' && expr.field('operator')?.text() === '+') {
        collect(expr.field('left')!, owner, prefix, websocket)
        collect(expr.field('right')!, owner, prefix, websocket)
      } else if (k === 'call' && calleeName(expr) === 'format_suffix_patterns') {
        const first = callArgs(expr).positional[0]
        if (first) collect(first, owner, prefix, websocket)
      } else if (k === 'attribute' && expr.field('attribute')?.text() === 'urls') {
        const router = dottedName(expr.field('object')!)
        if (router) facts.mounts.push({ parent: owner, child: { name: router }, prefix, line: lineOf(expr) })
      }
    }

    /** One `path(route, view)` of a list: a route, or a mount of what `include()` names. */
    function element(call: SgNode, owner: string, prefix: PathExpr, websocket: boolean): void {
      const callee = calleeName(call)
      if (!callee || !ROUTE_CALLS.has(callee)) return
      const args = callArgs(call)
      const route = args.keywords.get('route') ?? args.positional[0]
      const view = args.keywords.get('view') ?? args.positional[1]
      if (!route || !view) return
      const own = ctx.pathOf(route)
      for (const variant of callee === 'path' ? [own] : regexPaths(own)) pattern(call, [...prefix, ...variant], view, owner, websocket)
    }

    function pattern(call: SgNode, path: PathExpr, view: SgNode, owner: string, websocket: boolean): void {
      const line = lineOf(call)
      const inner = view.kind() === 'call' ? calleeName(view) : undefined
      // `path("admin/", admin.site.urls)`: a `urls` attribute is included as `include()` would.
      const bareUrls = view.kind() === 'attribute' && view.field('attribute')?.text() === 'urls'
      if (inner === 'include' || inner === 'URLRouter' || bareUrls) {
        const target = bareUrls ? view : includeTarget(view)
        const ws = websocket || inner === 'URLRouter'
        if (!target) return
        if (target.kind() === 'list') {
          collect(target, owner, path, ws)
          return
        }
        const s = pyStringLiteral(target)
        if (s !== undefined) {
          facts.mounts.push({ parent: owner, child: { module: s, name: 'urlpatterns' }, prefix: path, line })
          return
        }
        const name = dottedName(target)
        if (!name) return
        if (name.endsWith('.urls')) {
          // `admin.site.urls` is Django's admin site: its pages are not the application's API.
          if (name !== 'admin.site.urls') facts.mounts.push({ parent: owner, child: { name: name.slice(0, -5) }, prefix: path, line })
        } else {
          // A pattern list of this file, or an imported URLconf module (`from blog import urls`).
          facts.mounts.push({
            parent: owner,
            child: { name: lists.has(name) ? listName(name) : `${name}.${ws ? 'websocket_urlpatterns' : 'urlpatterns'}` },
            prefix: path,
            line,
          })
        }
        return
      }
      const { handler, methods } = viewOf(view)
      const fact: RouteFact = { kind: websocket ? 'websocket' : 'route', methods: websocket ? ['WS'] : methods, path, owner, line }
      if (handler) fact.handler = handler
      facts.routes.push(fact)
    }
  },
})

/** The expression uses the name `name`. */
function refersTo(expr: SgNode, name: string): boolean {
  return expr.text() === name || !!expr.find({ rule: { kind: 'identifier', regex: `^${name}$` } })
}

/** `include("app.urls")`, `include(("app.urls", "app"), namespace=...)`, `include(router.urls)`: what is included. */
function includeTarget(call: SgNode): SgNode | undefined {
  const first = callArgs(call).positional[0] ?? callArgs(call).keywords.get('arg')
  if (first?.kind() === 'tuple') return first.namedChildren()[0]
  return first
}

/** A view's name, and its methods: `ALL`, or the keys of a DRF `as_view({"get": "list"})` mapping. */
function viewOf(view: SgNode): { handler?: string; methods: string[] } {
  if (view.kind() === 'call') {
    const m = methodCall(view)
    if (m && (m.method === 'as_view' || m.method === 'as_asgi')) {
      const handler = dottedName(m.object)
      const mapping = callArgs(view).positional[0]
      const methods = mapping?.kind() === 'dictionary' ? mappingMethods(mapping) : undefined
      return { ...(handler ? { handler } : {}), methods: methods?.length ? methods : ['ALL'] }
    }
    return { methods: ['ALL'] }
  }
  const handler = dottedName(view)
  return { ...(handler ? { handler } : {}), methods: ['ALL'] }
}

function mappingMethods(dict: SgNode): string[] {
  const out: string[] = []
  for (const pair of dict.namedChildren()) {
    const key = pair.kind() === 'pair' ? pair.field('key') : undefined
    const s = key && pyStringLiteral(key)
    if (s) out.push(s.toUpperCase())
  }
  return out
}

/**
 * The paths a `re_path` pattern matches, as parity lists them: an optional group `(?:/(?P<f>.+))?` gives
 * the path without it and with it, an optional trailing `/?` is the slash, and a bare `.*` is a catch-all.
 */
export function regexPaths(expr: PathExpr): PathExpr[] {
  const out: PathExpr[] = []
  const expand = (e: PathExpr, depth: number) => {
    const i = e.findIndex((p) => typeof p === 'string' && optionalGroup(p))
    if (i < 0 || depth > 3) {
      out.push(tidy(e))
      return
    }
    const g = optionalGroup(e[i] as string)!
    for (const text of [g.before + g.after, g.before + g.inner + g.after]) expand([...e.slice(0, i), text, ...e.slice(i + 1)], depth + 1)
  }
  expand(regexPath(expr), 0)
  return out
}

/** The first `(?:...)?` of a pattern: the text around it and inside it. */
function optionalGroup(text: string): { before: string; inner: string; after: string } | undefined {
  const start = text.indexOf('(?:')
  if (start < 0) return undefined
  let depth = 0
  for (let j = start; j < text.length; j++) {
    if (text[j] === '\\') j++
    else if (text[j] === '(') depth++
    else if (text[j] === ')' && --depth === 0) {
      if (text[j + 1] !== '?') return undefined
      return { before: text.slice(0, start), inner: text.slice(start + 3, j), after: text.slice(j + 2) }
    }
  }
  return undefined
}

/** `x/?` ends with its slash; a bare `.*` or `.+` segment is a catch-all parameter. */
function tidy(expr: PathExpr): PathExpr {
  const out = [...expr]
  const last = out.length - 1
  const tail = out[last]
  if (typeof tail === 'string') {
    let t = tail.endsWith('/?') ? tail.slice(0, -1) : tail
    if (t === '.*' || t === '.+' || t.endsWith('/.*') || t.endsWith('/.+')) t = `${t.slice(0, -2)}(?P<path>${t.slice(-2)})`
    out[last] = t
  }
  return out
}

/**
 * A `re_path` pattern as a path: the anchors go (an included URLconf continues its parent's
 * pattern) and escaped literal characters (`\.`) are unescaped; named groups stay for normalizePath.
 */
export function regexPath(expr: PathExpr): PathExpr {
  const out: PathPart[] = expr.map((p) => (typeof p === 'string' ? p.replace(/\\([./-])/g, '$1') : p))
  const first = out[0]
  if (typeof first === 'string' && first.startsWith('^')) out[0] = first.slice(1)
  const last = out[out.length - 1]
  if (typeof last === 'string' && last.endsWith('$') && !last.endsWith('\\$')) out[out.length - 1] = last.slice(0, -1)
  return out
}

/**
 * warp 0.2 to 0.4: https://docs.rs/warp/latest/warp/filters/path/index.html
 * warp builds routes as values: a filter is a chain of `.and(..)` and `.or(..)` over path segments
 * (`warp::path("api")`, `warp::path!("users" / u32 / ..)`, `warp::path::param::<T>()`,
 * `warp::path::end()`, `warp::path::tail()`), method filters (`warp::get()`..`warp::options()`; none:
 * every method; `warp::ws()`: a WebSocket) and the handler it reaches (`.map`, `.and_then`, `.then`).
 * Each filter is evaluated into its alternatives: the sequence of pieces one request matches.
 *
 * - An alternative is a route when it matches something (a path, a method or the end of the path)
 *   and is complete: it reaches a handler, names a method or ends the path. A bare path
 *   (`warp::path!("api" / ..)`) is a prefix, not a route.
 * - A function returning a filter (`-> impl Filter<..>`, `BoxedFilter<..>`, or one whose value
 *   holds warp filters) is an owner: its routes are served where it is used, under the path pieces
 *   before the call (`warp::path("api").and(users::routes())` mounts `users::routes` under `/api`).
 *   A function of the same file is evaluated in place, so that one written as a prefix
 *   (`api_path().and(warp::path!("x"))`) still prefixes. Owners serve only where something uses them.
 * - What is served: the argument of `warp::serve(..)` / `warp::service(..)`, and a filter held in a
 *   `let` of a non-filter function that no other filter of that function uses (`let routes = ..;
 *   serve_routes(routes)`).
 * - `let` bindings, blocks and both branches of an `if`/`match` are followed; `.with`, `.recover`,
 *   `.boxed`, `.unify`, `.untuple_one` keep their filter; a method of the project's own given a filter
 *   (lighthouse's `a.uor(b)`) is read as an `.or`. A filter used after `warp::path::end()` (a body or
 *   query filter of another file) adds no route and is not mounted.
 * - Test code serves nothing: `#[cfg(test)]`, `#[test]`, modules named `test_helpers`/`mocks` or gated by
 *   a `cfg` naming a test feature, and files under `test_utils/`.
 * Documented choices: a path parameter is named by its type (`{u32}`, `{String}`; `{param}` with
 * none), a tail is `{*tail}`; `warp::fs::dir`/`file` serve static files and add no item; a method
 * filter of a caller is not carried into a filter function of another file (its routes keep their own
 * methods, or ALL).
 */
import type { SgNode } from '@ast-grep/napi'
import { rustStringLiteral } from '../../languages/rust.js'
import { attributesOf, callArgs, calleePath, isTestCode, itemPath, lastSegment, returnedValues } from '../rust-syntax.js'
import { defineExtractor, type FileFacts, type PathExpr, type RouteFact } from '../types.js'

type Piece =
  | { k: 'path'; path: PathExpr; line: number; literal?: true }
  | { k: 'end'; line: number }
  | { k: 'method'; method: string; line: number }
  | { k: 'handler'; name?: string; via: string }
  | { k: 'ref'; name: string; line: number }
  | { k: 'static' }
type Alt = Piece[]

/** Bound on the alternatives of one expression (`.or` inside `.and` multiplies them). */
const MAX_ALTS = 1000
const METHODS: Record<string, string> = { get: 'GET', post: 'POST', put: 'PUT', delete: 'DELETE', patch: 'PATCH', head: 'HEAD', options: 'OPTIONS' }
const HANDLERS = new Set(['map', 'and_then', 'then', 'map_async'])
const KEEP = new Set(['with', 'recover', 'boxed', 'unify', 'untuple_one', 'clone', 'or_else', 'map_err', 'into', 'to_owned'])
const COMBINATORS = new Set(['and', 'or', 'boxed', 'recover', 'with', 'unify', 'untuple_one', 'or_else', ...HANDLERS])
const COMBINATOR_NAMES = `^(${[...COMBINATORS].join('|')})$`

export const extractor = defineExtractor({
  id: 'warp',
  family: 'rust',
  docs: 'https://docs.rs/warp/latest/warp/filters/path/index.html',
  detect: (m) => m.dependencies.has('warp'),
  needles: ['warp::', 'path!'],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const fns = new Map<string, SgNode>()
    for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
      const path = itemPath(fn)
      if (!fns.has(path)) fns.set(path, fn)
    }
    const byName = new Map<string, SgNode[]>()
    for (const fn of fns.values()) {
      const name = fn.field('name')?.text() ?? ''
      byName.set(name, [...(byName.get(name) ?? []), fn])
    }
    const fnMemo = new Map<number, Alt[]>()
    /** Each `let`'s alternatives, and the other `let`s its value uses. */
    const letMemo = new Map<number, { alts: Alt[]; uses: Set<number> }>()
    const active = new Set<number>()
    /** `let` declarations evaluated as part of another filter (inlined): they are not served on their own. */
    let consumed = new Set<number>()
    const letTables = new Map<number, Map<string, SgNode[]>>()
    const mountSeen = new Set<string>()
    const routeSeen = new Set<string>()

    // Functions and closures by their extent: the innermost one around a node is found without walking up the tree.
    const scopes = file.root
      .findAll({ rule: { any: [{ kind: 'function_item' }, { kind: 'closure_expression' }] } })
      .map((node) => ({ node, start: node.range().start.index, end: node.range().end.index }))
    const owningFn = (node: SgNode): SgNode | undefined => {
      const { start, end } = node.range()
      let best: (typeof scopes)[number] | undefined
      for (const s of scopes) {
        if (s.start > start.index || s.end < end.index || (s.start === start.index && s.end === end.index)) continue
        if (!best || (s.start >= best.start && s.end <= best.end)) best = s
      }
      return best?.node
    }

    // Calls by the function or closure they are written in (one pass over the file).
    const callsIn = new Map<number, SgNode[]>()
    for (const call of file.root.findAll({ rule: { kind: 'call_expression' } })) {
      const fn = owningFn(call)
      if (fn) callsIn.set(fn.id(), [...(callsIn.get(fn.id()) ?? []), call])
    }

    for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
      if (isTestOnly(fn, file.path)) continue
      const values = returnedValues(fn)
      const alts = values.flatMap((v) => evaluate(v))
      if (isFilterFunction(fn, values, alts)) {
        const owner = itemPath(fn)
        facts.routers!.push({ name: owner, line: ctx.lineOf(fn), mountedOnly: true })
        emit(owner, alts)
      } else {
        serveRoots(fn)
      }
    }
    // A closure serves what it hands to `warp::serve` only.
    for (const closure of file.root.findAll({ rule: { kind: 'closure_expression' } })) {
      if (!isTestOnly(closure, file.path)) serveRoots(closure, true)
    }
    return facts

    /** What a non-filter function serves: `warp::serve(x)`, and filters in `let`s nothing else uses. */
    function serveRoots(fn: SgNode, serveOnly = false): void {
      const body = fn.field('body')
      if (!body) return
      consumed = new Set()
      const roots: Alt[][] = []
      for (const call of callsIn.get(fn.id()) ?? []) {
        const path = canonical(calleePath(call))
        if (path === 'warp::serve' || path === 'warp::service') {
          const arg = callArgs(call)[0]
          if (arg) roots.push(evaluate(arg))
        } else if (path && !path.startsWith('warp::') && !serveOnly && isStatement(call)) {
          // `server::start(api::routes()).await;`: a filter handed to a function that serves it.
          for (const arg of callArgs(call)) if (arg.kind() === 'call_expression' && (plainCall(arg) || looksLikeFilter(arg))) roots.push(evaluate(arg))
        }
      }
      const lets = serveOnly ? [] : [...letsOf(fn).values()].flat()
      const values = new Map<number, Alt[]>()
      for (const decl of lets) {
        const value = decl.field('value')
        // `let routes = api::routes(); server::start(routes)`: a call may return a filter of another file.
        if (value && (plainCall(value) || looksLikeFilter(value))) values.set(decl.id(), evaluateLet(decl))
      }
      for (const decl of lets) {
        const alts = values.get(decl.id())
        if (alts && !consumed.has(decl.id())) roots.push(alts)
      }
      for (const alts of roots) if (alts.some((alt) => alt.some((p) => p.k !== 'handler'))) emit(null, alts)
    }

    /** A call whose value is a statement's (`start(x).await?;`, `let s = start(x);`, a block's tail). */
    function isStatement(call: SgNode): boolean {
      let node = call
      while (node.parent()?.kind() === 'await_expression' || node.parent()?.kind() === 'try_expression') node = node.parent()!
      const k = node.parent()?.kind()
      return k === 'expression_statement' || k === 'let_declaration' || k === 'block'
    }

    /** A call of a function by its path (`api::routes(db)`), possibly awaited or with `?`. */
    function plainCall(expr: SgNode): boolean {
      let node = expr
      while (node.kind() === 'try_expression' || node.kind() === 'await_expression') node = node.namedChildren()[0]!
      const fn = node.kind() === 'call_expression' ? node.field('function') : undefined
      return !!fn && ['identifier', 'scoped_identifier', 'generic_function'].includes(String(fn.kind()))
    }

    /** A filter function returns a warp filter: by its type, or by what it returns. */
    function isFilterFunction(fn: SgNode, values: SgNode[], alts: Alt[]): boolean {
      const type = fn.field('return_type')
      if (type?.find({ rule: { kind: 'type_identifier', regex: '^(Filter|BoxedFilter)$' } })) return true
      if (alts.some((alt) => alt.some((p) => p.k === 'path' || p.k === 'method' || p.k === 'end' || p.k === 'static'))) return true
      return values.some((v) => combinatorChain(v)) && alts.some((alt) => alt.some((p) => p.k === 'ref'))
    }

    /** Syntax that builds a filter: a warp call or macro, or a combinator (`.or`, `.boxed`, ..). */
    function looksLikeFilter(expr: SgNode): boolean {
      if (combinatorChain(expr)) return true
      return !!expr.find({
        rule: {
          any: [
            { kind: 'scoped_identifier', regex: '^(::)?warp::' },
            { kind: 'macro_invocation', regex: '^(warp::)?path!' },
          ],
        },
      })
    }

    function combinatorChain(expr: SgNode): boolean {
      for (const id of expr.findAll({ rule: { kind: 'field_identifier', regex: COMBINATOR_NAMES } })) {
        const field = id.parent()
        if (field?.kind() === 'field_expression' && field.parent()?.kind() === 'call_expression') return true
      }
      return false
    }

    /** The routes and mounts of an owner's alternatives. */
    function emit(owner: string | null, alts: Alt[]): void {
      for (const alt of alts) {
        if (alt.some((p) => p.k === 'static')) continue
        let prefix: PathExpr = []
        let lastRef = -1
        let ended = false
        alt.forEach((p, i) => {
          if (p.k === 'path') prefix = [...prefix, ...p.path]
          if (p.k === 'end') ended = true
          if (p.k !== 'ref') return
          lastRef = i
          // After the end of the path (`.and(warp::path::end()).and(json_body())`) a filter adds no route.
          if (ended) return
          const key = `${owner}|${p.name}|${JSON.stringify(prefix)}`
          if (mountSeen.has(key)) return
          mountSeen.add(key)
          facts.mounts.push({ parent: owner, child: { name: p.name }, prefix, line: p.line })
        })
        const paths = alt.filter((p): p is Extract<Piece, { k: 'path' }> => p.k === 'path')
        const methods = [...new Set(alt.filter((p): p is Extract<Piece, { k: 'method' }> => p.k === 'method').map((p) => p.method))]
        const end = alt.find((p): p is Extract<Piece, { k: 'end' }> => p.k === 'end')
        // A handler reached after the filters of other functions: a transformation before them (`.and_then(auth)`) is no handler.
        const handlers = alt.filter((p, i): p is Extract<Piece, { k: 'handler' }> => p.k === 'handler' && i > lastRef)
        if (!paths.length && !methods.length && !end) continue
        const complete = lastRef === -1 ? !!end || handlers.length > 0 || methods.length > 0 : !!end || handlers.length > 0
        if (!complete) continue
        // The line of the last literal segment: where the route's own path is written (a prefix filter may come first).
        const line =
          (paths.filter((p) => p.literal).at(-1) ?? paths.at(-1))?.line ??
          alt.find((p): p is Extract<Piece, { k: 'method' }> => p.k === 'method')?.line ??
          end!.line
        const ws = methods.includes('WS')
        const path: PathExpr = paths.length ? paths.flatMap((p) => p.path) : ['/']
        // `.then(get_index).map(into_response)`: the handler is the last `then`/`and_then` named, else the last `map`.
        const named = alt.filter((p): p is Extract<Piece, { k: 'handler' }> => p.k === 'handler' && !!p.name).reverse()
        const handler = (named.find((h) => h.via !== 'map') ?? named[0])?.name
        const key = `${owner}|${methods.join(',')}|${JSON.stringify(path)}|${line}`
        if (routeSeen.has(key)) continue
        routeSeen.add(key)
        const route: RouteFact = { kind: ws ? 'websocket' : 'route', methods: ws ? ['WS'] : methods.length ? methods : ['ALL'], path, owner, line }
        if (handler) route.handler = handler
        facts.routes.push(route)
      }
    }

    /** The alternatives of a filter expression. */
    function evaluate(node: SgNode): Alt[] {
      switch (node.kind()) {
        case 'parenthesized_expression':
        case 'reference_expression':
        case 'try_expression':
        case 'await_expression':
        case 'expression_statement': {
          const inner = node.field('value') ?? node.namedChildren().find((c) => !String(c.kind()).endsWith('comment'))
          return inner ? evaluate(inner) : [[]]
        }
        case 'block':
        case 'async_block':
        case 'unsafe_block': {
          const block = node.kind() === 'block' ? node : node.namedChildren().find((c) => c.kind() === 'block')
          const tail = block
            ?.namedChildren()
            .filter((c) => !String(c.kind()).endsWith('comment'))
            .at(-1)
          return tail && !String(tail.kind()).endsWith('_declaration') && !(tail.kind() === 'expression_statement' && tail.text().endsWith(';'))
            ? evaluate(tail)
            : [[]]
        }
        case 'if_expression': {
          const branches = [node.field('consequence'), node.field('alternative')?.namedChildren()[0]].filter((b): b is SgNode => !!b)
          return union(branches.map(evaluate))
        }
        case 'match_expression': {
          const arms =
            node
              .field('body')
              ?.namedChildren()
              .filter((a) => a.kind() === 'match_arm') ?? []
          return union(
            arms
              .map((a) => a.field('value'))
              .filter((v): v is SgNode => !!v)
              .map(evaluate),
          )
        }
        case 'macro_invocation':
          return isPathMacro(node) ? [pathMacro(node)] : [[]]
        case 'identifier': {
          const decl = letOf(node)
          if (!decl) return [[]]
          consumed.add(decl.id())
          return evaluateLet(decl)
        }
        case 'call_expression':
          return evaluateCall(node)
        default:
          return [[]]
      }
    }

    function evaluateLet(decl: SgNode): Alt[] {
      const hit = letMemo.get(decl.id())
      if (hit) {
        for (const id of hit.uses) consumed.add(id)
        return hit.alts
      }
      const value = decl.field('value')
      if (!value || active.has(decl.id())) return [[]]
      active.add(decl.id())
      const saved = consumed
      consumed = new Set()
      const alts = evaluate(value)
      const uses = consumed
      consumed = saved
      for (const id of uses) consumed.add(id)
      active.delete(decl.id())
      letMemo.set(decl.id(), { alts, uses })
      return alts
    }

    function evaluateCall(node: SgNode): Alt[] {
      const fn = node.field('function')
      const args = callArgs(node)
      if (fn?.kind() === 'field_expression') {
        const method = fn.field('field')?.text() ?? ''
        const receiver = fn.field('value')!
        if (method === 'and' && args[0]) return product(evaluate(receiver), evaluate(args[0]))
        if (method === 'or' && args[0]) return union([evaluate(receiver), evaluate(args[0])])
        if (HANDLERS.has(method)) {
          const handler: Piece = { k: 'handler', via: method, ...(args[0] ? nameOf(args[0]) : {}) }
          return evaluate(receiver).map((alt) => [...alt, handler])
        }
        if (KEEP.has(method)) return evaluate(receiver)
        // `self.routes()` inside `impl Api`: the method `Api::routes`.
        if (receiver.kind() === 'self') {
          const impl = node.ancestors().find((a) => a.kind() === 'impl_item')
          const type = impl?.field('type')?.text().replace(/<.*$/s, '')
          if (type) return callFunction(`${type}::${method}`, node)
        }
        // A combinator of the project's own (`a.uor(b)`: lighthouse's unifying `or`): a filter argument is an alternative.
        if (args.length === 1 && args[0]!.kind() !== 'closure_expression') {
          const other = evaluate(args[0]!)
          if (other.some((alt) => alt.some((p) => p.k !== 'handler'))) return union([evaluate(receiver), other])
        }
        return evaluate(receiver)
      }
      const path = canonical(calleePath(node))
      if (!path) return [[]]
      if (path.startsWith('warp::')) return [primitive(path, node, args)]
      // `let form = || warp::multipart::form()` then `form()`.
      if (fn?.kind() === 'identifier') {
        const decl = letOf(fn)
        const value = decl?.field('value')
        if (value?.kind() === 'closure_expression') {
          const body = value.field('body')
          return body ? evaluate(body) : [[]]
        }
      }
      return callFunction(path, node)
    }

    /** A call of a function: evaluated in place when it is written in this file, else a reference to it. */
    function callFunction(path: string, node: SgNode): Alt[] {
      const local = localFunction(path)
      if (local) {
        const hit = fnMemo.get(local.id())
        if (hit) return atCall(hit, node)
        if (active.has(local.id())) return [[]]
        active.add(local.id())
        const saved = consumed
        consumed = new Set()
        const alts = union(returnedValues(local).map(evaluate))
        consumed = saved
        active.delete(local.id())
        fnMemo.set(local.id(), alts)
        return atCall(alts, node)
      }
      // Constructors and std values are no filters of this tree.
      if (
        /^[A-Z]\w*$/.test(path) ||
        /(^|::)[A-Z]\w*::(new|default|from\w*|with_\w+|builder|get)$/.test(path) ||
        /^(std|core|alloc|tokio|futures|serde_json)::/.test(path)
      )
        return [[]]
      return [[{ k: 'ref', name: path, line: ctx.lineOf(node) }]]
    }

    function localFunction(path: string): SgNode | undefined {
      const p = path.replace(/^self::/, '')
      const exact = fns.get(p)
      if (exact) return exact
      if (p.includes('::')) return undefined
      const named = byName.get(p)
      return named?.length === 1 ? named[0] : undefined
    }

    /** A warp filter of the crate's own. */
    function primitive(path: string, node: SgNode, args: SgNode[]): Alt {
      const line = ctx.lineOf(node)
      const name = path.slice('warp::'.length)
      if (name === 'path' || name === 'path::path') return args[0] ? [{ k: 'path', path: ['/', ...ctx.pathOf(args[0])], line, literal: true }] : []
      if (name === 'path::end' || name === 'index') return [{ k: 'end', line }]
      if (name === 'path::param' || name === 'param') {
        const type = node.field('function')?.field('type_arguments')
        const t = type?.namedChildren()[0]?.text()
        return [{ k: 'path', path: [`/{${t ? paramName(t) : 'param'}}`], line }]
      }
      if (name === 'path::tail')
        return [
          { k: 'path', path: ['/{*tail}'], line },
          { k: 'end', line },
        ]
      const verb = name.replace(/2$/, '')
      if (METHODS[verb]) return [{ k: 'method', method: METHODS[verb]!, line }]
      if (verb === 'ws' || verb === 'ws::ws') return [{ k: 'method', method: 'WS', line }]
      if (name === 'fs::dir' || name === 'fs::file') return [{ k: 'static' }]
      return []
    }

    function isPathMacro(node: SgNode): boolean {
      const name = node.field('macro')?.text() ?? node.children()[0]?.text() ?? ''
      return (
        name === 'warp::path' ||
        name === '::warp::path' ||
        (name === 'path' && (canonical('path') === 'warp::path' || file.source.includes('extern crate warp')))
      )
    }

    /** `warp::path!("users" / u32 / "posts" / ..)`: its segments, and the end of the path unless it ends with `..`. */
    function pathMacro(node: SgNode): Alt {
      const line = ctx.lineOf(node)
      const tree = node.children().find((c) => c.kind() === 'token_tree')
      if (!tree) return []
      const segments: SgNode[][] = [[]]
      for (const c of tree.children().slice(1, -1)) {
        if (String(c.kind()).endsWith('comment')) continue
        if (c.text() === '/' && !c.isNamed()) segments.push([])
        else segments[segments.length - 1]!.push(c)
      }
      const path: PathExpr = []
      let open = false
      for (const seg of segments) {
        if (!seg.length) continue
        if (seg.length === 1 && seg[0]!.text() === '..') {
          open = true
          continue
        }
        const literal = seg.length === 1 ? rustStringLiteral(seg[0]!) : undefined
        if (literal !== undefined) path.push(`/${literal}`)
        else if (
          seg.length === 1 &&
          (seg[0]!.kind() === 'identifier' || seg[0]!.kind() === 'scoped_identifier') &&
          /^[A-Z][A-Z0-9_]+$/.test(lastSegment(seg[0]!.text()))
        )
          path.push('/', { ref: seg[0]!.text() })
        else path.push(`/{${paramName(seg.map((t) => t.text()).join(''))}}`)
      }
      const out: Alt = [
        {
          k: 'path',
          path: path.length ? path : ['/'],
          line,
          ...(segments.some((g) => g.length === 1 && rustStringLiteral(g[0]!) !== undefined) ? { literal: true as const } : {}),
        },
      ]
      if (!open) out.push({ k: 'end', line })
      return out
    }

    /** The function path a call names, through the file's imports: `path::end` with `use warp::path` -> `warp::path::end`. */
    function canonical(path: string | undefined): string | undefined {
      if (!path) return undefined
      let p = path.replace(/^::/, '')
      const [head, ...rest] = p.split('::')
      const imp = head && Object.hasOwn(file.module.imports, head) ? file.module.imports[head] : undefined
      if (imp && imp.name !== '*' && imp.module.split('::')[0] === 'warp') p = [imp.module, imp.name, ...rest].join('::')
      return p.replace(/^warp::filters::/, 'warp::').replace(/^warp::method::(v2::)?/, 'warp::')
    }

    /** The `let` a name refers to: in its function, or in the functions and closures around it. */
    /** The `let x = ..` declarations of a function or closure (not of those inside it), by name, in order. */
    function letsOf(scope: SgNode): Map<string, SgNode[]> {
      const hit = letTables.get(scope.id())
      if (hit) return hit
      const table = new Map<string, SgNode[]>()
      for (const decl of scope.field('body')?.findAll({ rule: { kind: 'let_declaration', has: { field: 'pattern', kind: 'identifier' } } }) ?? []) {
        if (owningFn(decl)?.id() !== scope.id()) continue
        const name = decl.field('pattern')!.text()
        table.set(name, [...(table.get(name) ?? []), decl])
      }
      letTables.set(scope.id(), table)
      return table
    }

    function letOf(use: SgNode): SgNode | undefined {
      const name = use.text()
      const before = use.range().start.index
      for (let scope = owningFn(use); scope; scope = owningFn(scope)) {
        const params = scope.field('parameters') ?? scope.children().find((c) => c.kind() === 'closure_parameters')
        let found: SgNode | undefined
        for (const decl of letsOf(scope).get(name) ?? []) if (decl.range().end.index <= before) found = decl
        if (found) return found
        if (params?.namedChildren().some((p) => (p.field('pattern') ?? p).text() === name)) return undefined
        if (scope.kind() === 'function_item') return undefined
      }
      return undefined
    }
  },
})

/** A module file only tests use: `src/test_utils/mock.rs`, `src/test_helpers.rs`. */
const TEST_MODULE_FILE = /(^|\/)(test_utils?|test_helpers?|testing|mocks?)(\/|\.rs$)/

/**
 * Test code: `#[cfg(test)]`, `#[test]`, and modules that only tests use (`mod test_helpers`,
 * `#[cfg(feature = "sqs-test-helpers")]`, files under `test_utils/`): the filters they build are not served.
 */
export function isTestOnly(node: SgNode, file?: string): boolean {
  if (isTestCode(node)) return true
  if (file && TEST_MODULE_FILE.test(file)) return true
  return node
    .ancestors()
    .some(
      (a) =>
        a.kind() === 'mod_item' &&
        (/^(tests?|testing|test_\w+|\w+_tests?|mocks?|\w+_mocks?)$/.test(a.field('name')?.text() ?? '') ||
          attributesOf(a).some((attr) => /^cfg\b.*\btest/.test(attr.text().replace(/\s/g, '')))),
    )
}

/**
 * A function evaluated in place: when it is only a prefix (`fn users_path() { warp::path("users") }`),
 * its segments are placed at the line of the call, where the route is composed.
 */
function atCall(alts: Alt[], call: SgNode): Alt[] {
  if (alts.some((alt) => alt.some((p) => p.k !== 'path'))) return alts
  const line = call.range().start.line + 1
  return alts.map((alt) => alt.map((p) => ('line' in p ? { ...p, line } : p)))
}

function nameOf(arg: SgNode): { name?: string } {
  const k = arg.kind()
  if (k === 'identifier' || k === 'scoped_identifier') return { name: lastSegment(arg.text()) }
  if (k === 'generic_function') return nameOf(arg.field('function') ?? arg)
  return {}
}

/** A parameter named by its type: `u32`, `uuid::Uuid` -> `Uuid`, `Vec<String>` -> `Vec`. */
function paramName(type: string): string {
  const base = type.replace(/<.*$/s, '').replace(/^&('\w+\s+)?/, '')
  return lastSegment(base).replace(/\W/g, '') || 'param'
}

function union(lists: Alt[][]): Alt[] {
  const out: Alt[] = []
  for (const l of lists) for (const a of l) if (out.length < MAX_ALTS) out.push(a)
  return out.length ? out : [[]]
}

function product(left: Alt[], right: Alt[]): Alt[] {
  const out: Alt[] = []
  for (const a of left) for (const b of right) if (out.length < MAX_ALTS) out.push([...a, ...b])
  return out
}

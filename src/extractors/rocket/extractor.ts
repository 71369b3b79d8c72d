/**
 * Rocket 0.4 and 0.5: https://rocket.rs/guide/v0.5/requests/
 * `#[get("/p/<id>")]`, `#[post("/p", data = "<body>")]`, `#[route(GET, uri = "/p")]`, `<path..>`
 * segments, query parts (`?<q>&<limit>`) dropped from the path; handlers are owners, served where
 * `.mount("/api", routes![a, b, module::c])` mounts them, with `routes![]` also in functions
 * (`fn routes() -> Vec<Route>`) or `let` bindings of other modules; such a function may gather
 * lists (`routes.append(&mut users::routes())`, `extend`) and choose one in an `if`/`else` tail.
 * A prefix may be `[base, "/api"].concat()`. `EventStream![]` return
 * types are SSE, a rocket_ws `WebSocket` parameter a WebSocket. A handler listed in no
 * `routes![]` parity can see is reported as UNRESOLVED_PATH; `FileServer` mounts add no item.
 */
import type { SgNode } from '@ast-grep/napi'
import { macroName, macroTokens, rustStringLiteral } from '../../languages/rust.js'
import {
  APPEND_METHODS,
  appendTarget,
  attributeArgs,
  attributeName,
  attributesOf,
  callArgs,
  calleePath,
  chainOf,
  chainTop,
  enclosingFn,
  fnOwner,
  hasParamType,
  holderOf,
  inlineOwner,
  isParameter,
  isTestCode,
  itemPath,
  letBinding,
  variableOwner,
  macroPaths,
  returnedValues,
  returnsType,
  RUST_HTTP_METHODS,
} from '../rust-syntax.js'
import { defineExtractor, type FileFacts, type PathExpr, type RouteFact, type SymbolRef } from '../types.js'

export const extractor = defineExtractor({
  id: 'rocket',
  family: 'rust',
  docs: 'https://rocket.rs/guide/v0.5/requests/',
  detect: (m) => m.dependencies.has('rocket'),
  needles: ['#[get', '#[post', '#[put', '#[delete', '#[patch', '#[head', '#[options', '#[route', '#[rocket::', 'routes!', '.mount('],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }

    for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
      if (isTestCode(fn)) continue
      const owner = itemPath(fn)
      let found = false
      for (const attr of attributesOf(fn)) {
        const name = attributeName(attr)
        if (!RUST_HTTP_METHODS.includes(name) && name !== 'route') continue
        const groups = attributeArgs(attr)
        let pathNode: SgNode | undefined
        let methods: string[]
        if (name === 'route') {
          // `#[route(GET, uri = "/p")]`
          const uri = groups.find((g) => g.length === 3 && g[0]!.text() === 'uri' && g[1]!.text() === '=')
          pathNode = uri?.[2] ?? (groups[1]?.length === 1 ? groups[1][0] : undefined)
          methods = groups[0]?.length === 1 ? [groups[0][0]!.text().toUpperCase()] : []
        } else {
          pathNode = groups[0]?.length === 1 ? groups[0][0] : undefined
          methods = [name.toUpperCase()]
        }
        if (!pathNode || rustStringLiteral(pathNode) === undefined) continue
        const kind: RouteFact['kind'] = hasParamType(fn, 'WebSocket') ? 'websocket' : returnsType(fn, 'EventStream') ? 'sse' : 'route'
        facts.routes.push({
          kind,
          methods: kind === 'websocket' ? ['WS'] : methods,
          path: withoutQuery(ctx.pathOf(pathNode)),
          owner,
          handler: fn.field('name')!.text(),
          line: ctx.lineOf(attr),
        })
        found = true
      }
      if (found) facts.routers!.push({ name: owner, line: ctx.lineOf(fn) })
    }

    // `routes![a, b]`: an owner that serves the listed handlers, mounted where its value goes.
    for (const mac of file.root.findAll({ rule: { kind: 'macro_invocation', has: { field: 'macro', regex: '^(rocket::)?routes$' } } })) {
      const tree = macroTokens(mac)
      if (!tree || isTestCode(mac)) continue
      const holder = appendTarget(mac) ?? holderOf(mac) ?? null
      for (const path of macroPaths(tree)) facts.mounts.push({ parent: holder, child: { name: path }, prefix: [], line: ctx.lineOf(mac) })
    }

    // `rocket::build().mount("/api", routes![..])`
    const seen = new Set<number>()
    for (const call of file.root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'field_expression', has: { field: 'field', regex: '^mount$' } } },
    })) {
      const top = chainTop(call)
      if (seen.has(top.id()) || isTestCode(top)) continue
      seen.add(top.id())
      const { base, calls } = chainOf(top)
      let owner = holderOf(top)
      if (owner === undefined) owner = base.kind() === 'identifier' ? variableOwner(base) : null
      if (base.kind() === 'identifier' || (calleePath(base) && !/(^|::)(rocket::(build|ignite|custom)|Rocket::(build|custom))$/.test(calleePath(base)!))) {
        const from = childRef(base)
        if (from && 'name' in from && from.name !== owner) facts.mounts.push({ parent: owner, child: from, prefix: [], line: ctx.lineOf(base) })
      }
      for (const c of calls) {
        if (c.method !== 'mount' || c.args.length < 2) continue
        const child = childRef(c.args[1]!)
        if (child) facts.mounts.push({ parent: owner, child, prefix: ctx.pathOf(c.args[0]!), line: ctx.lineOf(c.node.field('function')!.field('field')!) })
      }
    }
    // `fn routes() -> Vec<Route>` that gathers lists: `routes.append(&mut users::routes())`, then returns `routes`.
    for (const fn of file.root.findAll({ rule: { kind: 'function_item' } })) {
      if (!returnsType(fn, 'Route') || isTestCode(fn)) continue
      const owner = fnOwner(fn)
      for (const call of fn.findAll({
        rule: {
          kind: 'call_expression',
          has: { field: 'function', kind: 'field_expression', has: { field: 'field', regex: `^(${[...APPEND_METHODS].join('|')})$` } },
        },
      })) {
        const arg = callArgs(call)[0]
        const target = arg && appendTarget(arg)
        if (!arg || !target || macroName(arg) === 'routes' || enclosingFn(call)?.id() !== fn.id()) continue
        const child = childRef(arg)
        if (child) facts.mounts.push({ parent: target, child, prefix: [], line: ctx.lineOf(call) })
      }
      for (const value of returnedValues(fn)) {
        if (value.kind() !== 'identifier') continue
        const child = childRef(value)
        if (child && 'name' in child && child.name !== owner) facts.mounts.push({ parent: owner, child, prefix: [], line: ctx.lineOf(value) })
      }
    }
    return facts

    /** What `.mount(prefix, x)` mounts: `routes![..]`, a function returning routes, a local. */
    function childRef(expr: SgNode): SymbolRef | undefined {
      const k = expr.kind()
      if (k === 'reference_expression' || k === 'parenthesized_expression') {
        const inner = expr.field('value') ?? expr.namedChildren()[0]
        return inner ? childRef(inner) : undefined
      }
      if (k === 'macro_invocation') return macroName(expr) === 'routes' ? { name: inlineOwner(expr) } : undefined
      if (k === 'identifier') {
        const binding = letBinding(expr, expr.text())
        const value = binding?.field('value')
        // `let r = routes![..]` and `let app = rocket::build().mount(..)` are owners of their own.
        // `let mut routes = Vec::new()`, filled by `routes.append(..)`, is an owner of its own too.
        const inner = value && !isRouteList(value) ? childRef(value) : undefined
        if (inner) return inner
        if (binding || isParameter(expr, expr.text())) return { name: variableOwner(expr) }
        return { name: expr.text() }
      }
      if (k === 'call_expression') {
        const path = calleePath(expr)
        // `FileServer::from(..)`, `rocket::build()` serve no routes of this tree.
        if (path !== undefined) return /(^|::)[A-Z]\w*::\w+$|^rocket::/.test(path) ? undefined : { name: path }
        const { base, calls } = chainOf(expr)
        if (calls.some((c) => c.method === 'mount')) return { name: inlineOwner(expr) }
        return base.id() === expr.id() ? undefined : childRef(base)
      }
      if (k === 'scoped_identifier') return { name: expr.text() }
      return undefined
    }

    function isRouteList(expr: SgNode): boolean {
      if (expr.kind() === 'macro_invocation') return macroName(expr) === 'routes'
      return expr.kind() === 'call_expression' && chainOf(expr).calls.some((c) => c.method === 'mount')
    }
  },
})

/** `/search?<q>&<limit>` -> `/search`: Rocket matches query parameters apart from the path. */
function withoutQuery(path: PathExpr): PathExpr {
  const out: PathExpr = []
  for (const part of path) {
    if (typeof part === 'string' && part.includes('?')) {
      out.push(part.slice(0, part.indexOf('?')))
      return out
    }
    out.push(part)
  }
  return out
}

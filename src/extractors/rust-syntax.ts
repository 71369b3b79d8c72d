/**
 * Syntax helpers shared by the Rust extractors (axum, actix-web, Rocket). Rust routers are values
 * built by method chains (`Router::new().route(..).nest(..)`); a chain's *holder* is the owner
 * its routes belong to: the function that returns it, the `let` variable it is bound to
 * (`main/app`), or a synthetic `router@line:col` when the chain is written inline as an argument.
 */
import type { SgNode } from '@ast-grep/napi'
import { rustStringLiteral, tokenGroups, tokenPath } from '../languages/rust.js'

export interface ChainCall {
  method: string
  args: SgNode[]
  node: SgNode
}

/** Named arguments of a call, without comments. */
export function callArgs(call: SgNode): SgNode[] {
  return (
    call
      .field('arguments')
      ?.namedChildren()
      .filter((n) => !String(n.kind()).endsWith('comment')) ?? []
  )
}

/** The outermost call of the method chain that `call` belongs to: `a.b().c()` from `a.b()`. */
export function chainTop(call: SgNode): SgNode {
  let node = call
  for (;;) {
    const parent = node.parent()
    const grand = parent?.parent()
    if (parent?.kind() !== 'field_expression' || grand?.kind() !== 'call_expression') return node
    if (parent.field('value')?.id() !== node.id()) return node
    node = grand
  }
}

/** A method chain taken apart: the receiver it starts from and its method calls in source order. */
export function chainOf(top: SgNode): { base: SgNode; calls: ChainCall[] } {
  const calls: ChainCall[] = []
  let node = top
  while (node.kind() === 'call_expression') {
    const fn = node.field('function')
    if (fn?.kind() !== 'field_expression') break
    const value = fn.field('value')
    if (!value) break
    calls.unshift({ method: fn.field('field')?.text() ?? '', args: callArgs(node), node })
    node = value
  }
  return { base: node, calls }
}

/** The function path of a plain call (`api::routes()`, `routes::<S>()`), or undefined for a method call. */
export function calleePath(call: SgNode): string | undefined {
  if (call.kind() !== 'call_expression') return undefined
  let fn = call.field('function')
  if (fn?.kind() === 'generic_function') fn = fn.field('function')
  if (!fn || (fn.kind() !== 'identifier' && fn.kind() !== 'scoped_identifier')) return undefined
  return selfToType(
    fn,
    fn
      .text()
      .replace(/::<.*?>/g, '')
      .replace(/<.*?>/g, ''),
  )
}

/** `Self::routes` inside `impl Api` -> `Api::routes`. */
function selfToType(node: SgNode, path: string): string {
  if (!path.startsWith('Self::')) return path
  const impl = node.ancestors().find((a) => a.kind() === 'impl_item')
  const type = impl?.field('type')?.text().replace(/<.*$/s, '')
  return type ? `${type}${path.slice(4)}` : path
}

/** The last segment of a path: `handlers::list` -> `list`. */
export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf(':') + 1)
}

/** A synthetic owner name for a router written inline. */
export function inlineOwner(node: SgNode): string {
  const start = node.range().start
  return `router@${start.line + 1}:${start.column + 1}`
}

/** The owner name of a function item: `routes`, `Api::routes` in an impl, `api::routes` in an inline module. */
export function itemPath(fn: SgNode): string {
  const parts = [fn.field('name')?.text() ?? '']
  for (const a of fn.ancestors()) {
    if (a.kind() === 'impl_item') parts.unshift(a.field('type')?.text().replace(/<.*$/s, '') ?? '')
    else if (a.kind() === 'mod_item') parts.unshift(a.field('name')?.text() ?? '')
  }
  return parts.filter(Boolean).join('::')
}

/** The function or closure a node is written in. */
export function enclosingFn(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => a.kind() === 'function_item' || a.kind() === 'closure_expression')
}

/** The owner name of an enclosing function or closure; null at the top level. */
export function fnOwner(fn: SgNode | undefined): string | null {
  if (!fn) return null
  return fn.kind() === 'closure_expression' ? `closure@${fn.range().start.line + 1}:${fn.range().start.column + 1}` : itemPath(fn)
}

/** The owner name of a local variable: `main/app`. */
export function localOwner(node: SgNode, variable: string): string {
  const owner = fnOwner(enclosingFn(node))
  return owner ? `${owner}/${variable}` : variable
}

/** The owner a router variable stands for: a parameter is its function (`fn config(cfg: &mut ServiceConfig)`), a local is `fn/var`. */
export function variableOwner(ident: SgNode): string {
  const name = ident.text()
  if (isParameter(ident, name)) return fnOwner(enclosingFn(ident)) ?? name
  return localOwner(ident, name)
}

const BLOCK_LIKE = new Set(['if_expression', 'match_expression', 'block', 'unsafe_block', 'async_block', 'loop_expression'])
const WALK_UP = new Set([
  'if_expression',
  'else_clause',
  'match_arm',
  'match_block',
  'match_expression',
  'unsafe_block',
  'async_block',
  'try_expression',
  'await_expression',
])

/**
 * Where the value of a router expression goes: `name` is the owner it builds (a `let` variable,
 * the function it is returned from, or a synthetic owner when it is an argument); undefined when
 * the value is discarded (a statement such as `cfg.service(x);`), null when it is served as is.
 */
export function holderOf(top: SgNode): string | null | undefined {
  let node = top
  for (;;) {
    const parent = node.parent()
    if (!parent) return null
    const k = parent.kind()
    if (k === 'let_declaration') {
      const pattern = parent.field('pattern')
      return pattern?.kind() === 'identifier' ? localOwner(parent, pattern.text()) : null
    }
    if (k === 'assignment_expression') {
      const left = parent.field('left')
      return left?.kind() === 'identifier' && parent.field('right')?.id() === node.id() ? localOwner(parent, left.text()) : null
    }
    if (k === 'return_expression') return fnOwner(enclosingFn(parent))
    if (k === 'arguments' || k === 'tuple_expression' || k === 'array_expression') return inlineOwner(top)
    if (k === 'expression_statement') {
      // A block-like tail (`if c { a } else { b }`) is a statement without `;`: its value is the block's.
      const last = parent
        .parent()
        ?.namedChildren()
        .filter((c) => !String(c.kind()).endsWith('comment'))
        .at(-1)
      if (parent.parent()?.kind() !== 'block' || last?.id() !== parent.id() || parent.text().endsWith(';') || !BLOCK_LIKE.has(String(node.kind())))
        return undefined
      node = parent
      continue
    }
    if (k === 'closure_expression') return fnOwner(parent)
    if (k === 'block') {
      const named = parent.namedChildren().filter((c) => !String(c.kind()).endsWith('comment'))
      if (named[named.length - 1]?.id() !== node.id()) return undefined
      const owner = parent.parent()
      if (owner?.kind() === 'function_item') return fnOwner(owner)
      node = parent
      continue
    }
    if (WALK_UP.has(String(k))) {
      node = parent
      continue
    }
    return null
  }
}

/** Methods that add one collection's items to another (`routes.append(&mut other())`). */
export const APPEND_METHODS = new Set(['append', 'extend', 'extend_from_slice'])

/**
 * The owner of the collection `expr` is appended to, when it is the argument of
 * `v.append(&mut expr)` / `v.extend(expr)` on a variable `v`; undefined otherwise.
 */
export function appendTarget(expr: SgNode): string | undefined {
  let node = expr
  while (node.parent()?.kind() === 'reference_expression' || node.parent()?.kind() === 'parenthesized_expression') node = node.parent()!
  const args = node.parent()
  const call = args?.parent()
  if (args?.kind() !== 'arguments' || call?.kind() !== 'call_expression') return undefined
  const fn = call.field('function')
  const receiver = fn?.field('value')
  if (fn?.kind() !== 'field_expression' || !APPEND_METHODS.has(fn.field('field')?.text() ?? '') || receiver?.kind() !== 'identifier') return undefined
  return variableOwner(receiver)
}

/** The expressions a function returns: its tail expression and every `return x` of its own body. */
export function returnedValues(fn: SgNode): SgNode[] {
  const body = fn.field('body')
  if (!body) return []
  const tail = body
    .namedChildren()
    .filter((c) => !String(c.kind()).endsWith('comment'))
    .at(-1)
  const out =
    tail && tail.kind() !== 'expression_statement' && !String(tail.kind()).endsWith('_declaration') && !String(tail.kind()).endsWith('_item') ? [tail] : []
  for (const ret of body.findAll({ rule: { kind: 'return_expression' } })) {
    const value = ret.namedChildren()[0]
    if (value && enclosingFn(ret)?.id() === fn.id()) out.push(value)
  }
  return out
}

/** The last `let` binding of `name` before `use` in the same function, or undefined (a parameter, a global). */
export function letBinding(use: SgNode, name: string): SgNode | undefined {
  const fn = enclosingFn(use)
  const scope = fn?.field('body')
  if (!scope) return undefined
  const before = use.range().start.index
  let found: SgNode | undefined
  for (const decl of scope.findAll({ rule: { kind: 'let_declaration', has: { field: 'pattern', kind: 'identifier', regex: `^${name}$` } } })) {
    if (decl.range().end.index <= before && enclosingFn(decl)?.id() === fn!.id()) found = decl
  }
  return found
}

/** True when `name` is a parameter of the function or closure enclosing `use`. */
export function isParameter(use: SgNode, name: string): boolean {
  const fn = enclosingFn(use)
  const params = fn?.field('parameters') ?? fn?.children().find((c) => c.kind() === 'closure_parameters')
  if (!params) return false
  return params.namedChildren().some((p) => (p.field('pattern') ?? p).text() === name)
}

/** The function items of a file by name (top level, in modules and impl blocks). */
export function functionsByName(root: SgNode): Map<string, SgNode> {
  const out = new Map<string, SgNode>()
  for (const fn of root.findAll({ rule: { kind: 'function_item' } })) {
    const name = fn.field('name')?.text()
    if (name && !out.has(name)) out.set(name, fn)
  }
  return out
}

/** True when a parameter of the function or closure has a type named `typeName` (`WebSocketUpgrade`, `rocket_ws::WebSocket`). */
export function hasParamType(fn: SgNode, typeName: string): boolean {
  const params = fn.field('parameters') ?? fn.children().find((c) => c.kind() === 'closure_parameters')
  if (!params) return false
  const rule = { rule: { kind: 'type_identifier', regex: `^${typeName}$` } }
  return params.namedChildren().some((p) => {
    const type = p.field('type')
    return !!type && (type.matches(rule) || !!type.find(rule))
  })
}

/** True when the function's return type names `typeName` (`Sse<...>`, `EventStream![]`). */
export function returnsType(fn: SgNode, typeName: string): boolean {
  const type = fn.field('return_type')
  if (!type) return false
  const rule = { rule: { any: [{ kind: 'type_identifier' }, { kind: 'identifier' }], regex: `^${typeName}$` } }
  return type.matches(rule) || !!type.find(rule)
}

/** The attributes written before an item (`#[get("/x")]`), nearest last. */
export function attributesOf(item: SgNode): SgNode[] {
  const out: SgNode[] = []
  for (let prev = item.prev(); prev; prev = prev.prev()) {
    const k = prev.kind()
    if (k === 'attribute_item') {
      const attr = prev.namedChildren().find((c) => c.kind() === 'attribute')
      if (attr) out.unshift(attr)
    } else if (!String(k).endsWith('comment')) break
  }
  return out
}

/** True inside `#[cfg(test)] mod tests` or a `#[test]` / `#[tokio::test]` function: routers built there are not served. */
export function isTestCode(node: SgNode): boolean {
  return node
    .ancestors()
    .some(
      (a) =>
        (a.kind() === 'mod_item' || a.kind() === 'function_item') &&
        attributesOf(a).some((attr) => attributeName(attr) === 'test' || (attributeName(attr) === 'cfg' && attr.text().replace(/\s/g, '') === 'cfg(test)')),
    )
}

/** An attribute's name without its crate path: `actix_web::get` -> `get`. */
export function attributeName(attr: SgNode): string {
  const path = attr.namedChildren()[0]?.text() ?? ''
  return lastSegment(path)
}

/** The comma-separated arguments of an attribute: `#[route("/x", method = "GET")]`. */
export function attributeArgs(attr: SgNode): SgNode[][] {
  const tree = attr.field('arguments') ?? attr.children().find((c) => c.kind() === 'token_tree')
  return tree ? tokenGroups(tree) : []
}

/** `key = "value"` arguments of an attribute, by key (repeated keys kept in order). */
export function attributeOptions(groups: SgNode[][]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const g of groups) {
    if (g.length !== 3 || g[1]!.text() !== '=') continue
    const value = rustStringLiteral(g[2]!) ?? g[2]!.text()
    out.set(g[0]!.text(), [...(out.get(g[0]!.text()) ?? []), value])
  }
  return out
}

/** The paths listed in a macro like `routes![a, users::b]`. */
export function macroPaths(tree: SgNode): string[] {
  return tokenGroups(tree)
    .map((g) => tokenPath(g))
    .filter((p): p is string => !!p)
}

export const RUST_HTTP_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'trace', 'connect']

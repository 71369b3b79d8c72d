/** Syntax helpers shared by the Fastify, Koa and Hono extractors: call chains, handlers, path-like arguments. */
import type { SgNode } from '@ast-grep/napi'
import { argsOf, escapeRegex, functionName, isPackageImport, ownerOf } from './js-syntax.js'
import type { MountFact, ParsedFile } from './types.js'

const FUNCTION_KINDS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'function', 'method_definition'])

/** One method call of a chain: `.get('/x', h)`. */
export interface ChainLink {
  call: SgNode
  method: string
  args: SgNode[]
}

/** `a.b(x).c(y)`: the base `a` and the method calls made on it, innermost first. */
export function unchain(call: SgNode): { base: SgNode; links: ChainLink[] } {
  const links: ChainLink[] = []
  let cur: SgNode = call
  for (;;) {
    if (cur.kind() === 'parenthesized_expression' || cur.kind() === 'await_expression' || cur.kind() === 'non_null_expression') {
      const inner = cur.namedChildren()[0]
      if (!inner) break
      cur = inner
      continue
    }
    if (cur.kind() !== 'call_expression') break
    const fn = cur.field('function')
    if (!fn || fn.kind() !== 'member_expression') break
    const object = fn.field('object')
    const method = fn.field('property')?.text()
    if (!object || !method) break
    links.unshift({ call: cur, method, args: argsOf(cur) })
    cur = object
  }
  return { base: cur, links }
}

/** The outermost expression of the chain that `node` starts: `new Hono()` in `new Hono().get(..).post(..)`. */
function outermostChain(node: SgNode): SgNode {
  let cur = node
  for (;;) {
    const parent = cur.parent()
    if (!parent) return cur
    const pk = parent.kind()
    if (pk === 'member_expression' && parent.field('object')?.id() === cur.id()) cur = parent
    else if (pk === 'call_expression' && parent.field('function')?.id() === cur.id()) cur = parent
    else if (pk === 'parenthesized_expression' || pk === 'as_expression' || pk === 'satisfies_expression' || pk === 'await_expression') cur = parent
    else return cur
  }
}

/**
 * The owner an app built inline belongs to (`const users = new Hono().get(..)`, `export default new Hono()`,
 * `return new Router()`): the variable, `default`, the enclosing function, or `inline@line`.
 */
export function chainOwner(base: SgNode): string {
  const outer = outermostChain(base)
  const parent = outer.parent()
  const pk = parent?.kind()
  if (pk === 'variable_declarator') {
    const name = parent!.field('name')
    if (name?.kind() === 'identifier') return ownerOf(parent!, name.text())
  }
  if (pk === 'export_statement') return 'default'
  if (pk === 'assignment_expression' && parent!.field('left')?.text() === 'module.exports') return 'default'
  if (pk === 'return_statement' || (pk && FUNCTION_KINDS.has(String(pk)))) {
    for (let cur = parent; cur; cur = cur.parent()) if (FUNCTION_KINDS.has(String(cur.kind()))) return functionName(cur)
  }
  return `inline@${outer.range().start.line + 1}`
}

/** True when a node can be a route path: a string starting with `/` or `*` (or empty), a template, a constant, an array of those. */
export function isPathLike(node: SgNode | undefined): boolean {
  if (!node) return false
  const k = node.kind()
  if (k === 'string') {
    const text = node.text().slice(1, -1)
    return text === '' || text.startsWith('/') || text.startsWith('*')
  }
  if (k === 'template_string') return /^`(\/|\*|\$\{)/.test(node.text())
  if (k === 'array') return node.namedChildren().length > 0 && node.namedChildren().every(isPathLike)
  if (k === 'binary_expression') return isPathLike(node.field('left') ?? undefined)
  return k === 'identifier' || k === 'member_expression'
}

/** The elements of an array literal, or the node itself. */
export function elementsOf(node: SgNode): SgNode[] {
  return node.kind() === 'array' ? node.namedChildren().filter((n) => n.kind() !== 'comment') : [node]
}

/** The function a handler argument stands for: inline, or declared by that name in this file. */
export function handlerFunction(root: SgNode, node: SgNode | undefined): SgNode | undefined {
  if (!node) return undefined
  const k = node.kind()
  if (FUNCTION_KINDS.has(String(k))) return node
  if (k === 'call_expression') return handlerFunction(root, argsOf(node).at(-1))
  const name = k === 'identifier' ? node.text() : k === 'member_expression' ? node.field('property')?.text() : undefined
  if (!name) return undefined
  const re = `^${escapeRegex(name)}$`
  return (
    root.find({ rule: { any: [{ kind: 'function_declaration' }, { kind: 'method_definition' }], has: { field: 'name', regex: re } } }) ??
    root.find({ rule: { kind: 'variable_declarator', has: { field: 'name', regex: re } } })?.field('value') ??
    root.find({ rule: { kind: 'pair', has: { field: 'key', regex: re } } })?.field('value') ??
    undefined
  )
}

/** True when `scope` calls a function or method named by `names` (`streamSSE(`, `reply.sse(`). */
export function callsNamed(scope: SgNode | undefined, names: string[]): boolean {
  if (!scope) return false
  const regex = `^(${names.map(escapeRegex).join('|')})$`
  return !!scope.find({
    rule: {
      kind: 'call_expression',
      has: {
        field: 'function',
        any: [{ kind: 'identifier', regex }, { kind: 'member_expression', has: { field: 'property', regex } }],
      },
    },
  })
}

/** True when the function sets `text/event-stream` (a header, `ctx.type`, `writeHead`). */
export function setsEventStream(scope: SgNode | undefined): boolean {
  return !!scope?.find({ rule: { kind: 'string_fragment', regex: '^text/event-stream' } })
}

/** The value of `key` in an object literal: `{ prefix: '/v1' }`, or shorthand `{ prefix }`. */
export function propertyOf(object: SgNode | undefined, key: string): SgNode | undefined {
  if (object?.kind() !== 'object') return undefined
  for (const p of object.namedChildren()) {
    if (p.kind() === 'pair') {
      const k = p.field('key')
      const text = k?.kind() === 'string' ? k.text().slice(1, -1) : k?.text()
      if (text === key) return p.field('value') ?? undefined
    } else if (p.kind() === 'shorthand_property_identifier' && p.text() === key) return p
  }
  return undefined
}

/**
 * `registerUsers(app)`: a function of this tree that receives an app or router registers its routes
 * there, so it is mounted on that owner with no prefix of its own. `instances` tells which names are apps.
 */
export function passedInstanceMounts(
  root: SgNode,
  file: Pick<ParsedFile, 'module' | 'manifest'>,
  isInstance: (node: SgNode, name: string) => boolean,
  prefixOf: (owner: string) => MountFact['prefix'],
  lineOf: (node: SgNode) => number,
): MountFact[] {
  const out: MountFact[] = []
  for (const call of root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'identifier' } } })) {
    const fn = call.field('function')!.text()
    if (fn === 'require' || isPackageImport(file, fn)) continue
    for (const arg of argsOf(call)) {
      if (arg.kind() !== 'identifier' || !isInstance(call, arg.text())) continue
      const parent = ownerOf(call, arg.text())
      out.push({ parent, child: { name: fn }, prefix: prefixOf(parent), line: lineOf(call) })
      break
    }
  }
  return out
}

/**
 * What an expression takes on each turn of a loop over a literal table of this file:
 * `for (const [url, file] of table)`, `for (const r of list)`, `list.forEach((r) => ...)`, where the
 * table is an array literal or `new Map([...])`, and the expression is the loop variable, one of its
 * destructured names, or a member of it (`r.path`). undefined when `expr` is not such a value.
 */
export function loopValues(root: SgNode, expr: SgNode): SgNode[] | undefined {
  const member = expr.kind() === 'member_expression' && expr.field('object')?.kind() === 'identifier' ? expr.field('property')?.text() : undefined
  const name = member ? expr.field('object')!.text() : expr.kind() === 'identifier' ? expr.text() : undefined
  if (!name) return undefined
  for (const scope of expr.ancestors()) {
    let binding: SgNode | undefined
    let table: SgNode | undefined
    if (scope.kind() === 'for_in_statement' && scope.children().some((c) => c.kind() === 'of')) {
      binding = scope.field('left') ?? undefined
      table = scope.field('right') ?? undefined
    } else if (FUNCTION_KINDS.has(String(scope.kind()))) {
      const call = scope.parent()?.parent()
      const callee = call?.kind() === 'call_expression' ? call.field('function') : undefined
      if (callee?.kind() !== 'member_expression' || callee.field('property')?.text() !== 'forEach' || argsOf(call!)[0]?.id() !== scope.id()) continue
      const params = scope.field('parameters')?.namedChildren() ?? []
      binding = scope.field('parameter') ?? params[0]?.field('pattern') ?? params[0]
      table = callee.field('object') ?? undefined
    } else continue
    const pick = binding && pickFrom(binding, name)
    if (!pick) continue
    const rows = tableRows(root, table)
    if (!rows) return undefined
    const values = rows.map((row) => {
      const value = pick(row)
      return member ? propertyOf(value, member) : value
    })
    return values.every(Boolean) ? (values as SgNode[]) : undefined
  }
  return undefined
}

/** How to take `name` out of one row, given the loop's binding pattern (`r`, `[url, file]`, `{ path }`). */
function pickFrom(binding: SgNode, name: string): ((row: SgNode) => SgNode | undefined) | undefined {
  const k = binding.kind()
  if (k === 'identifier') return binding.text() === name ? (row) => row : undefined
  const parts = binding.namedChildren()
  if (k === 'array_pattern') {
    const i = parts.findIndex((p) => p.kind() === 'identifier' && p.text() === name)
    return i === -1 ? undefined : (row) => (row.kind() === 'array' ? row.namedChildren()[i] : undefined)
  }
  if (k === 'object_pattern' && parts.some((p) => p.kind() === 'shorthand_property_identifier_pattern' && p.text() === name)) {
    return (row) => propertyOf(row, name)
  }
  return undefined
}

/** The rows of a literal table named in this file: an array literal, or `new Map([[k, v], ...])`. */
function tableRows(root: SgNode, table: SgNode | undefined): SgNode[] | undefined {
  if (table?.kind() !== 'identifier') return undefined
  const re = `^${escapeRegex(table.text())}$`
  const decls = root.findAll({ rule: { kind: 'variable_declarator', has: { field: 'name', regex: re } } })
  let value = decls.length === 1 ? decls[0]!.field('value') : undefined
  if (value?.kind() === 'new_expression' && value.field('constructor')?.text() === 'Map') value = argsOf(value)[0] ?? null
  return value?.kind() === 'array' ? value.namedChildren().filter((n) => n.kind() !== 'comment') : undefined
}

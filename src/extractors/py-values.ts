/**
 * Router values of the Python extractors that follow apps and route tables through functions
 * (Starlette, aiohttp, Litestar): the owner a name stands for where it is used, the functions
 * that receive a router, and the calls that hand one to them.
 *
 * Owners: a module-level value is its own name (`app`, `routes`, `self.app`); a router parameter is
 * its function (`setup_routes(app)` -> `setup_routes`); a local is qualified by its function
 * (`init.api`), unless the function returns it (a factory is its function: `create_app`).
 */
import type { SgNode } from '@ast-grep/napi'
import { callArgs, dottedName, lineOf } from './py-syntax.js'
import type { ExtractContext, FileFacts, MountArg, MountFact, ParsedFile, SymbolRef } from './types.js'

/** `self` and `cls` are never routers a caller passes. */
const RECEIVERS = new Set(['self', 'cls'])

export class PyScopes {
  /** Names the module binds at its top level by assignment. */
  private readonly assigned = new Set<string>()

  constructor(private readonly file: Pick<ParsedFile, 'root' | 'module'>) {
    for (const stmt of file.root.children()) {
      const assign = stmt.kind() === 'expression_statement' ? stmt.namedChildren()[0] : undefined
      const left = assign?.kind() === 'assignment' ? assign.field('left') : undefined
      if (left) for (const name of boundNames(left)) this.assigned.add(name)
    }
  }

  private params = new Map<number, string[]>()
  private locals = new Map<number, Set<string>>()
  private returned = new Map<number, Set<string>>()

  /** The functions a node is written in, nearest first. */
  functionsOf(node: SgNode): SgNode[] {
    return node.ancestors().filter((a) => a.kind() === 'function_definition')
  }

  /** Parameter names of a function, `self` and `cls` left out. */
  paramsOf(fn: SgNode): string[] {
    let hit = this.params.get(fn.id())
    if (!hit) {
      hit = []
      for (const p of fn.field('parameters')?.namedChildren() ?? []) {
        const k = String(p.kind())
        const id = k === 'identifier' ? p : k.endsWith('parameter') ? (p.field('name') ?? p.namedChildren().find((c) => c.kind() === 'identifier')) : undefined
        if (id?.kind() === 'identifier' && !RECEIVERS.has(id.text())) hit.push(id.text())
      }
      this.params.set(fn.id(), hit)
    }
    return hit
  }

  /** Names a function binds itself (assignments, loop and `with` targets), not in functions nested in it. */
  localsOf(fn: SgNode): Set<string> {
    let hit = this.locals.get(fn.id())
    if (!hit) {
      hit = new Set()
      const globals = new Set<string>()
      for (const node of fn.findAll({
        rule: {
          any: [
            { kind: 'assignment' },
            { kind: 'augmented_assignment' },
            { kind: 'for_statement' },
            { kind: 'as_pattern' },
            { kind: 'global_statement' },
            { kind: 'nonlocal_statement' },
          ],
        },
      })) {
        if (this.functionsOf(node)[0]?.id() !== fn.id()) continue
        const k = node.kind()
        if (k === 'global_statement' || k === 'nonlocal_statement') {
          for (const id of node.namedChildren()) globals.add(id.text())
          continue
        }
        const target = k === 'as_pattern' ? node.field('alias') : node.field('left')
        if (target) for (const name of boundNames(target)) hit.add(name)
      }
      for (const g of globals) hit.delete(g)
      this.locals.set(fn.id(), hit)
    }
    return hit
  }

  /** Names a function returns as they are (`return app`). */
  returnedBy(fn: SgNode): Set<string> {
    let hit = this.returned.get(fn.id())
    if (!hit) {
      hit = new Set()
      for (const ret of fn.findAll({ rule: { kind: 'return_statement' } })) {
        if (this.functionsOf(ret)[0]?.id() !== fn.id()) continue
        const value = ret.namedChildren()[0]
        if (value?.kind() === 'identifier') hit.add(value.text())
      }
      this.returned.set(fn.id(), hit)
    }
    return hit
  }

  /**
   * The owner a written name stands for at `at`: a parameter is its function, a local is qualified by
   * its function unless the function returns it, anything else is its own name. `param` names the
   * function and parameter when the name is a parameter.
   */
  ownerOf(name: string, at: SgNode): { owner: string; param?: { fn: string; name: string } } {
    const head = name.split('.')[0]!
    if (RECEIVERS.has(head)) return { owner: name }
    for (const fn of this.functionsOf(at)) {
      const fnName = fn.field('name')?.text()
      if (!fnName) continue
      if (this.paramsOf(fn).includes(head)) return { owner: fnName, param: { fn: fnName, name: head } }
      if (this.localsOf(fn).has(head)) return { owner: this.returnedBy(fn).has(head) && head === name ? fnName : `${fnName}.${name}` }
    }
    return { owner: name }
  }

  /**
   * The owner a name handed to a mount stands for: undefined for a parameter, whose value is whatever
   * each caller passes (parity does not follow Python calls into a function's parameters).
   */
  childOf(name: string, at: SgNode): SymbolRef | undefined {
    const { owner, param } = this.ownerOf(name, at)
    if (param) return undefined
    // A router imported from another module (`from .base import routes`) is that module's, even where
    // this file registers routes on it too.
    const imports = this.file.module.imports
    if (owner === name && !name.includes('.') && Object.hasOwn(imports, name) && !this.assigned.has(name) && imports[name]!.name !== '*')
      return { module: imports[name]!.module, name: imports[name]!.name }
    return { name: owner }
  }

  /** The owner an expression names (a plain or dotted name), or undefined. */
  ownerOfNode(node: SgNode): string | undefined {
    const name = dottedName(node)
    return name ? this.ownerOf(name, node).owner : undefined
  }

  /** The name of the function a node is written in, if any. */
  functionName(node: SgNode): string | undefined {
    return this.functionsOf(node)[0]?.field('name')?.text()
  }
}

/** The plain names a binding target binds: `x`, `a, b`, `(a, [b, c])`; never attributes or subscripts. */
function boundNames(target: SgNode): string[] {
  const k = target.kind()
  if (k === 'identifier') return [target.text()]
  if (k === 'pattern_list' || k === 'tuple_pattern' || k === 'list_pattern' || k === 'as_pattern_target' || k === 'parenthesized_expression')
    return target.namedChildren().flatMap(boundNames)
  return []
}

/** `self._register(app)` -> `_register`: the function a call calls, as a name to follow. */
export function calleeRef(call: SgNode): string | undefined {
  const fn = call.field('function')
  const name = fn && dottedName(fn)
  if (!name) return undefined
  const segs = name.split('.')
  return RECEIVERS.has(segs[0]!) ? segs.slice(1).join('.') : name
}

/** A call's argument as a template's parameter value: a string expression, or a list of them. */
export function mountArg(node: SgNode, ctx: ExtractContext): MountArg {
  const k = node.kind()
  if (k === 'list' || k === 'tuple')
    return {
      items: node
        .namedChildren()
        .filter((c) => c.kind() !== 'comment')
        .map((c) => ctx.pathOf(c)),
    }
  if (k === 'string' || k === 'concatenated_string' || k === 'binary_operator' || k === 'identifier' || k === 'attribute') return ctx.pathOf(node)
  return [{ unknown: node.text() }]
}

/**
 * Calls that hand a router of this file to a function (`setup_routes(app)`, `self._register(app)`):
 * that function serves its routes on the router passed, with the call's arguments bound to its parameters.
 * `isRouter` says which written names stand for routers at a call.
 */
export function routerCalls(
  root: SgNode,
  scopes: PyScopes,
  ctx: ExtractContext,
  isRouter: (name: string, at: SgNode) => boolean,
  skip: (call: SgNode) => boolean,
): MountFact[] {
  const out: MountFact[] = []
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    if (skip(call)) continue
    const callee = calleeRef(call)
    if (!callee) continue
    const args = callArgs(call)
    const passed = [...args.positional, ...args.keywords.values()].find((a) => {
      const name = dottedName(a)
      return !!name && isRouter(name, a)
    })
    if (!passed) continue
    const keywords: Record<string, MountArg> = {}
    for (const [name, value] of args.keywords) keywords[name] = mountArg(value, ctx)
    out.push({
      parent: scopes.ownerOfNode(passed)!,
      child: { name: callee },
      prefix: [],
      line: lineOf(call),
      args: args.positional.map((a) => mountArg(a, ctx)),
      keywords,
    })
  }
  return out
}

/** Record the parameters of every function that is an owner of these facts, for templates bound per call. */
export function recordParams(root: SgNode, scopes: PyScopes, facts: FileFacts): void {
  const owners = new Set<string>()
  for (const r of facts.routes) if (r.owner) owners.add(r.owner)
  for (const m of facts.mounts) if (m.parent) owners.add(m.parent)
  for (const fn of root.findAll({ rule: { kind: 'function_definition' } })) {
    const name = fn.field('name')?.text()
    if (name && owners.has(name) && scopes.paramsOf(fn).length) (facts.params ??= {})[name] = scopes.paramsOf(fn)
  }
}

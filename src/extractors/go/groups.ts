/** Sub-routers: groups held in variables (`v1 := r.Group("/v1")`) and callbacks that receive one (`r.Route("/x", func(r chi.Router) {...})`). */
import type { SgNode } from '@ast-grep/napi'
import type { ExtractContext, FileFacts, SymbolRef } from '../types.js'
import { SAME_ROUTER, type GoFile } from './file.js'
import type { GoLibrary } from './library.js'
import { argsOf, keyOf, lineOf, scopeName } from './nodes.js'

/** Methods that make a group of their receiver: `r.Group("/x")` (gin, echo, fiber), gorilla/mux's `r.PathPrefix("/x").Subrouter()`. */
const GROUP_METHODS = new Set(['Group', 'Subrouter'])

/** `v1 := r.Group("/v1")`: the group is mounted on its parent under its prefix. */
export function collectGroups(g: GoFile, library: GoLibrary, facts: FileFacts, ctx?: ExtractContext): void {
  const plausible = g.plausible(library)
  for (const decl of g.file.root.findAll({ rule: { any: [{ kind: 'short_var_declaration' }, { kind: 'var_spec' }, { kind: 'assignment_statement' }] } })) {
    const bindings: Array<[SgNode, SgNode]> = []
    if (decl.kind() === 'var_spec') {
      const names = decl.children().filter((c) => c.kind() === 'identifier')
      const values =
        decl
          .children()
          .find((c) => c.kind() === 'expression_list')
          ?.namedChildren() ?? []
      names.forEach((n, i) => values[i] && bindings.push([n, values[i]!]))
    } else {
      const left = decl.field('left')?.namedChildren() ?? []
      const right = decl.field('right')?.namedChildren() ?? []
      left.forEach((n, i) => right[i] && bindings.push([n, right[i]!]))
    }
    for (const [target, value] of bindings) {
      // `r.Group("/x")`, also behind middleware: `r.Group("/x").Use(mw)` is the same group.
      let inner = value
      while (inner.kind() === 'call_expression' && SAME_ROUTER.has(inner.field('function')?.field('field')?.text() ?? '')) {
        const operand = inner.field('function')?.field('operand')
        if (!operand) break
        inner = operand
      }
      const made = inner.kind() === 'call_expression' ? inner.field('function')?.field('field')?.text() : undefined
      if (!made || (!GROUP_METHODS.has(made) && g.groupWrapper(made) === undefined)) continue
      const group = g.routerOf(value)
      if (!group || !(group.framework === library.id || (group.framework === undefined && plausible))) continue
      const child = g.routerOf(target)
      if (!child?.owner || group.owner === child.owner) continue
      // `if cfg.MultiTenancy.Enabled { g = e.Group("/:tenant") } else { g = e.Group("") }`: one group, two
      // shapes. The routes are listed once, under the shape of a flag at its zero value (unset).
      const other = decl.kind() === 'assignment_statement' ? alternativeShape(decl, target.text()) : undefined
      if (other && !other.taken) {
        ctx?.diagnose({
          level: 'info',
          code: 'ALTERNATIVE_PREFIX',
          line: lineOf(value),
          message: `\`${target.text()}\` is \`${value.text()}\` only when \`${other.condition}\` is set; its routes are listed under the other branch, taken when it is unset`,
        })
        continue
      }
      facts.mounts.push({ parent: group.owner, child: { name: child.owner }, prefix: group.prefix, line: lineOf(value) })
      facts.routers!.push({ name: child.owner, line: lineOf(target) })
      if (group.groupParam && group.owner) facts.routers!.push({ name: group.owner, line: lineOf(value) })
    }
  }
}

/**
 * An assignment in one branch of `if flag { x = a } else { x = b }` whose other branch assigns the
 * same name: whether its branch is the one taken when the flag is unset (the zero value), and the flag.
 * Undefined when the condition is not a plain flag (`x == "y"`) or the other branch does not assign it.
 */
function alternativeShape(assign: SgNode, name: string): { taken: boolean; condition: string } | undefined {
  // A block holds its statements directly or in a `statement_list`, depending on the grammar's version.
  let block = assign.parent()
  if (block?.kind() === 'statement_list') block = block.parent()
  const stmt = block?.parent()
  if (block?.kind() !== 'block' || stmt?.kind() !== 'if_statement') return undefined
  const consequence = stmt.field('consequence')
  const alternative = stmt.field('alternative')
  if (!consequence || alternative?.kind() !== 'block') return undefined
  const inConsequence = keyOf(consequence) === keyOf(block)
  const other = inConsequence ? alternative : consequence
  const statements = other.namedChildren().flatMap((c) => (c.kind() === 'statement_list' ? c.namedChildren() : [c]))
  const assigns = statements.some(
    (c) =>
      c.kind() === 'assignment_statement' &&
      c
        .field('left')
        ?.namedChildren()
        .some((l) => l.text() === name),
  )
  if (!assigns) return undefined
  let cond = stmt.field('condition')
  let negated = false
  if (cond?.kind() === 'unary_expression' && cond.text().startsWith('!')) {
    cond = cond.namedChildren()[0] ?? null
    negated = true
  }
  if (!cond || (cond.kind() !== 'identifier' && cond.kind() !== 'selector_expression') || stmt.field('initializer')) return undefined
  // Unset, the flag is false: `if flag` takes the alternative, `if !flag` the consequence.
  return { taken: inConsequence === negated, condition: cond.text() }
}

/** `r.Route("/api", func(r chi.Router) {...})`, `r.Group(func(r chi.Router) {...})`, `app.Route("/x", registerX)`. */
export function collectCallbackRouters(g: GoFile, ctx: ExtractContext, library: GoLibrary, facts: FileFacts): void {
  const methods = library.callbacks ?? []
  const calls = g.file.root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: `^(${methods.join('|')})$` } } },
  })
  const plausible = g.plausible(library)
  for (const call of calls) {
    const fn = call.field('function')!
    const operand = fn.field('operand')
    const router = operand ? g.routerOf(operand) : undefined
    if (!router || !(router.framework === library.id || (router.framework === undefined && plausible))) continue
    const args = argsOf(call)
    const withPath = args[0] && args[0].kind() !== 'func_literal' && args.length >= 2
    const callback = withPath ? args[1] : args[0]
    if (!callback) continue
    const prefix = withPath ? [...router.prefix, ...ctx.pathOf(args[0]!)] : router.prefix
    let child: SymbolRef | undefined
    if (callback.kind() === 'func_literal') {
      child = { name: scopeName(callback) }
      facts.routers!.push({ name: child.name, line: lineOf(callback) })
    } else child = g.calleeRef(callback)
    if (child) facts.mounts.push({ parent: router.owner, child, prefix, line: lineOf(call) })
  }
}

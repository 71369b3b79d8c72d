/** Syntax helpers of the Go walker: call arguments, node identity, the function a node is in and its name. */
import type { SgNode } from '@ast-grep/napi'

/** Named arguments of a call, without the punctuation. */
export function argsOf(call: SgNode): SgNode[] {
  return (
    call
      .field('arguments')
      ?.namedChildren()
      .filter((n) => n.kind() !== 'comment') ?? []
  )
}

export const FUNCTION_KINDS = new Set(['function_declaration', 'method_declaration', 'func_literal'])

/** How far a value is followed through variables and wrappers. */
export const MAX_VALUE_DEPTH = 8

export const lineOf = (node: SgNode) => node.range().start.line + 1
/** A node's identity: two lookups of one node are different objects. */
export const keyOf = (node: SgNode) => `${node.range().start.index}:${node.range().end.index}`

/** True when `node` is directly inside `fn`, not inside a function literal of it. */
export function sameFunction(node: SgNode, fn: SgNode): boolean {
  for (let cur = node.parent(); cur; cur = cur.parent()) {
    if (FUNCTION_KINDS.has(String(cur.kind()))) return keyOf(cur) === keyOf(fn)
  }
  return false
}

/** `Server` for `func (s *Server) routes()`. */
export function receiverType(fn: SgNode): string {
  const type = fn
    .field('receiver')
    ?.find({ rule: { kind: 'parameter_declaration' } })
    ?.field('type')
  return type ? (typeText(type) ?? type.text()) : 'receiver'
}

/** `handlers.UserHandler` for `*handlers.UserHandler`, `Server` for `*Server[T]`. */
export function typeText(type: SgNode): string | undefined {
  let t = type
  while (t.kind() === 'pointer_type' || t.kind() === 'generic_type') {
    const inner = t.kind() === 'generic_type' ? t.field('type') : t.namedChildren()[0]
    if (!inner) return undefined
    t = inner
  }
  return t.kind() === 'type_identifier' || t.kind() === 'qualified_type' ? t.text() : undefined
}

/** The name a function is known by: `RegisterRoutes`, `UserHandler.Register`, `main.func@12` for a function literal. */
export function scopeName(fn: SgNode): string {
  const k = fn.kind()
  if (k === 'function_declaration') return fn.field('name')?.text() ?? `func@${lineOf(fn)}`
  if (k === 'method_declaration') return `${receiverType(fn)}.${fn.field('name')?.text() ?? ''}`
  for (let cur = fn.parent(); cur; cur = cur.parent()) {
    if (FUNCTION_KINDS.has(String(cur.kind()))) return `${scopeName(cur)}.func@${lineOf(fn)}`
  }
  return `func@${lineOf(fn)}`
}

/** Reading option objects and constant strings in TypeScript/JavaScript extractors (`{ path: '/ws' }`, `setGlobalPrefix(PREFIX)`). */
import type { SgNode } from '@ast-grep/napi'
import type { ModuleInfo, PathExpr } from '../languages/types.js'

/** The value of `key` in an object literal (`{ path: '/x' }`, `{ 'path': x }`, `{ path }`); undefined when absent. */
export function optionOf(object: SgNode | undefined, key: string): SgNode | undefined {
  if (object?.kind() !== 'object') return undefined
  for (const member of object.namedChildren()) {
    const k = member.kind()
    if (k === 'pair') {
      const name = member.field('key')
      const text = name?.kind() === 'string' ? name.text().slice(1, -1) : name?.text()
      if (text === key) return member.field('value') ?? undefined
    } else if (k === 'shorthand_property_identifier' && member.text() === key) return member
  }
  return undefined
}

/** The text of a path expression made only of literals and this file's constants; undefined otherwise. */
export function literalText(expr: PathExpr, module: ModuleInfo, depth = 0): string | undefined {
  let text = ''
  for (const part of expr) {
    if (typeof part === 'string') text += part
    else if ('ref' in part && depth < 8) {
      const value = module.constants[part.ref]
      const inner = value && literalText(value, module, depth + 1)
      if (inner === undefined) return undefined
      text += inner
    } else return undefined
  }
  return text
}

/** True when `name` (or the head of `name.x`) is imported from one of `packages`. */
export function importedFrom(module: ModuleInfo, name: string, packages: readonly string[]): boolean {
  const imp = module.imports[name.split('.')[0]!]
  return !!imp && packages.includes(imp.module)
}

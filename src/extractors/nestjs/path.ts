/** Path helpers of the NestJS extractor: Nest joins its path pieces with one slash each. */
import type { ModuleInfo, PathExpr } from '../types.js'

/**
 * Join path pieces the way Nest's RoutePathFactory does: each piece gets one leading slash,
 * empty pieces (`@Get()`, `@Controller()`) vanish, trailing slashes are dropped.
 */
export function joinSegments(pieces: PathExpr[]): PathExpr {
  const out: PathExpr = []
  for (const piece of pieces) {
    if (piece.every((p) => typeof p === 'string')) {
      const text = (piece as string[]).join('').replace(/^\/+|\/+$/g, '')
      if (text) out.push(`/${text}`)
    } else out.push('/', ...piece)
  }
  return out
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

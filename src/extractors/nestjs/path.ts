/** Path helpers of the NestJS extractor: Nest joins its path pieces with one slash each. */
import type { PathExpr } from '../types.js'

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

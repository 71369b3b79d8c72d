/** Format templates with `{}` fields (Python's `str.format`, Rust's `format!`) as path expressions. */
import type { PathExpr, PathPart } from './types.js'

/**
 * Expand `"/api/{}/{name}"`: `{{` and `}}` are literal braces; each field is filled by `field(spec,
 * position)` (`position` counts the empty `{}` fields). undefined when a field cannot be filled.
 */
export function expandBraceTemplate(template: string, field: (spec: string, position: number) => PathExpr | undefined): PathExpr | undefined {
  const out: PathExpr = []
  let next = 0
  let i = 0
  while (i < template.length) {
    const c = template[i]!
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      out.push(c)
      i += 2
      continue
    }
    if (c !== '{') {
      out.push(c)
      i++
      continue
    }
    const close = template.indexOf('}', i)
    if (close === -1) return undefined
    const spec = template.slice(i + 1, close)
    const value = field(spec, spec === '' ? next++ : -1)
    if (!value) return undefined
    out.push(...value)
    i = close + 1
  }
  return mergeLiterals(out)
}

/** Adjacent literal parts joined into one. */
export function mergeLiterals(parts: PathExpr): PathExpr {
  const out: PathPart[] = []
  for (const p of parts) {
    const prev = out[out.length - 1]
    if (typeof p === 'string' && typeof prev === 'string') out[out.length - 1] = prev + p
    else out.push(p)
  }
  return out
}

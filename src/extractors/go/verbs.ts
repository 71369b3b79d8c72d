/** The route-registering methods of a Go router library, and the HTTP methods their arguments name. */
import type { SgNode } from '@ast-grep/napi'
import { goStringLiteral } from '../../languages/go.js'

/** How a framework's route-registering methods read their arguments. */
export interface VerbSpec {
  /** Fixed methods (`GET`, or `ALL` for any). */
  methods?: string[]
  /** Index of the argument holding the method(s) instead. */
  methodArg?: number
  pathArg: number
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE']

/**
 * Route methods named after HTTP methods, each taking the path first: `GET` (gin, echo) or `Get`
 * (chi, fiber), for the methods a framework has.
 */
export function methodVerbs(style: 'upper' | 'title', methods: string[] = HTTP_METHODS): Record<string, VerbSpec> {
  const name = (m: string) => (style === 'upper' ? m : m[0] + m.slice(1).toLowerCase())
  return Object.fromEntries(methods.map((m) => [name(m), { methods: [m], pathArg: 0 }]))
}

/** Text that a file registering routes with these verbs must hold: `.GET(`, `.Get(`... */
export function verbNeedles(verbs: Record<string, VerbSpec>): string[] {
  return Object.keys(verbs).map((v) => `.${v}(`)
}

/** `"GET"`, `http.MethodGet`, `[]string{"GET", "POST"}`: upper-case methods, or undefined when not static. */
export function methodsOf(node: SgNode): string[] | undefined {
  const literal = goStringLiteral(node)
  if (literal !== undefined) return [literal.toUpperCase()]
  const k = node.kind()
  if (k === 'selector_expression') {
    const field = node.field('field')?.text() ?? ''
    return field.startsWith('Method') && field.length > 6 ? [field.slice(6).toUpperCase()] : undefined
  }
  if (k === 'composite_literal') {
    const out: string[] = []
    for (const el of node.field('body')?.namedChildren() ?? []) {
      const value = el.namedChildren()[0] ?? el
      const m = methodsOf(value)
      if (!m) return undefined
      out.push(...m)
    }
    return out
  }
  return undefined
}

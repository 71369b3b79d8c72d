/**
 * The shape of a request, for grouping a route's differences: a list route that breaks for `?sort=`
 * one way and for `?page=` another shows two groups. Only names count, never values.
 */
import type { RecordedRequest, RequestShape } from '../model/exchange.js'

/** `?page,sort {name,tags}`: the sorted query parameter names, then the body's top-level keys (else its content type); `-` for neither. */
export function requestShape(request: RecordedRequest): RequestShape {
  const parts: string[] = []
  const q = request.url.indexOf('?')
  if (q >= 0) {
    const names = [...new Set([...new URLSearchParams(request.url.slice(q + 1)).keys()])].sort()
    if (names.length) parts.push(`?${names.join(',')}`)
  }
  const body = bodyShape(request)
  if (body) parts.push(body)
  return parts.join(' ') || '-'
}

function bodyShape(request: RecordedRequest): string | undefined {
  const body = request.body
  if (!body || body.size === 0) return undefined
  if (body.text !== undefined) {
    try {
      const value: unknown = JSON.parse(body.text)
      if (Array.isArray(value)) return '[...]'
      if (value && typeof value === 'object') return `{${Object.keys(value).sort().join(',')}}`
    } catch {
      // Not JSON: its content type says what it is.
    }
  }
  const type = request.headers.find(([n]) => n === 'content-type')?.[1]
  return type ? (type.split(';')[0] ?? type).trim().toLowerCase() : 'body'
}

/**
 * A JSON parser that keeps what `JSON.parse` throws away and a cross-language diff needs: the raw
 * text of each number (`1` vs `1.0`, integers past 2^53) and the order of object keys (JS objects
 * reorder integer-like keys).
 */

export interface JsonNumber {
  kind: 'num'
  raw: string
}
export interface JsonObject {
  kind: 'obj'
  /** Keys in document order (a repeated key keeps its first position, its last value). */
  keys: string[]
  values: Map<string, JsonNode>
}
export type JsonNode = null | boolean | string | JsonNumber | JsonObject | JsonNode[]

const maxDepth = 512

/** Parse JSON text; `undefined` when it is not JSON (or nested deeper than 512 levels). */
export function parseJsonTree(text: string): JsonNode | undefined {
  const p = { s: text, i: 0 }
  try {
    skipWs(p)
    const v = value(p, 0)
    skipWs(p)
    return p.i === p.s.length ? v : undefined
  } catch {
    return undefined
  }
}

interface Cursor {
  s: string
  i: number
}

function skipWs(p: Cursor): void {
  while (p.i < p.s.length) {
    const c = p.s.charCodeAt(p.i)
    if (c === 32 || c === 10 || c === 13 || c === 9) p.i++
    else break
  }
}

const numberAt = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

function value(p: Cursor, depth: number): JsonNode {
  if (depth > maxDepth) throw new Error('too deep')
  const c = p.s[p.i]
  if (c === '"') return string(p)
  if (c === '{') {
    p.i++
    const obj: JsonObject = { kind: 'obj', keys: [], values: new Map() }
    skipWs(p)
    if (p.s[p.i] === '}') {
      p.i++
      return obj
    }
    for (;;) {
      skipWs(p)
      if (p.s[p.i] !== '"') throw new Error('key')
      const key = string(p)
      skipWs(p)
      if (p.s[p.i++] !== ':') throw new Error('colon')
      skipWs(p)
      const v = value(p, depth + 1)
      if (!obj.values.has(key)) obj.keys.push(key)
      obj.values.set(key, v)
      skipWs(p)
      const next = p.s[p.i++]
      if (next === '}') return obj
      if (next !== ',') throw new Error('comma')
    }
  }
  if (c === '[') {
    p.i++
    const arr: JsonNode[] = []
    skipWs(p)
    if (p.s[p.i] === ']') {
      p.i++
      return arr
    }
    for (;;) {
      skipWs(p)
      arr.push(value(p, depth + 1))
      skipWs(p)
      const next = p.s[p.i++]
      if (next === ']') return arr
      if (next !== ',') throw new Error('comma')
    }
  }
  if (p.s.startsWith('true', p.i)) {
    p.i += 4
    return true
  }
  if (p.s.startsWith('false', p.i)) {
    p.i += 5
    return false
  }
  if (p.s.startsWith('null', p.i)) {
    p.i += 4
    return null
  }
  numberAt.lastIndex = p.i
  const m = numberAt.exec(p.s)
  if (!m) throw new Error('value')
  p.i += m[0].length
  return { kind: 'num', raw: m[0] }
}

function string(p: Cursor): string {
  const start = p.i
  // Fast path: no escape before the closing quote (control characters are tolerated).
  const close = p.s.indexOf('"', start + 1)
  if (close < 0) throw new Error('unterminated')
  const slash = p.s.indexOf('\\', start + 1)
  if (slash < 0 || slash > close) {
    p.i = close + 1
    return p.s.slice(start + 1, close)
  }
  let j = start + 1
  for (;;) {
    const c = p.s.charCodeAt(j)
    if (Number.isNaN(c)) throw new Error('unterminated')
    if (c === 92) {
      j += 2
      continue
    }
    if (c === 34) break
    j++
  }
  p.i = j + 1
  return JSON.parse(p.s.slice(start, j + 1)) as string
}

/** The plain JS value of a node, for reports (numbers as numbers unless that would lose digits). */
export function toPlain(node: JsonNode): unknown {
  if (node === null || typeof node !== 'object') return node
  if (Array.isArray(node)) return node.map(toPlain)
  if (node.kind === 'num') {
    const n = Number(node.raw)
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(node.raw) ? n : node.raw
  }
  const out: Record<string, unknown> = {}
  for (const k of node.keys) out[k] = toPlain(node.values.get(k) ?? null)
  return out
}

/**
 * A number's exact decimal value as `sign digits e exponent`, so `1`, `1.0`, `1e0` and `10e-1`
 * compare equal without going through a double (which would equate distinct big integers).
 */
export function canonicalNumber(raw: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(raw)
  if (!m) return raw
  let digits = (m[2] ?? '') + (m[3] ?? '')
  let exp = Number(m[4] ?? 0) + (m[2] ?? '').length
  let lead = 0
  while (lead < digits.length && digits[lead] === '0') lead++
  digits = digits.slice(lead)
  exp -= lead
  digits = digits.replace(/0+$/, '')
  if (digits === '') return '0'
  return `${m[1]}${digits}e${exp}`
}

/** A short type name for reports: `object`, `array`, `number`, `string`, `boolean`, `null`. */
export function typeOf(node: JsonNode): string {
  if (node === null) return 'null'
  if (Array.isArray(node)) return 'array'
  if (typeof node === 'object') return node.kind === 'num' ? 'number' : 'object'
  return typeof node
}

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
  src = text
  at = 0
  slashAt = 0
  try {
    skipWs()
    const v = value(0)
    skipWs()
    return at === src.length ? v : undefined
  } catch {
    return undefined
  } finally {
    src = ''
  }
}

// The text being parsed and the position in it: module state rather than a cursor object, as the
// parser is synchronous and never re-entered; the text is let go when a parse ends.
let src = ''
let at = 0
/** The position of the next backslash at or after the string being read, -1 when none is left. */
let slashAt = 0

function skipWs(): void {
  while (at < src.length) {
    const c = src.charCodeAt(at)
    if (c === 32 || c === 10 || c === 13 || c === 9) at++
    else break
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function value(depth: number): JsonNode {
  if (depth > maxDepth) throw new Error('too deep')
  const c = src.charCodeAt(at)
  if (c === 34) return string()
  if (c === 123) {
    at++
    const obj: JsonObject = { kind: 'obj', keys: [], values: new Map() }
    skipWs()
    if (src.charCodeAt(at) === 125) {
      at++
      return obj
    }
    for (;;) {
      skipWs()
      if (src.charCodeAt(at) !== 34) throw new Error('key')
      const key = string()
      skipWs()
      if (src.charCodeAt(at++) !== 58) throw new Error('colon')
      skipWs()
      const v = value(depth + 1)
      const size = obj.values.size
      obj.values.set(key, v)
      if (obj.values.size !== size) obj.keys.push(key)
      skipWs()
      const next = src.charCodeAt(at++)
      if (next === 125) return obj
      if (next !== 44) throw new Error('comma')
    }
  }
  if (c === 91) {
    at++
    const arr: JsonNode[] = []
    skipWs()
    if (src.charCodeAt(at) === 93) {
      at++
      return arr
    }
    for (;;) {
      skipWs()
      arr.push(value(depth + 1))
      skipWs()
      const next = src.charCodeAt(at++)
      if (next === 93) return arr
      if (next !== 44) throw new Error('comma')
    }
  }
  if (c === 116 && src.startsWith('true', at)) {
    at += 4
    return true
  }
  if (c === 102 && src.startsWith('false', at)) {
    at += 5
    return false
  }
  if (c === 110 && src.startsWith('null', at)) {
    at += 4
    return null
  }
  return number()
}

/** `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`, the longest prefix that matches, by hand. */
function number(): JsonNumber {
  const start = at
  let i = at
  if (src.charCodeAt(i) === 45) i++
  const lead = src.charCodeAt(i)
  if (lead === 48) i++
  else if (lead >= 49 && lead <= 57) {
    i++
    while (isDigit(src.charCodeAt(i))) i++
  } else throw new Error('value')
  if (src.charCodeAt(i) === 46 && isDigit(src.charCodeAt(i + 1))) {
    i += 2
    while (isDigit(src.charCodeAt(i))) i++
  }
  const e = src.charCodeAt(i)
  if (e === 101 || e === 69) {
    let j = i + 1
    const sign = src.charCodeAt(j)
    if (sign === 43 || sign === 45) j++
    if (isDigit(src.charCodeAt(j))) {
      j++
      while (isDigit(src.charCodeAt(j))) j++
      i = j
    }
  }
  at = i
  return { kind: 'num', raw: src.slice(start, i) }
}

function string(): string {
  const start = at
  // Fast path: no escape before the closing quote (control characters are tolerated).
  const close = src.indexOf('"', start + 1)
  if (close < 0) throw new Error('unterminated')
  // The next backslash is looked for once, not once per string: a long text without one stays linear.
  if (slashAt !== -1 && slashAt <= start) slashAt = src.indexOf('\\', start + 1)
  if (slashAt < 0 || slashAt > close) {
    at = close + 1
    return src.slice(start + 1, close)
  }
  let j = start + 1
  for (;;) {
    const c = src.charCodeAt(j)
    if (Number.isNaN(c)) throw new Error('unterminated')
    if (c === 92) {
      j += 2
      continue
    }
    if (c === 34) break
    j++
  }
  at = j + 1
  return JSON.parse(src.slice(start, j + 1)) as string
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

/**
 * The tree of a plain JS value as `JSON.stringify` writes it and this parser reads it back:
 * numbers by their JS text, keys in the object's own order, `toJSON` applied, undefined and
 * functions left out of objects and null in arrays, non-finite numbers null.
 */
export function toJsonTree(value: unknown): JsonNode {
  return treeOf(value, 0) ?? null
}

function treeOf(value: unknown, depth: number): JsonNode | undefined {
  if (depth > maxDepth) throw new RangeError(`a value nested deeper than ${maxDepth} levels (or a cycle) has no JSON tree`)
  let v = value
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(): unknown }).toJSON()
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'num', raw: String(v) } : null
  if (typeof v === 'bigint') return { kind: 'num', raw: String(v) }
  if (typeof v !== 'object') return undefined
  if (Array.isArray(v)) return v.map((x: unknown) => treeOf(x, depth + 1) ?? null)
  const keys: string[] = []
  const values = new Map<string, JsonNode>()
  for (const [k, x] of Object.entries(v)) {
    const node = treeOf(x, depth + 1)
    if (node === undefined) continue
    keys.push(k)
    values.set(k, node)
  }
  return { kind: 'obj', keys, values }
}

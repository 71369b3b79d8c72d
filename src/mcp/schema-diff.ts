/**
 * The tool checklist from two lists of MCP items: present, missing or extra; descriptions
 * (documentation, never breaking); input and output JSON Schemas compared structurally and
 * classified for a client written against the baseline; annotations. Pure, no I/O.
 */
import type { McpItem } from '../model/inventory.js'
import { schemaProblem } from './probe.js'
import type { McpChange, McpToolResult } from '../model/mcp.js'

type Schema = Record<string, unknown>
type Side = 'input' | 'output'

const isObj = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v)

/** JSON with object keys sorted: equal texts for equal values whatever the key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`
  return JSON.stringify(v) ?? 'null'
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/** The JSON types a schema admits (`integer` stands inside `number`); undefined when it does not say. */
function typesOf(s: Schema): Set<string> | undefined {
  if (typeof s.type === 'string') return new Set([s.type])
  if (Array.isArray(s.type)) return new Set(s.type.filter((t): t is string => typeof t === 'string'))
  if (s.const !== undefined) return undefined
  return undefined
}

function admits(types: Set<string>, t: string): boolean {
  return types.has(t) || (t === 'integer' && types.has('number'))
}

function requiredOf(s: Schema): Set<string> {
  return new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [])
}

function propsOf(s: Schema): Record<string, unknown> {
  return isObj(s.properties) ? s.properties : {}
}

interface Walk {
  side: Side
  changes: McpChange[]
  /** The whole schemas, for local `$ref`s (`#/definitions/Args`, `#/$defs/Item`). */
  roots: { base: Schema; cand: Schema }
}

/** How deep the walk goes: a recursive schema (`$ref` to itself) stops here. */
const maxDepth = 32

/** A local `$ref` followed (a few hops at most), its sibling keywords kept; anything else as it is. */
function deref(root: Schema, s: Schema): Schema {
  let out = s
  for (let hop = 0; hop < 8 && typeof out.$ref === 'string' && out.$ref.startsWith('#'); hop++) {
    let target: unknown = root
    for (const part of out.$ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')
      target = isObj(target) ? target[key] : undefined
    }
    if (!isObj(target)) break
    const { $ref: _ref, ...rest } = out
    out = { ...target, ...rest }
  }
  return out
}

function add(w: Walk, breaking: boolean, detail: string, pointer: string): void {
  w.changes.push({ kind: w.side === 'input' ? 'input-schema' : 'output-schema', breaking, detail, pointer })
}

/** `argument \`a.b\`` for input, `field \`a.b\`` for output; `the arguments` / `the result` at the root. */
function label(w: Walk, name: string): string {
  if (!name) return w.side === 'input' ? 'the arguments' : 'the result'
  return `${w.side === 'input' ? 'argument' : 'field'} \`${name}\``
}

function walk(w: Walk, baseIn: Schema, candIn: Schema, pointer: string, name: string, depth = 0): void {
  if (depth > maxDepth) return
  // A schema written as a `$ref` into its definitions (zod-to-json-schema does) compares as what it points to.
  const base = deref(w.roots.base, baseIn)
  const cand = deref(w.roots.cand, candIn)
  // Types: a client of the baseline sends (input) or expects (output) any type the baseline admits.
  const bt = typesOf(base)
  const ct = typesOf(cand)
  if (bt && ct) {
    const lost = [...bt].filter((t) => !admits(ct, t))
    const gained = [...ct].filter((t) => !admits(bt, t))
    if (w.side === 'input') {
      if (lost.length) add(w, true, `${label(w, name)} no longer accepts ${lost.join(', ')} (now ${[...ct].join(' | ')})`, `${pointer}/type`)
      else if (gained.length) add(w, false, `${label(w, name)} also accepts ${gained.join(', ')}`, `${pointer}/type`)
    } else if (gained.length) add(w, true, `${label(w, name)} may now be ${gained.join(', ')} (was ${[...bt].join(' | ')})`, `${pointer}/type`)
    else if (lost.length) add(w, false, `${label(w, name)} is no longer ${lost.join(', ')}`, `${pointer}/type`)
  } else if (!bt && ct && w.side === 'input') {
    add(w, true, `${label(w, name)} is now restricted to ${[...ct].join(' | ')}`, `${pointer}/type`)
  }
  // Enums.
  const be = Array.isArray(base.enum) ? base.enum.map(stableJson) : undefined
  const ce = Array.isArray(cand.enum) ? cand.enum.map(stableJson) : undefined
  if (be || ce) {
    const lost = be ? (ce ? be.filter((v) => !ce.includes(v)) : []) : undefined
    const gained = ce ? (be ? ce.filter((v) => !be.includes(v)) : []) : undefined
    const narrowed = w.side === 'input' ? (lost === undefined ? 'all' : lost) : gained === undefined ? 'all' : gained
    const widened = w.side === 'input' ? (gained === undefined ? 'all' : gained) : lost === undefined ? 'all' : lost
    if (narrowed === 'all') add(w, true, `${label(w, name)} is now restricted to ${ce!.join(', ')}`, `${pointer}/enum`)
    else if (narrowed.length)
      add(
        w,
        true,
        w.side === 'input' ? `${label(w, name)} no longer accepts ${narrowed.join(', ')}` : `${label(w, name)} may now be ${narrowed.join(', ')}`,
        `${pointer}/enum`,
      )
    else if (widened === 'all') add(w, false, `${label(w, name)} is no longer restricted to listed values`, `${pointer}/enum`)
    else if (widened.length)
      add(
        w,
        false,
        w.side === 'input' ? `${label(w, name)} also accepts ${widened.join(', ')}` : `${label(w, name)} is no longer ${widened.join(', ')}`,
        `${pointer}/enum`,
      )
  }
  // Words: a title or a description documents; a client does not break on either.
  for (const field of ['title', 'description'] as const) {
    const b = typeof base[field] === 'string' ? base[field] : undefined
    const c = typeof cand[field] === 'string' ? cand[field] : undefined
    if (b === c) continue
    const what = `${label(w, name)} ${field}`
    if (b === undefined) add(w, false, `${what} added: ${JSON.stringify(c)}`, `${pointer}/${field}`)
    else if (c === undefined) add(w, false, `${what} removed (was ${JSON.stringify(b)})`, `${pointer}/${field}`)
    else add(w, false, `${what} changed: ${JSON.stringify(b)} -> ${JSON.stringify(c)}`, `${pointer}/${field}`)
  }
  bounds(w, base, cand, pointer, name)
  additional(w, base, cand, pointer, name, depth)
  // Properties.
  const bp = propsOf(base)
  const cp = propsOf(cand)
  const br = requiredOf(base)
  const cr = requiredOf(cand)
  const sub = (p: string) => (name ? `${name}.${p}` : p)
  for (const p of Object.keys(bp)) {
    const at = `${pointer}/properties/${esc(p)}`
    if (!(p in cp)) {
      add(w, true, `${label(w, sub(p))} was removed`, at)
      continue
    }
    if (w.side === 'input' && cr.has(p) && !br.has(p)) add(w, true, `${label(w, sub(p))} is now required`, `${pointer}/required`)
    if (w.side === 'input' && br.has(p) && !cr.has(p)) add(w, false, `${label(w, sub(p))} is now optional`, `${pointer}/required`)
    if (w.side === 'output' && br.has(p) && !cr.has(p)) add(w, true, `${label(w, sub(p))} may now be absent`, `${pointer}/required`)
    const bs = bp[p]
    const cs = cp[p]
    if (isObj(bs) && isObj(cs)) walk(w, bs, cs, at, sub(p), depth + 1)
  }
  for (const p of Object.keys(cp)) {
    if (p in bp) continue
    const at = `${pointer}/properties/${esc(p)}`
    if (w.side === 'input') {
      if (cr.has(p)) add(w, true, `new ${label(w, sub(p))} is required`, at)
      else add(w, false, `new optional ${label(w, sub(p))}`, at)
    } else add(w, false, `new ${label(w, sub(p))}`, at)
  }
  // Array items.
  if (isObj(base.items) && isObj(cand.items)) walk(w, base.items, cand.items, `${pointer}/items`, name ? `${name}[]` : '[]', depth + 1)
}

/** Lower and upper bounds: on input a tighter bound refuses what a client sent; on output a looser one breaks what a reader assumed. */
const boundPairs = [
  ['minItems', 'maxItems'],
  ['minLength', 'maxLength'],
  ['minProperties', 'maxProperties'],
  ['minimum', 'maximum'],
] as const

function bounds(w: Walk, base: Schema, cand: Schema, pointer: string, name: string): void {
  const num = (s: Schema, k: string) => (typeof s[k] === 'number' && Number.isFinite(s[k]) ? (s[k] as number) : undefined)
  for (const [lowKey, highKey] of boundPairs) {
    for (const [key, low] of [
      [lowKey, true],
      [highKey, false],
    ] as const) {
      const b = num(base, key)
      const c = num(cand, key)
      if (b === c) continue
      // Tighter: a larger minimum, a smaller maximum, or a bound where there was none.
      const tighter = b === undefined ? true : c === undefined ? false : low ? c > b : c < b
      const breaking = w.side === 'input' ? tighter : !tighter
      const was = b === undefined ? 'none' : `${b}`
      const now = c === undefined ? 'none' : `${c}`
      const phrase = `${key} ${was} -> ${now}`
      const effect =
        w.side === 'input' ? (tighter ? 'accepts less' : 'accepts more') : tighter ? 'is held to a narrower range' : 'may now fall outside the range it had'
      add(w, breaking, `${label(w, name)} ${effect} (${phrase})`, `${pointer}/${key}`)
    }
  }
}

/**
 * `additionalProperties`: false where other properties were allowed refuses arguments a client of
 * the baseline may send (input, breaking); allowing them again is compatible. On output, other
 * fields appearing or going away does not break a reader of the listed fields. Two schemas are compared.
 */
function additional(w: Walk, base: Schema, cand: Schema, pointer: string, name: string, depth: number): void {
  const b = base.additionalProperties
  const c = cand.additionalProperties
  if (stableJson(b) === stableJson(c)) return
  const closed = (v: unknown) => v === false
  const at = `${pointer}/additionalProperties`
  const what = label(w, name)
  // `the arguments accept`, `argument \`o\` accepts`, `the result holds`.
  const verb = (one: string, many: string) => (!name && w.side === 'input' ? many : one)
  const accept = w.side === 'input' ? verb('accepts', 'accept') : 'holds'
  if (!closed(b) && closed(c)) {
    add(
      w,
      w.side === 'input',
      `${what} no longer ${w.side === 'input' ? verb('accepts', 'accept') : 'holds'} properties that are not listed (additionalProperties: false)`,
      at,
    )
  } else if (closed(b) && !closed(c)) {
    add(w, false, `${what} now ${w.side === 'input' ? accept : 'may hold'} properties that are not listed`, at)
  } else if (isObj(b) && isObj(c)) {
    walk(w, b, c, at, name ? `${name}.*` : '*', depth + 1)
  } else if (isObj(c) && (b === undefined || b === true)) {
    // Any value was allowed; now a schema constrains them.
    add(w, w.side === 'input', `${what}: the values of properties that are not listed are now restricted`, at)
  } else if (isObj(b) && (c === undefined || c === true)) {
    add(w, w.side === 'output', `${what}: the values of properties that are not listed are no longer restricted`, at)
  }
}

/** Structural changes between two JSON Schemas of one tool's input or output, classified as breaking or compatible. */
export function diffSchemas(base: unknown, cand: unknown, side: Side): McpChange[] {
  const kind = side === 'input' ? 'input-schema' : 'output-schema'
  if (base === undefined && cand === undefined) return []
  if (base === undefined) {
    // A tool that starts declaring its output promises more; one that starts declaring input constrains more.
    return side === 'output'
      ? [{ kind, breaking: false, detail: 'an output schema is now declared', pointer: '' }]
      : diffSchemas({ type: 'object' }, cand, side)
  }
  if (cand === undefined) return side === 'output' ? [{ kind, breaking: true, detail: 'the output schema is no longer declared', pointer: '' }] : []
  if (schemaProblem(base) || schemaProblem(cand)) {
    // Malformed: compared as text.
    return stableJson(base) === stableJson(cand)
      ? []
      : [{ kind, breaking: true, detail: `the ${side} schema differs (malformed, compared as text)`, pointer: '' }]
  }
  const w: Walk = { side, changes: [], roots: { base: base as Schema, cand: cand as Schema } }
  walk(w, base as Schema, cand as Schema, '', '')
  return w.changes
}

/** The tool checklist: every item of either side by key, baseline order first. */
export function diffMcp(baseline: McpItem[], candidate: McpItem[]): McpToolResult[] {
  const byKey = new Map(candidate.map((c) => [c.key, c]))
  const seen = new Set<string>()
  const out: McpToolResult[] = []
  for (const b of baseline) {
    if (seen.has(b.key)) continue
    seen.add(b.key)
    const c = byKey.get(b.key)
    if (!c) {
      out.push({ name: b.name, kind: b.kind, status: 'missing', changes: [] })
      continue
    }
    const changes: McpChange[] = []
    if ((b.description ?? '') !== (c.description ?? '')) {
      changes.push({
        kind: 'description',
        breaking: false,
        detail: `description changed: ${JSON.stringify(b.description ?? '')} -> ${JSON.stringify(c.description ?? '')}`,
      })
    }
    changes.push(...diffSchemas(b.inputSchema, c.inputSchema, 'input'))
    changes.push(...diffSchemas(b.outputSchema, c.outputSchema, 'output'))
    if (stableJson(b.annotations ?? {}) !== stableJson(c.annotations ?? {})) {
      changes.push({
        kind: 'annotations',
        breaking: false,
        detail: `annotations changed: ${stableJson(b.annotations ?? {})} -> ${stableJson(c.annotations ?? {})}`,
      })
    }
    out.push({ name: b.name, kind: b.kind, status: changes.some((x) => x.breaking) ? 'divergent' : 'ported', changes })
  }
  for (const c of candidate) {
    if (seen.has(c.key)) continue
    seen.add(c.key)
    out.push({ name: c.name, kind: c.kind, status: 'extra', changes: [] })
  }
  return out
}

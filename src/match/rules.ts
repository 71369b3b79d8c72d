/**
 * Map, exclude and component rules compiled once, with a count of what each matched (a rule that
 * matches nothing is itself a warning).
 */
import picomatch from 'picomatch'
import type { ComponentConfig, ExcludeRule, MapRule } from '../config/schema.js'
import { isEndpoint, type Item } from '../model/inventory.js'
import { normalizePath, pathKey, routeKey, unresolvedKey, unresolvedPath } from '../model/path.js'

const KEY_KINDS = ['capability', 'service', 'table', 'column']

/** A key as written by a person (`GET /api/users/:id`, `table Users`) in canonical form. */
export function canonicalKey(written: string): string {
  const text = written.trim()
  const space = text.indexOf(' ')
  const head = space === -1 ? '' : text.slice(0, space)
  const rest = space === -1 ? text : text.slice(space + 1).trim()
  // `GET /{?}/articles/{}`: a partly unknown path, as parity proposes it in a near-match rule.
  if (/^[A-Za-z]+$/.test(head) && rest.startsWith('/') && rest.includes('{?}')) return `${head.toUpperCase()} ${unresolvedKey(unresolvedPath(rest))}`
  if (/^[A-Za-z]+$/.test(head) && rest.startsWith('/')) return routeKey(head, normalizePath(rest))
  if (KEY_KINDS.includes(head.toLowerCase())) return `${head.toLowerCase()} ${head.toLowerCase() === 'capability' ? rest : rest.toLowerCase()}`
  if (text.startsWith('/')) return pathKey(normalizePath(text))
  return text
}

export interface CompiledMap {
  rule: MapRule
  /** Written form, for messages. */
  label: string
  matched: number
  /** The key the candidate should have for this baseline item, or undefined when the rule does not apply. */
  apply(item: Item, candidate: string): string | undefined
}

export function compileMap(rule: MapRule): CompiledMap {
  const from = canonicalKey(rule.from)
  const to = canonicalKey(rule.to)
  const prefix = rule.from.trim().startsWith('/')
  const compiled: CompiledMap = {
    rule,
    label: `${rule.from} -> ${rule.to}`,
    matched: 0,
    apply(item, candidate) {
      if (rule.candidate && rule.candidate !== candidate) return undefined
      if (!prefix) return item.key === from ? to : undefined
      if (!isEndpoint(item)) return undefined
      const space = item.key.indexOf(' ')
      const method = item.key.slice(0, space)
      const path = item.key.slice(space + 1)
      if (path !== from && !path.startsWith(from === '/' ? '/' : `${from}/`)) return undefined
      const rest = path.slice(from === '/' ? 0 : from.length)
      const moved = to === '/' ? rest || '/' : `${to}${rest === '/' ? '' : rest}`
      return `${method} ${moved || '/'}`
    },
  }
  return compiled
}

export interface CompiledExclude {
  rule: ExcludeRule
  matched: number
  test(item: Item): boolean
}

export function compileExclude(rule: ExcludeRule): CompiledExclude {
  const pattern = canonicalKey(rule.match.replace(/\*\*/g, '\u0000').replace(/\*/g, '\u0001'))
    .replace(/\u0000/g, '**')
    .replace(/\u0001/g, '*')
  const pathOnly = pattern.startsWith('/')
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/ ]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  const re = new RegExp(`^${source}$`)
  return {
    rule,
    matched: 0,
    test(item) {
      const key = pathOnly && isEndpoint(item) ? item.key.slice(item.key.indexOf(' ') + 1) : item.key
      return re.test(key)
    },
  }
}

/**
 * The component an item belongs to by the config: a rule of its service with the longest matching
 * path prefix, then a rule of its service without paths, then the longest path prefix of a rule
 * without a service, then file globs. `service` is the baseline service the item counts under (a
 * candidate item's: the baseline service its own service ports); default its own.
 */
export function compileComponents(components: ComponentConfig[]): (item: Item, service?: string) => string | undefined {
  if (!components.length) return () => undefined
  const byPrefix = components
    .flatMap((c) => (c.paths ?? []).map((p) => ({ name: c.name, service: c.service, prefix: pathKey(normalizePath(p)) })))
    .sort((a, b) => b.prefix.length - a.prefix.length)
  const wholeService = new Map(components.filter((c) => c.service && !c.paths?.length).map((c) => [c.service!, c.name]))
  const byFiles = components.filter((c) => c.files?.length).map((c) => ({ name: c.name, match: picomatch(c.files!, { dot: true }) }))
  return (item, service = item.service ?? (item.kind === 'service' ? item.name : undefined)) => {
    const under = (prefix: string) => {
      if (!isEndpoint(item)) return false
      const path = pathKey(item.path)
      return path === prefix || path.startsWith(prefix === '/' ? '/' : `${prefix}/`)
    }
    if (service) {
      const scoped = byPrefix.find((r) => r.service === service && under(r.prefix))
      if (scoped) return scoped.name
      const whole = wholeService.get(service)
      if (whole) return whole
    }
    const hit = byPrefix.find((r) => !r.service && under(r.prefix))
    if (hit) return hit.name
    return byFiles.find(({ match }) => match(item.source.file))?.name
  }
}

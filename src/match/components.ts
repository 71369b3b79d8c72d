/**
 * One component model, service > component, for every reader: the vault's pages, the plan, the
 * features, the report's rows. Without `components` in the config, an item's component comes from
 * what the code shows, and names that say the same thing are one component:
 *
 * - In a tree of several services, a service is a component, named by the service: its service
 *   item, its capabilities and tables, its operational routes (`/health`, `/metrics`...) and every
 *   route whose prefix names the service itself (`/files` in `file-management-service`, `/videos`
 *   in `video-pipeline`, its folder's name too). When two or more prefixes of the service name
 *   something else and hold at least {@link SUB_COMPONENT_MIN} endpoints each, each of them is a
 *   component inside it, `billing-service/invoices`; smaller ones stay with the service, and a
 *   service of one such area is one component.
 * - A candidate item of a service paired with a baseline service is placed in that baseline
 *   service's components, so a port and what it ports are one row.
 * - In a tree of one service (its items carry no service), components are route prefixes; the
 *   service item joins the prefix that names it (`bookmarks-express` joins `bookmarks`), and a
 *   candidate's component that names a baseline one (`video` and `videos`, `Video-Pipeline` and
 *   `video-pipeline`) takes the baseline's name.
 *
 * `parity init` writes the same model into the config (`componentRules`), where a person edits it;
 * config rules then win over these defaults.
 */
import type { ComponentConfig } from '../config/schema.js'
import { pushTo } from '../model/collections.js'
import { isEndpoint, type Item, type ServiceItem } from '../model/inventory.js'
import { MARKS, type ServicePair } from './services.js'

/** A prefix of a service holding at least this many endpoints is a component of its own inside the service. */
export const SUB_COMPONENT_MIN = 3

/** Words that name no thing of their own: a service's language or role mark, and its kind. */
const FILLER = new Set([...MARKS, 'services', 'api', 'apis', 'app', 'backend'])

/** Route prefixes every service has that are about running it, not about what it does. */
const OPERATIONAL = new Set([
  'root',
  'health',
  'healthz',
  'healthcheck',
  'health-check',
  'metrics',
  'ready',
  'readyz',
  'readiness',
  'live',
  'livez',
  'liveness',
  'ping',
  'status',
  'version',
  'info',
  'favicon.ico',
  'robots.txt',
])

function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`
  if (word.length > 4 && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2)
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1)
  return word
}

/** The words of a name, in one form: `Video-Pipeline`, `video_pipeline` and `videoPipelines` are `video pipeline`. */
export function nameWords(name: string): string[] {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
  const kept = words.filter((w) => !FILLER.has(w))
  return (kept.length ? kept : words).map(singular)
}

/** Two names of one thing: the same words (`videos` and `Video`), or every word of `part` in `whole` (`files` in `file-management-service`). */
export function namesSameThing(part: string, whole: string, subset = false): boolean {
  const a = nameWords(part)
  const b = new Set(nameWords(whole))
  if (!a.length || !b.size) return false
  if (subset) return a.every((w) => b.has(w))
  return a.length === b.size && a.every((w) => b.has(w))
}

export const isOperational = (component: string) => OPERATIONAL.has(component.toLowerCase())

/** The names a service goes by: its own and its folder's. */
function aliasesOf(service: ServiceItem | undefined, name: string): string[] {
  const folder = service?.root && service.root !== '.' ? service.root.split('/').pop()! : undefined
  return folder && folder !== name ? [name, folder] : [name]
}

/** The components of a system's items from what the code shows; `pairs` (baseline name -> candidate) places a candidate's items in the baseline service's components. */
export interface ComponentContext {
  /** Baseline services by name, and the sub-components each one has (`invoices` -> `billing-service/invoices`). */
  services: Map<string, { item: ServiceItem; subs: Map<string, string> }>
  /** Baseline component names without a service, for a candidate's names to take. */
  names: string[]
}

/** Baseline items with their components, and what a candidate needs to place its own in them. */
export function baselineComponents(items: readonly Item[]): { items: Item[]; context: ComponentContext } {
  const services = new Map<string, { item: ServiceItem; subs: Map<string, string> }>()
  for (const i of items) if (i.kind === 'service') services.set(i.name, { item: i, subs: new Map() })
  // Prefix groups per service, to find those big enough to be components of their own.
  const groups = new Map<string, Item[]>()
  for (const i of items) if (isEndpoint(i) && i.service && services.has(i.service)) pushTo(groups, `${i.service}\u0000${i.component}`, i)
  const big = new Map<string, string[]>()
  for (const [key, list] of groups) {
    const [service, prefix] = key.split('\u0000') as [string, string]
    const s = services.get(service)!
    if (list.length >= SUB_COMPONENT_MIN && !isOperational(prefix) && !aliasesOf(s.item, service).some((a) => namesSameThing(prefix, a, true)))
      pushTo(big, service, prefix)
  }
  // One area is the service itself; two or more split it.
  for (const [service, prefixes] of big) if (prefixes.length >= 2) for (const p of prefixes) services.get(service)!.subs.set(p, `${service}/${p}`)
  const out = items.map((i) => withComponent(i, place(i, services, soleHome(items))))
  const names = [...new Set(out.filter((i) => !i.service).map((i) => i.component))]
  return { items: out, context: { services, names } }
}

/** A candidate's items placed in the baseline's components, through its services' pairs. */
export function candidateComponents(items: readonly Item[], context: ComponentContext, pairs: ReadonlyMap<string, ServicePair>): Item[] {
  const baselineOf = new Map([...pairs].map(([base, p]) => [p.candidate, base]))
  const own = new Map<string, { item: ServiceItem; subs: Map<string, string> }>()
  for (const i of items) if (i.kind === 'service') own.set(i.name, { item: i, subs: new Map() })
  const home = soleHome(items)
  // A candidate of one service tags none of its items: they are that service's.
  const sole = own.size === 1 && !items.some((i) => i.service) ? [...own.keys()][0] : undefined
  return items.map((i) => {
    const service = i.service ?? (i.kind === 'service' ? undefined : sole)
    const base = service ? baselineOf.get(service) : undefined
    if (base && context.services.has(base)) {
      const subs = context.services.get(base)!.subs
      if (!isEndpoint(i) || isOperational(i.component)) return withComponent(i, base)
      return withComponent(i, subs.get(i.component) ?? base)
    }
    if (i.kind === 'service' && !i.service) {
      const paired = baselineOf.get(i.name)
      if (paired) return withComponent(i, paired)
    }
    const placed = place(i, own, home)
    // A name of the baseline's that says the same thing wins: `video` is the baseline's `videos`.
    const same = context.names.find((n) => n === placed) ?? context.names.find((n) => namesSameThing(placed, n))
    return withComponent(i, same ?? placed)
  })
}

function place(i: Item, services: ReadonlyMap<string, { item: ServiceItem; subs: Map<string, string> }>, home: string | undefined): string {
  if (i.kind === 'service') return home ?? i.name
  const s = i.service ? services.get(i.service) : undefined
  if (!s) return i.component
  if (!isEndpoint(i)) return i.kind === 'capability' || i.kind === 'table' || i.kind === 'column' ? s.item.name : i.component
  return s.subs.get(i.component) ?? s.item.name
}

/**
 * In a tree of one service (its items carry no service), the component its service item joins: the
 * route prefix that names it (`bookmarks` for `bookmarks-express`), the one with most endpoints.
 */
function soleHome(items: readonly Item[]): string | undefined {
  const services = items.filter((i): i is ServiceItem => i.kind === 'service')
  if (services.length !== 1 || items.some((i) => i.service)) return undefined
  const aliases = aliasesOf(services[0], services[0]!.name)
  const counts = new Map<string, number>()
  for (const i of items)
    if (isEndpoint(i) && !isOperational(i.component) && aliases.some((a) => namesSameThing(i.component, a, true)))
      counts.set(i.component, (counts.get(i.component) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0]
}

function withComponent(i: Item, component: string): Item {
  return component === i.component ? i : { ...i, component }
}

/**
 * The model as config rules, for `parity init` to write and a person to edit: a component per
 * service (its name; `service:`) and per sub-component (`service:` and `paths:`), or in a tree of one
 * service a component per route prefix (`paths:`).
 */
export function componentRules(items: readonly Item[]): ComponentConfig[] {
  const { items: placed } = baselineComponents(items)
  const rules = new Map<string, ComponentConfig>()
  for (const i of placed) {
    const rule = rules.get(i.component) ?? { name: i.component }
    rules.set(i.component, rule)
    if (i.service && i.component === i.service) rule.service = i.service
    else if (i.kind === 'service' && i.component === i.name) rule.service = i.name
    else if (isEndpoint(i) && !i.unresolved) {
      if (i.service) rule.service = i.service
      const prefix = prefixOf(i.path, i.component.split('/').pop()!)
      if (prefix && !(rule.paths ?? []).includes(prefix)) rule.paths = [...(rule.paths ?? []), prefix]
    }
  }
  return [...rules.values()].filter((r) => r.service || r.paths?.length).sort((a, b) => a.name.localeCompare(b.name))
}

/** `/api/v1/invoices` for `/api/v1/invoices/{id}/pay` and the component `invoices`. */
function prefixOf(path: string, component: string): string | undefined {
  const segs = path.split('/')
  const at = segs.findIndex((s) => s.toLowerCase() === component.toLowerCase())
  return at > 0 ? segs.slice(0, at + 1).join('/') : undefined
}

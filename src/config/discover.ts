/**
 * What `parity init` writes into `systems:`, found in the tree: which folders are systems, which one
 * is the baseline, and which of the others are rewrites (candidates) or sister platforms (peers),
 * each with the reason in one sentence.
 *
 * - A folder with a manifest is a system (a workspace root holds its packages); a folder without one
 *   whose manifests below are all of one language, two or more of them, is one system (`go-services/`
 *   with three Go modules is the Go rewrite, not three).
 * - The baseline is the TypeScript/JavaScript system with the most routes (the one being replaced is
 *   the older, larger one), whatever its depth; without one, the system with the most routes.
 * - A candidate names what it replaces: one of its services has the stem of a baseline service
 *   (`go-file-management-service`, `auth-rs`), or its folder the stem of the baseline's (`shop-rs`
 *   for `shop-ts`). A system with a product name of its own (`marketplace-go`) and nothing named like
 *   the baseline is a peer, when another system is the rewrite; with no such rewrite, it is a candidate.
 */
import { type Dirent, readdirSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { isResolvedEndpoint, type Item } from '../model/inventory.js'
import { MARKS, serviceStem } from '../match/services.js'
import { SKIPPED_DIRS } from '../scan/walk.js'

export const MANIFESTS: Array<[string, string]> = [
  ['package.json', 'typescript'],
  ['Cargo.toml', 'rust'],
  ['go.mod', 'go'],
  ['pyproject.toml', 'python'],
  ['requirements.txt', 'python'],
]

/** How deep manifests are looked for: `ts/services/<name>/package.json` is three levels down. */
const MAX_DEPTH = 4

/** Folder name parts that say the language, the role or that it holds several things, not the product: a service name's marks and more. */
const GENERIC: ReadonlySet<string> = new Set([...MARKS, 'typescript', 'javascript', 'services', 'old', 'legacy', 'v1', 'rewrite', 'apps', 'packages', 'src'])

export interface FoundSystem {
  name: string
  /** `./ts`, relative to the folder init runs in. */
  source: string
  language: string
  /** Manifests inside it (1 for a folder with its own). */
  manifests: number
  /** A path to fill in: no second system was found. */
  placeholder?: boolean
}

/** Folders with a manifest (not below another one), up to MAX_DEPTH; the root itself when nothing below has one. */
function manifestFolders(dir: string): Array<{ rel: string; language: string }> {
  const found: Array<{ rel: string; language: string }> = []
  const visit = (abs: string, depth: number) => {
    let entries: Dirent[]
    try {
      entries = readdirSync(abs, { withFileTypes: true })
    } catch {
      return
    }
    const manifest = MANIFESTS.find(([m]) => entries.some((e) => e.isFile() && e.name === m))
    if (manifest && abs !== dir) {
      found.push({ rel: relative(dir, abs), language: manifest[1] })
      return
    }
    if (depth >= MAX_DEPTH) return
    for (const e of entries) if (e.isDirectory() && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) visit(join(abs, e.name), depth + 1)
    if (abs === dir && manifest && !found.length) found.push({ rel: '.', language: manifest[1] })
  }
  visit(dir, 0)
  return found
}

/** The systems of a tree: manifest folders, those of one language under one folder taken together. */
export function findSystems(dir: string): FoundSystem[] {
  const folders = manifestFolders(dir)
  const systems: FoundSystem[] = []
  const group = (prefix: string, list: typeof folders) => {
    const languages = new Set(list.map((f) => f.language))
    const own = list.find((f) => f.rel === prefix)
    if (own || list.length === 1) {
      for (const f of own ? [own] : list)
        systems.push({ name: basename(f.rel === '.' ? dir : f.rel), source: sourceOf(f.rel), language: f.language, manifests: 1 })
      return
    }
    if (prefix && languages.size === 1) {
      const language = [...languages][0]!
      // `go-services/` says only its language: the system is named by it.
      const name = folderStem(basename(prefix)) ? basename(prefix) : language
      systems.push({ name, source: sourceOf(prefix), language, manifests: list.length })
      return
    }
    const children = new Map<string, typeof folders>()
    for (const f of list) {
      const rest = prefix ? f.rel.slice(prefix.length + 1) : f.rel
      const child = prefix ? `${prefix}/${rest.split('/')[0]}` : rest.split('/')[0]!
      children.set(child, [...(children.get(child) ?? []), f])
    }
    for (const [child, own] of [...children].sort(([a], [b]) => a.localeCompare(b))) group(child, own)
  }
  if (folders.length === 1 && folders[0]!.rel === '.') group('.', folders)
  else group('', folders)
  // Names are unique: a second `api` is `api-2`.
  const seen = new Map<string, number>()
  for (const s of systems) {
    const n = (seen.get(s.name) ?? 0) + 1
    seen.set(s.name, n)
    if (n > 1) s.name = `${s.name}-${n}`
  }
  return systems
}

function sourceOf(rel: string): string {
  return rel === '.' ? '.' : `./${rel}`
}

/** A folder name without its language, role and grouping words: `shop-rs` and `shop-ts` are `shop`; `go-services` is ``. */
export function folderStem(name: string): string {
  return name
    .toLowerCase()
    .split(/[-_.\s]+/)
    .filter((p) => p && !GENERIC.has(p))
    .join('-')
}

export interface RoledSystem extends FoundSystem {
  role: 'baseline' | 'candidate' | 'peer'
  /** Routes its scan found (resolved ones). */
  routes: number
  /** Why it has its role, one sentence (`the TypeScript system with the most routes`). */
  why: string
}

/**
 * Roles from what each system's scan found (`items`, by system source): the baseline by language and
 * routes, then candidate or peer by the names its services and folder share with the baseline.
 */
export function assignRoles(systems: FoundSystem[], itemsOf: (s: FoundSystem) => readonly Item[]): RoledSystem[] {
  const facts = systems.map((s) => {
    const items = itemsOf(s)
    const services = items.flatMap((i) => (i.kind === 'service' ? [i.name] : []))
    return { s, routes: items.filter((i) => isResolvedEndpoint(i) && i.kind === 'route').length, services }
  })
  const ts = facts.filter((f) => f.s.language === 'typescript')
  const pool = ts.length ? ts : facts
  const base = [...pool].sort((a, b) => b.routes - a.routes || depth(a.s.source) - depth(b.s.source) || a.s.source.localeCompare(b.s.source))[0]
  if (!base) return []
  const others = ts.length > 1 ? `, of ${ts.length} TypeScript/JavaScript systems` : ''
  const baseWhy = ts.length
    ? `the TypeScript/JavaScript system with the most routes${others}`
    : 'no TypeScript/JavaScript system: the system with the most routes'
  // The names that say "this replaces the baseline": its services' stems and its folder's.
  const baseStems = new Map(base.services.map((n) => [serviceStem(n), `the service ${n}`]))
  const baseFolder = folderStem(basename(base.s.source === '.' ? '' : base.s.source))
  if (baseFolder && !baseStems.has(baseFolder)) baseStems.set(baseFolder, `the folder ${basename(base.s.source)}`)
  const named = new Map<(typeof facts)[number], string>()
  for (const f of facts) {
    if (f === base) continue
    const service = f.services.find((n) => baseStems.has(serviceStem(n)))
    const folder = folderStem(basename(f.s.source))
    const like = (stem: string) => `${baseStems.get(stem)} in ${base.s.name} (${stem})`
    if (service) named.set(f, `its service ${service} is named like ${like(serviceStem(service))}`)
    else if (folder && baseStems.has(folder)) named.set(f, `its folder ${basename(f.s.source)} is named like ${like(folder)}`)
  }
  return facts.map((f): RoledSystem => {
    const out = { ...f.s, routes: f.routes }
    if (f === base) return { ...out, role: 'baseline', why: baseWhy }
    const reason = named.get(f)
    if (reason) return { ...out, role: 'candidate', why: `a rewrite: ${reason}` }
    const folder = folderStem(basename(f.s.source))
    if (folder && named.size)
      return {
        ...out,
        role: 'peer',
        why: `a sister platform: a product of its own (${folder}) with no service named like ${base.s.name}'s, beside the rewrite${named.size > 1 ? 's' : ''} ${[...named.keys()].map((n) => n.s.name).join(', ')}`,
      }
    return {
      ...out,
      role: 'candidate',
      why: `taken as a rewrite: nothing named like ${base.s.name}'s, and no other rewrite to tell it from (make it \`role: peer\` if it is a sister platform)`,
    }
  })
}

function depth(source: string): number {
  return source === '.' ? 0 : source.split('/').length
}

/**
 * The capability catalog (catalog.json, its format described at its top) and how its package
 * entries match a manifest's dependencies and a source file's imports.
 */
import data from './catalog.json' with { type: 'json' }
import type { EndpointKind } from '../model/inventory.js'

export type Ecosystem = 'npm' | 'cargo' | 'go' | 'pypi'
export const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'cargo', 'go', 'pypi']

export interface CapabilityEntry {
  id: string
  label: string
  category: string
  /** One sentence, shown when a candidate lacks the capability. */
  impact: string
  /** Package entries per ecosystem, as written in the catalog (`name`, `prefix/`, `name as import`). */
  packages: Partial<Record<Ecosystem, string[]>>
  /** Standard-library modules whose import confirms it without a manifest. */
  builtins?: Partial<Record<Ecosystem, string[]>>
  /** String-literal contents that confirm it. */
  literals?: string[]
  /** Callee names whose call confirms it. */
  calls?: string[]
  /** Endpoint kinds that confirm it. */
  endpoints?: EndpointKind[]
}

/** The catalog, in file order. */
export const capabilityCatalog: readonly CapabilityEntry[] = (data as { capabilities: CapabilityEntry[] }).capabilities

/** One package entry of the catalog, parsed. */
export interface PackageSpec {
  /** The name without its prefix marker. */
  name: string
  prefix: boolean
  /** The import written after `as`, if any. */
  import?: string
}

export function parsePackageSpec(text: string): PackageSpec {
  const [raw = '', alias] = text.split(' as ').map((s) => s.trim())
  const prefix = raw.endsWith('/') || raw.endsWith('*')
  const name = raw.endsWith('*') ? raw.slice(0, -1) : raw
  return alias ? { name, prefix, import: alias } : { name, prefix }
}

/** Whether a manifest dependency is declared by this package entry. */
export function declares(spec: PackageSpec, ecosystem: Ecosystem, dep: string): boolean {
  if (spec.prefix) return dep.startsWith(spec.name) && dep.length > spec.name.length
  // A Go module covers its major versions (`/v5`) and the modules nested under it.
  return dep === spec.name || (ecosystem === 'go' && dep.startsWith(`${spec.name}/`))
}

/** What code imports to use a dependency: a module specifier, crate, import path or Python module. */
export function defaultImport(ecosystem: Ecosystem, dep: string): string {
  return ecosystem === 'cargo' || ecosystem === 'pypi' ? dep.replace(/-/g, '_') : dep
}

/** Whether an import written in code (specifier, crate, import path, dotted module) refers to `target`. */
export function importRefersTo(ecosystem: Ecosystem, imported: string, target: string): boolean {
  if (imported === target) return true
  if (ecosystem === 'cargo') return false
  return imported.startsWith(target + (ecosystem === 'pypi' ? '.' : '/'))
}

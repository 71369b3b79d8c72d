/**
 * The packages of a monorepo that are not services: a package.json or a Cargo crate whose files
 * start no server (a React UI, a shared library). They expose nothing to pair, but a migration plan
 * must still say what becomes of them, so the inventory notes them: name, folder, UI or library,
 * and which services and packages of the tree declare them as a dependency.
 */
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { languageOfFile } from '../languages/parse.js'
import type { LanguageFamily } from '../languages/types.js'
import type { PackageNote, ServiceItem } from '../model/inventory.js'
import type { InventoryContext } from './context.js'
import { parentDir } from './manifests.js'
import { isTestFile } from './test-files.js'

/** Dependencies that make a package a user interface. */
const UI_PACKAGES = [
  'react',
  'react-dom',
  'vue',
  'svelte',
  '@sveltejs/kit',
  '@angular/core',
  'preact',
  'solid-js',
  'next',
  'nuxt',
  '@remix-run/react',
  'lit',
  'yew',
  'leptos',
  'dioxus',
]

interface Found {
  note: PackageNote
  /** The name other manifests depend on (`@acme/shared`). */
  depName: string
}

/** Packages without a service, in folder order; empty for a tree without services (one package is the system itself). */
export function detectPackages(ctx: InventoryContext, services: readonly ServiceItem[], serviceOfFile: ReadonlyMap<string, string>): PackageNote[] {
  if (!services.length) return []
  const serviceRoots = new Set(services.map((s) => (s.root === '.' ? '' : s.root)))
  const found: Found[] = []
  for (const rel of ctx.manifestFiles) {
    const base = posix.basename(rel)
    const family: LanguageFamily | undefined = base === 'package.json' ? 'js' : base === 'Cargo.toml' ? 'rust' : undefined
    if (!family) continue
    const dir = parentDir(rel)
    if (serviceRoots.has(dir)) continue
    const text = read(`${ctx.abs}/${rel}`)
    const named = family === 'js' ? jsName(text) : rustName(text)
    if (!named) continue // a workspace root, or a manifest that does not parse (the scan reports it)
    const files = ctx.records.filter((r) => r.family === family && !isTestFile(r.path) && ctx.manifests.nearest(r.path, family).file === rel)
    // Files a service owns are that service's, whatever manifest is nearest.
    if (!files.length || files.some((r) => serviceOfFile.has(r.path))) continue
    const deps = ctx.manifests.nearest(rel, family).dependencies
    const frameworks = UI_PACKAGES.filter((d) => deps.has(d))
    let ts = 0
    let js = 0
    for (const r of files) {
      if (languageOfFile(r.path) === 'javascript') js += r.lines
      else ts += r.lines
    }
    found.push({
      depName: named,
      note: {
        name: named.replace(/^@[^/]+\//, ''),
        root: dir || '.',
        language: family === 'rust' ? 'rust' : ts > 0 && ts >= js ? 'typescript' : 'javascript',
        kind: frameworks.length ? 'ui' : 'library',
        source: { file: rel, line: 1 },
        files: files.length,
        lines: files.reduce((n, r) => n + r.lines, 0),
        frameworks,
        usedBy: [],
      },
    })
  }
  if (!found.length) return []
  // Who declares each package as a dependency: the services and packages whose manifest names it.
  const ownersOfManifest = new Map<string, string[]>()
  const own = (manifest: string | null, name: string) => {
    if (manifest) ownersOfManifest.set(manifest, [...(ownersOfManifest.get(manifest) ?? []), name])
  }
  for (const s of services) own(ctx.manifests.nearest(s.source.file, familyOfService(s)).file, s.name)
  for (const f of found) own(f.note.source.file, f.note.name)
  for (const f of found) {
    const family: LanguageFamily = f.note.language === 'rust' ? 'rust' : 'js'
    const users = new Set<string>()
    for (const [manifest, owners] of ownersOfManifest) {
      if (manifest === f.note.source.file) continue
      if (ctx.manifests.nearest(manifest, family).file !== manifest) continue
      const deps = ctx.manifests.nearest(manifest, family).dependencies
      if (deps.has(f.depName) || (family === 'rust' && deps.has(f.depName.replace(/_/g, '-')))) for (const o of owners) users.add(o)
    }
    f.note.usedBy = [...users].sort()
  }
  return found.map((f) => f.note).sort((a, b) => a.root.localeCompare(b.root))
}

function familyOfService(s: ServiceItem): LanguageFamily {
  return s.language === 'typescript' || s.language === 'javascript' ? 'js' : s.language
}

function jsName(text: string | undefined): string | undefined {
  try {
    const pkg = JSON.parse(text ?? '') as Record<string, unknown>
    if (pkg.workspaces !== undefined) return undefined
    return typeof pkg.name === 'string' && pkg.name ? pkg.name : undefined
  } catch {
    return undefined
  }
}

function rustName(text: string | undefined): string | undefined {
  try {
    const pkg = (parseToml(text ?? '') as { package?: { name?: unknown } }).package
    return typeof pkg?.name === 'string' ? pkg.name : undefined
  } catch {
    return undefined
  }
}

function read(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8')
  } catch {
    return undefined
  }
}

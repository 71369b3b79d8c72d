/**
 * One test per catalog entry and ecosystem, generated from src/capabilities/catalog.json: a tiny
 * tree whose manifest declares every package of the entry and imports each one from its own file
 * has the capability; the same manifest without the imports has not, and says so with
 * CAPABILITY_UNUSED. Builtins, literals and calls each confirm it without a manifest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { capabilityCatalog, defaultImport, ECOSYSTEMS, parsePackageSpec, type CapabilityEntry, type Ecosystem } from '../src/capabilities/catalog.js'
import { builtinExtractors } from '../src/extractors/registry.js'
import type { CapabilityItem, Inventory } from '../src/model/inventory.js'
import { MAX_EVIDENCE } from '../src/scan/capabilities.js'
import { scanPath } from '../src/scan/scan.js'

const work = mkdtempSync(join(tmpdir(), 'parity-capabilities-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))
let trees = 0

async function scanTree(files: Record<string, string>): Promise<Inventory> {
  const dir = join(work, `t${trees++}`)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return scanPath({ path: dir, extractors: builtinExtractors })
}

const MANIFEST: Record<Ecosystem, string> = { npm: 'package.json', cargo: 'Cargo.toml', go: 'go.mod', pypi: 'requirements.txt' }

function manifest(ecosystem: Ecosystem, deps: string[]): string {
  if (ecosystem === 'npm') return JSON.stringify({ name: 't', private: true, dependencies: Object.fromEntries(deps.map((d) => [d, '1.0.0'])) }, null, 2)
  if (ecosystem === 'cargo') return `[package]\nname = "t"\nversion = "0.1.0"\n\n[dependencies]\n${deps.map((d) => `"${d}" = "1"`).join('\n')}\n`
  if (ecosystem === 'go') return `module example.com/t\n\ngo 1.22\n\nrequire (\n${deps.map((d) => `\t${d} v1.0.0`).join('\n')}\n)\n`
  return `${deps.map((d) => `${d}==1.0`).join('\n')}\n`
}

/** A source file of the ecosystem that imports `target`, and the line of the import. */
function importing(ecosystem: Ecosystem, target: string, i: number): [string, string, number] {
  const n = String(i).padStart(2, '0')
  if (ecosystem === 'npm') return [`src/use${n}.ts`, `import thing from '${target}'\n\nexport default thing\n`, 1]
  if (ecosystem === 'cargo') return [`src/use${n}.rs`, `use ${target}::Thing;\n\npub fn f(_: Thing) {}\n`, 1]
  if (ecosystem === 'go') return [`use${n}.go`, `package main\n\nimport _ "${target}"\n\nfunc f${n}() {}\n`, 3]
  return [`app/use${n}.py`, `import ${target}\n\nprint(${target.split('.')[0]})\n`, 1]
}

function plainSource(ecosystem: Ecosystem): [string, string] {
  if (ecosystem === 'npm') return ['src/index.ts', 'export const answer = 42\n']
  if (ecosystem === 'cargo') return ['src/main.rs', 'fn main() {}\n']
  if (ecosystem === 'go') return ['main.go', 'package main\n\nfunc main() {}\n']
  return ['app/main.py', 'print(42)\n']
}

/** The packages of an entry as a manifest would declare them (a prefix gets a name), with what code imports. */
function concretePackages(cap: CapabilityEntry, ecosystem: Ecosystem): Array<{ dep: string; target: string }> {
  return (cap.packages[ecosystem] ?? []).map((text) => {
    const spec = parsePackageSpec(text)
    const dep = spec.prefix ? `${spec.name}example` : spec.name
    return { dep, target: spec.import ?? defaultImport(ecosystem, dep) }
  })
}

const capabilityOf = (inv: Inventory, id: string) => inv.items.find((i): i is CapabilityItem => i.kind === 'capability' && i.name === id)

describe('the catalog', () => {
  it('has unique kebab-case ids, a label, a category and a one-sentence impact per entry', () => {
    const ids = capabilityCatalog.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const c of capabilityCatalog) {
      expect(c.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
      expect(c.label.length).toBeGreaterThan(2)
      expect(c.category.length).toBeGreaterThan(1)
      expect(c.impact, c.id).toMatch(/^[A-Z][\s\S]*\.$/)
      expect(c.impact.slice(0, -1), `${c.id}: one sentence`).not.toMatch(/\.\s/)
    }
  })

  it('covers what issue 3 asks for', () => {
    expect(capabilityCatalog.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'websocket',
        'sse',
        'job-queue',
        'scheduled-jobs',
        'redis-cache',
        'relational-db',
        'document-db',
        'search',
        'jwt',
        'password-hashing',
        'two-factor',
        'oauth',
        'sessions',
        'email',
        'object-storage',
        'llm',
        'embeddings',
        'browser-automation',
        'html-scraping',
        'outgoing-webhooks',
        'rate-limiting',
        'structured-logging',
        'metrics',
        'tracing',
        'graphql',
        'grpc',
        'payments',
        'feature-flags',
      ]),
    )
  })

  it.each(capabilityCatalog.map((c) => [c.id, c] as const))('%s names packages in all four ecosystems, as manifests are read', (_, cap) => {
    for (const ecosystem of ECOSYSTEMS) {
      const names = (cap.packages[ecosystem] ?? []).map((t) => parsePackageSpec(t).name)
      expect(names.length, `${cap.id} ${ecosystem}`).toBeGreaterThan(0)
      if (ecosystem === 'cargo') for (const n of names) expect(n).not.toContain('_')
      if (ecosystem === 'pypi') for (const n of names) expect(n).toBe(n.toLowerCase().replace(/_/g, '-'))
    }
  })
})

const cases = capabilityCatalog.flatMap((cap) => ECOSYSTEMS.filter((e) => cap.packages[e]?.length).map((e) => [cap.id, e, cap] as const))

describe.each(cases)('capability %s from %s packages', (id, ecosystem, cap) => {
  const packages = concretePackages(cap, ecosystem)
  const deps = [...new Set(packages.map((p) => p.dep))].sort()

  it('is detected when the manifest declares them and the code imports them', async () => {
    const sources = packages.map((p, i) => importing(ecosystem, p.target, i))
    const files = Object.fromEntries(sources.map(([file, text]) => [file, text]))
    const inv = await scanTree({ [MANIFEST[ecosystem]]: manifest(ecosystem, deps), ...files })
    const item = capabilityOf(inv, id)
    expect(item, `${id} not detected`).toBeDefined()
    expect(item!.packages).toEqual(deps)
    const expected = sources
      .map(([file, , line]) => ({ file, line }))
      .sort((a, b) => a.file.localeCompare(b.file))
      .slice(0, MAX_EVIDENCE)
    expect(item!.evidence).toEqual(expected)
    expect(item!.source).toEqual(expected[0])
    expect(inv.diagnostics.filter((d) => d.code === 'CAPABILITY_UNUSED' && d.message.includes(`(${cap.label})`))).toEqual([])
  })

  it('is not detected from the manifest alone, which gives CAPABILITY_UNUSED', async () => {
    const inv = await scanTree({ [MANIFEST[ecosystem]]: manifest(ecosystem, deps), ...Object.fromEntries([plainSource(ecosystem)]) })
    expect(capabilityOf(inv, id)).toBeUndefined()
    const unused = inv.diagnostics.filter((d) => d.code === 'CAPABILITY_UNUSED' && d.message.includes(`(${cap.label})`))
    expect(unused).toEqual([expect.objectContaining({ level: 'info', file: MANIFEST[ecosystem] })])
    expect(unused[0]!.message.startsWith(deps.join(', '))).toBe(true)
  })
})

/** A confirmation without a manifest: a file, the lines that confirm, and what comes before them. */
interface Confirmation {
  file: string
  header: string
  body: string[]
  /** The line of the body that confirms (0-based). */
  at: number
}

const COMMENT: Record<string, string> = { ts: '//', go: '//', py: '#' }

const confirmations = capabilityCatalog.flatMap((cap) => [
  ...Object.entries(cap.builtins ?? {}).flatMap(([ecosystem, modules]) =>
    modules.map((m): [string, string, Confirmation] => {
      const go = ecosystem === 'go'
      return [
        cap.id,
        `builtin ${m}`,
        go
          ? { file: 'main.go', header: 'package main\n', body: [`import _ "${m}"`], at: 0 }
          : { file: 'app/main.py', header: 'x = 1\n', body: [`import ${m}`], at: 0 },
      ]
    }),
  ),
  ...(cap.literals ?? []).map((l): [string, string, Confirmation] => [
    cap.id,
    `literal ${l}`,
    { file: 'src/index.ts', header: 'export const x = 1\n', body: [`export const header = { name: '${l}' }`], at: 0 },
  ]),
  ...(cap.calls ?? []).map((c): [string, string, Confirmation] => [
    cap.id,
    `call ${c}`,
    { file: 'src/index.ts', header: 'export const x = 1\n', body: ['export async function f(client: any) {', `  return client.${c}('x')`, '}'], at: 1 },
  ]),
])

describe.each(confirmations)('capability %s from a %s, without a manifest', (id, _, c) => {
  const marker = COMMENT[c.file.slice(c.file.lastIndexOf('.') + 1)]!
  it('is detected at its line', async () => {
    const item = capabilityOf(await scanTree({ [c.file]: `${c.header}${c.body.join('\n')}\n` }), id)
    expect(item?.packages).toEqual([])
    expect(item?.source).toEqual({ file: c.file, line: c.header.split('\n').length + c.at })
  })
  it('is not detected when the text is only in a comment', async () => {
    const commented = c.body.map((l) => `${marker} ${l}`).join('\n')
    expect(capabilityOf(await scanTree({ [c.file]: `${c.header}${commented}\n` }), id)).toBeUndefined()
  })
})

import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { stringify } from 'yaml'
import { CONFIG_NAMES } from '../config/load.js'
import { isResolvedEndpoint } from '../model/inventory.js'
import { ParityError } from '../model/errors.js'
import { scanPath } from '../scan/scan.js'
import { SKIPPED_DIRS } from '../scan/walk.js'
import { parseCommandArgs } from './args.js'
import type { Command } from './main.js'

const HELP = `Usage: parity init [<folder>] [--force]

Write parity.config.yaml in <folder> (default: here) by looking at the tree: every sub-folder with a
manifest (package.json, Cargo.toml, go.mod, pyproject.toml, requirements.txt) becomes a system, the
first TypeScript/JavaScript one the baseline; components come from the baseline's route prefixes.
`

const MANIFESTS: Array<[string, string]> = [
  ['package.json', 'typescript'],
  ['Cargo.toml', 'rust'],
  ['go.mod', 'go'],
  ['pyproject.toml', 'python'],
  ['requirements.txt', 'python'],
]

export const initCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs('init', argv, { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const dir = resolve(positionals[0] ?? '.')
  if (!existsSync(dir)) throw new ParityError('PATH_NOT_FOUND', `${positionals[0]} does not exist`, 'pass the folder that holds the codebases to compare')
  const existing = CONFIG_NAMES.map((n) => join(dir, n)).find(existsSync)
  if (existing && !values.force) {
    throw new ParityError('CONFIG_EXISTS', `${relative(process.cwd(), existing) || existing} exists already`, 'edit it, or run `parity init --force` to replace it')
  }
  const systems = findSystems(dir)
  const baseline = systems.find((s) => s.language === 'typescript') ?? systems[0]
  const ordered = baseline ? [baseline, ...systems.filter((s) => s !== baseline)] : []
  const config: Record<string, unknown> = {
    $schema: './node_modules/parity/schema/config.schema.json',
    systems: ordered.length
      ? ordered.map((s, i) => ({ name: s.name, role: i === 0 ? 'baseline' : 'candidate', source: s.source }))
      : [],
  }
  if (ordered.length < 2) {
    ;(config.systems as unknown[]).push(
      ...(ordered.length ? [] : [{ name: 'old', role: 'baseline', source: './path/to/old-service' }]),
      { name: 'new', role: 'candidate', source: './path/to/rewrite' },
    )
  }
  if (baseline) {
    const components = await componentsOf(join(dir, baseline.source))
    if (components.length) config.components = components
  }
  config.map = []
  config.exclude = []
  const text = `# parity config: the systems to compare, how to group and pair their items.
# Written by \`parity init\`; edit freely. Reference: schema/config.schema.json.
#   map:     - { from: "/api/v1", to: "/v2" }                     # a moved prefix
#            - { from: "GET /api/user/{id}", to: "GET /api/users/{id}" }
#   exclude: - { match: "GET /api/admin/**", reason: "admin UI is retired" }
${stringify(config, { lineWidth: 120 })}`
  const file = join(dir, 'parity.config.yaml')
  writeFileSync(file, text)
  io.stdout(`wrote ${relative(process.cwd(), file) || file}: ${ordered.length} system${ordered.length === 1 ? '' : 's'} found${ordered.length < 2 ? ' (fill in the placeholder paths)' : ''}\n`)
  return 0
}

interface FoundSystem {
  name: string
  source: string
  language: string
}

/** Folders (up to two levels down) with a manifest; the root itself when it has one and nothing below does. */
function findSystems(dir: string): FoundSystem[] {
  const found: FoundSystem[] = []
  const visit = (abs: string, depth: number) => {
    let entries
    try {
      entries = readdirSync(abs, { withFileTypes: true })
    } catch {
      return
    }
    const manifest = MANIFESTS.find(([m]) => entries.some((e) => e.isFile() && e.name === m))
    if (manifest && abs !== dir) {
      const rel = relative(dir, abs)
      found.push({ name: rel.split('/').pop()!, source: `./${rel}`, language: manifest[1] })
      return
    }
    if (depth >= 2) return
    for (const e of entries) if (e.isDirectory() && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) visit(join(abs, e.name), depth + 1)
  }
  visit(dir, 0)
  return found.sort((a, b) => a.source.localeCompare(b.source))
}

/** One component per route component of the baseline, with the path prefix its routes share. */
async function componentsOf(source: string): Promise<Array<{ name: string; paths: string[] }>> {
  try {
    const inv = await scanPath({ path: source, jobs: 1 })
    const prefixes = new Map<string, string>()
    for (const item of inv.items.filter(isResolvedEndpoint)) {
      const segs = item.path.split('/')
      const i = segs.findIndex((s) => s.toLowerCase() === item.component)
      const prefix = i === -1 ? undefined : segs.slice(0, i + 1).join('/')
      if (prefix && !prefixes.has(item.component)) prefixes.set(item.component, prefix)
    }
    return [...prefixes].sort(([a], [b]) => a.localeCompare(b)).map(([name, prefix]) => ({ name, paths: [prefix] }))
  } catch {
    return []
  }
}

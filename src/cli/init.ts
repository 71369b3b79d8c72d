import { type Dirent, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { CONFIG_NAMES } from '../config/load.js'
import type { ComponentConfig } from '../config/schema.js'
import { componentRules } from '../match/components.js'
import { isResolvedEndpoint } from '../model/inventory.js'
import { ParityError } from '../model/errors.js'
import { scanPath } from '../scan/scan.js'
import { SKIPPED_DIRS } from '../scan/walk.js'
import { parseCommandArgs } from './args.js'
import type { Command } from './command.js'

const HELP = `Usage: parity init [<folder>] [--force]

Write parity.config.yaml in <folder> (default: here) by looking at the tree: every sub-folder with a
manifest (package.json, Cargo.toml, go.mod, pyproject.toml, requirements.txt) becomes a system, the
first TypeScript/JavaScript one the baseline; components come from the baseline's route prefixes.
Each system gets a commented \`run:\` block with the command its manifest suggests (npm start,
cargo run, go run); the config gets starter gates and reports, and init prints what to run next.
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
    throw new ParityError(
      'CONFIG_EXISTS',
      `${relative(process.cwd(), existing) || existing} exists already`,
      'edit it, or run `parity init --force` to replace it',
    )
  }
  const systems = findSystems(dir)
  const baseline = systems.find((s) => s.language === 'typescript') ?? systems[0]
  const ordered = baseline ? [baseline, ...systems.filter((s) => s !== baseline)] : []
  if (ordered.length < 2) {
    if (!ordered.length) ordered.push({ name: 'old', source: './path/to/old-service', language: '', placeholder: true })
    ordered.push({ name: 'new', source: './path/to/rewrite', language: '', placeholder: true })
  }
  const scanned = baseline ? await scanBaseline(join(dir, baseline.source)) : { components: [], health: undefined }
  const lines: string[] = [
    '# parity config: the systems to compare, how to group and pair their items, what to check.',
    '# Written by `parity init`; edit freely. Every field: docs/config.md, or the schema below in an editor.',
    `# yaml-language-server: $schema=./node_modules/rewrite-parity/schema/config.schema.json`,
    'systems:',
  ]
  for (const [i, sys] of ordered.entries()) {
    lines.push(
      `  - name: ${yamlScalar(sys.name)}`,
      `    role: ${i === 0 ? 'baseline' : 'candidate'}`,
      `    source: ${yamlScalar(sys.source)}${sys.placeholder ? '   # fill in the path' : ''}`,
    )
    // How parity would start it for replay, e2e and bench: commented until you have checked the command.
    const command = sys.placeholder ? undefined : startCommand(join(dir, sys.source), sys.language)
    const ready = scanned.health && i === 0 ? `{ http: ${scanned.health} }` : '{ tcp: true }'
    lines.push(
      command
        ? `    # run: { command: ${yamlScalar(command)}, ready: ${ready} }   # parity starts it on a free port (PORT)`
        : '    # run: { command: "…", ready: { tcp: true } }   # how to start it; PORT is set',
    )
  }
  if (scanned.components.length) {
    lines.push('components:')
    lines.push('  # from the baseline: a service is a component, split by route prefix where it holds two areas or more; edit freely')
    for (const c of scanned.components)
      lines.push(
        `  - { name: ${yamlScalar(c.name)}${c.service ? `, service: ${yamlScalar(c.service)}` : ''}${c.paths?.length ? `, paths: [${c.paths.map(yamlScalar).join(', ')}]` : ''} }`,
      )
  }
  lines.push(
    'map: []       # renamed routes: - { from: "GET /api/user/{id}", to: "GET /api/users/{id}" }, or a moved prefix',
    'exclude: []   # not ported on purpose: - { match: "GET /api/admin/**", reason: "the admin UI is retired" }',
    '# Behavioural evidence, once the systems have `run` blocks (or `url`s):',
    '# replay: { corpus: ./traffic.ndjson }     # record it with `npx parity record --target URL --out traffic.ndjson`',
    '# e2e: { command: "npm run test:e2e" }     # the old suite, run against both sides (BASE_URL)',
    '# bench: { scenarios: [{ requests: [{ path: / }] }] }',
    'gates:        # `parity run` exits 1 when one fails',
    '  - ported >= 0.9',
    '  - missingCapabilities == 0',
    '  - noRegression',
    '  # - verified >= 80%   # needs replay or e2e',
    '  # - p95 <= 1.0x       # needs bench',
    'reports:',
    '  html: .parity/report.html',
    '  md: .parity/vault',
    '  junit: .parity/junit.xml',
  )
  const file = join(dir, 'parity.config.yaml')
  writeFileSync(file, `${lines.join('\n')}\n`)
  const found = ordered.filter((s) => !s.placeholder).length
  const at = relative(process.cwd(), dir)
  const run = at ? `npx parity run --config ${join(at, 'parity.config.yaml')}` : 'npx parity run'
  io.stdout(
    [
      `wrote ${relative(process.cwd(), file) || file}: ${found} system${found === 1 ? '' : 's'} found${found < 2 ? ' (fill in the placeholder paths)' : ''}, ${scanned.components.length} component${scanned.components.length === 1 ? '' : 's'}, 3 gates, 3 reports`,
      '',
      'Next:',
      `${`  1. ${run}`.padEnd(50)}# scan, pair and gate; writes .parity/report.html`,
      `${'  2. open .parity/report.html'.padEnd(50)}# or \`npx parity serve\` for the dashboard`,
      `${'  3. uncomment the `run:` blocks, record traffic'.padEnd(50)}# \`npx parity record --target URL --out traffic.ndjson\`, then \`replay:\``,
      '',
    ].join('\n'),
  )
  return 0
}

/** A YAML scalar: plain when safe, else double-quoted. */
function yamlScalar(v: string): string {
  return /^[A-Za-z0-9_./{}-][A-Za-z0-9_./{}\- ]*$/.test(v) && !/^(true|false|null|yes|no|on|off|~)$/i.test(v) && !v.endsWith(' ') ? v : JSON.stringify(v)
}

/** The command that most likely starts a system, from its manifest: package scripts, `cargo run`, `go run`. */
function startCommand(abs: string, language: string): string | undefined {
  if (language === 'typescript') {
    try {
      const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; main?: string }
      if (pkg.scripts?.start) return 'npm start'
      if (pkg.scripts?.dev) return 'npm run dev'
      if (pkg.scripts?.serve) return 'npm run serve'
      if (typeof pkg.main === 'string') return `node ${pkg.main}`
    } catch {
      return undefined
    }
    return undefined
  }
  if (language === 'rust') return 'cargo run --release'
  if (language === 'go') return 'go run .'
  return undefined
}

interface FoundSystem {
  name: string
  source: string
  language: string
  /** A path to fill in: no second system was found. */
  placeholder?: boolean
}

/** Folders (up to two levels down) with a manifest; the root itself when it has one and nothing below does. */
function findSystems(dir: string): FoundSystem[] {
  const found: FoundSystem[] = []
  const visit = (abs: string, depth: number) => {
    let entries: Dirent[]
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

/** The baseline's components as config rules (match/components.ts: the model diff uses without rules); and its health route. */
async function scanBaseline(source: string): Promise<{ components: ComponentConfig[]; health: string | undefined }> {
  try {
    const inv = await scanPath({ path: source, jobs: 1 })
    const endpoints = inv.items.filter(isResolvedEndpoint)
    const health = endpoints.find((e) => e.method === 'GET' && /^\/(api\/)?(health|healthz|livez|readyz|ping|status)$/.test(e.path))?.path
    return { components: componentRules(inv.items), health }
  } catch {
    return { components: [], health: undefined }
  }
}

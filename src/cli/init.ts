import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { assignRoles, findSystems, type FoundSystem, type RoledSystem } from '../config/discover.js'
import { CONFIG_NAMES } from '../config/load.js'
import type { ComponentConfig } from '../config/schema.js'
import { componentRules } from '../match/components.js'
import { isResolvedEndpoint, type Item } from '../model/inventory.js'
import { ParityError } from '../model/errors.js'
import { languageName, plural } from '../model/words.js'
import { scanPath } from '../scan/scan.js'
import { parseCommandArgs } from './args.js'
import type { Command } from './command.js'

const HELP = `Usage: parity init [<folder>] [--force]

Write parity.config.yaml in <folder> (default: here) by looking at the tree: every sub-folder with a
manifest (package.json, Cargo.toml, go.mod, pyproject.toml, requirements.txt) becomes a system, and a
folder of several manifests in one language (go-services/ with three modules) one system. The
baseline is the TypeScript/JavaScript system with the most routes; a system whose services or folder
are named like the baseline's is a candidate, one with a product name of its own a peer (a sister
platform, compared but never gated). init prints why for each. Components come from the baseline's
route prefixes.
Each system gets a commented \`run:\` block with the command its manifest suggests (npm start,
cargo run, go run); the config gets starter gates and reports, and init prints what to run next.
`

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
  const found = findSystems(dir)
  // Each system's scan: its routes and services choose the baseline and tell rewrites from sister platforms.
  const scans = new Map<FoundSystem, Item[]>()
  for (const sys of found) scans.set(sys, await scanItems(join(dir, sys.source)))
  const roled = assignRoles(found, (sys) => scans.get(sys) ?? [])
  const baseline = roled.find((s) => s.role === 'baseline')
  const ordered: Array<RoledSystem | (FoundSystem & { role: 'baseline' | 'candidate'; placeholder: true })> = [
    ...roled.filter((s) => s.role === 'baseline'),
    ...roled.filter((s) => s.role === 'candidate'),
    ...roled.filter((s) => s.role === 'peer'),
  ]
  if (ordered.length < 2) {
    if (!ordered.length) ordered.push({ name: 'old', source: './path/to/old-service', language: '', manifests: 0, role: 'baseline', placeholder: true })
    ordered.push({ name: 'new', source: './path/to/rewrite', language: '', manifests: 0, role: 'candidate', placeholder: true })
  }
  const scanned = baseline ? baselineFacts(scans.get(found.find((f) => f.source === baseline.source)!) ?? []) : { components: [], health: undefined }
  const lines: string[] = [
    '# parity config: the systems to compare, how to group and pair their items, what to check.',
    '# Written by `parity init`; edit freely. Every field: docs/config.md, or the schema below in an editor.',
    `# yaml-language-server: $schema=./node_modules/rewrite-parity/schema/config.schema.json`,
    'systems:',
  ]
  for (const [i, sys] of ordered.entries()) {
    lines.push(
      `  - name: ${yamlScalar(sys.name)}`,
      `    role: ${sys.role}${'why' in sys ? `   # ${sys.why}` : ''}`,
      `    source: ${yamlScalar(sys.source)}${sys.placeholder ? '   # fill in the path' : ''}`,
    )
    // A peer is compared on its code only: parity never starts it.
    if (sys.role === 'peer') continue
    // How parity would start it for replay, e2e and bench: commented until you have checked the command.
    // A folder of several services has no one command its manifests suggest.
    const command = sys.placeholder || sys.manifests > 1 ? undefined : startCommand(join(dir, sys.source), sys.language)
    const ready = scanned.health && i === 0 ? `{ http: ${scanned.health} }` : '{ tcp: true }'
    lines.push(
      command
        ? `    # run: { command: ${yamlScalar(command)}, ready: ${ready} }   # parity starts it on a free port (PORT)`
        : sys.manifests > 1
          ? `    # run: { command: "…", ready: { tcp: true } }   # one command that starts its ${sys.manifests} services; PORT is set`
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
  const count = ordered.filter((s) => !s.placeholder).length
  const at = relative(process.cwd(), dir)
  const run = at ? `npx parity run --config ${join(at, 'parity.config.yaml')}` : 'npx parity run'
  io.stdout(
    [
      `wrote ${relative(process.cwd(), file) || file}: ${plural(count, 'system')} found${count < 2 ? ' (fill in the placeholder paths)' : ''}, ${plural(scanned.components.length, 'component')}, 3 gates, 3 reports`,
      ...ordered
        .flatMap((s) => ('why' in s ? [s] : []))
        .map((s) => `  ${s.role}: ${s.name} (${s.source}, ${languageOf(s.language)}, ${plural(s.routes, 'route')}; ${s.why})`),
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

/** What a system's scan found; nothing when it cannot be read (init still writes the system). */
async function scanItems(source: string): Promise<Item[]> {
  try {
    return (await scanPath({ path: source, jobs: 1 })).items
  } catch {
    return []
  }
}

function languageOf(language: string): string {
  // A package.json may hold either.
  return language === 'typescript' ? 'TypeScript/JavaScript' : languageName(language)
}

/** The baseline's components as config rules (match/components.ts: the model diff uses without rules); and its health route. */
function baselineFacts(items: Item[]): { components: ComponentConfig[]; health: string | undefined } {
  const endpoints = items.filter(isResolvedEndpoint)
  const health = endpoints.find((e) => e.method === 'GET' && /^\/(api\/)?(health|healthz|livez|readyz|ping|status)$/.test(e.path))?.path
  return { components: componentRules(items), health }
}

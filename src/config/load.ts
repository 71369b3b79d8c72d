/**
 * Find, read, validate and resolve the config: written config -> frozen resolved config. Every
 * problem is collected and reported at once (with the line, for YAML), exit code 2.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml'
import type { z } from 'zod'
import { parseSize } from '../model/size.js'
import { parseGate } from '../assess/gates.js'
import { ParityError } from '../model/errors.js'
import {
  configSchema,
  type BenchConfig,
  type ComponentConfig,
  type McpConfig,
  type ObjectiveConfig,
  type PlanConfig,
  type ExcludeRule,
  type FeatureConfig,
  type MapRule,
  type RunConfig,
  type SystemConfig,
} from './schema.js'

export const CONFIG_NAMES = ['parity.config.ts', 'parity.config.mts', 'parity.config.js', 'parity.config.mjs', 'parity.config.yaml', 'parity.config.yml']

export interface ResolvedSystem extends Omit<SystemConfig, 'run'> {
  /** Absolute path of `source`. */
  sourcePath: string
  /** With `cwd` absolute (default: the source folder, or the config's folder for a source file). */
  run?: RunConfig & { cwd: string }
}

export interface ResolvedConfig {
  /** The config file, absolute. */
  file: string
  baseline: ResolvedSystem & { role: 'baseline' }
  candidates: Array<ResolvedSystem & { role: 'candidate' }>
  /** Sister platforms (`role: peer`): scanned for the cross-platform matrix only, never paired as ports, never gated. */
  peers: Array<ResolvedSystem & { role: 'peer' }>
  components: ComponentConfig[]
  map: MapRule[]
  exclude: ExcludeRule[]
  /** What a service's port needs to count as migrated (shares 0..1). */
  services?: NonNullable<z.infer<typeof configSchema>['services']>
  maxFileBytes?: number
  /** Wall-clock budget per scanned file, in ms. */
  fileBudgetMs?: number
  gates: string[]
  /** Named gates, checked with `gates`; each one's value is kept per run for its trend. */
  objectives: ObjectiveConfig[]
  accepted: Array<{ fingerprint: string; reason: string }>
  /** Absolute paths of the reports to write. */
  reports: { md?: string; html?: string; junit?: string; json?: string }
  /** Absolute path of the history store. */
  historyFile: string
  /** More secret names, beside the defaults, for everything a run stores. */
  redact?: { headers?: string[]; fields?: string[] }
  /** With its corpus path absolute. */
  replay?: NonNullable<z.infer<typeof configSchema>['replay']>
  /** With its command as argv and its JUnit path absolute. */
  e2e?: { command: string[]; env?: string; junit?: string; timeout?: number; mcp?: boolean }
  bench?: BenchConfig
  /** With `calls` absolute. */
  mcp?: McpConfig
  /** With `rules` absolute. */
  plan?: PlanConfig
  /** Routes `parity cutover` sends to the candidate although not verified. */
  cutover?: { force: ExcludeRule[]; check?: { env?: Record<string, string> } }
  /** Features to check (`parity features`, and `parity run`). */
  features?: FeatureConfig[]
}

/** The config file in `dir`, if there is one. */
export function findConfig(dir: string): string | undefined {
  const found = CONFIG_NAMES.map((name) => join(dir, name)).filter((file) => existsSync(file))
  if (found.length > 1) {
    throw new ParityError(
      'CONFIG_AMBIGUOUS',
      `several configs here: ${found.map((f) => relative(dir, f)).join(', ')}`,
      'keep one, or choose with --config FILE',
    )
  }
  return found[0]
}

export async function loadConfig(file: string): Promise<ResolvedConfig> {
  const abs = resolve(file)
  if (!existsSync(abs)) {
    throw new ParityError('CONFIG_NOT_FOUND', `${file} does not exist`, 'run `parity init` to write a starter config, or pass --config FILE')
  }
  const display = relative(process.cwd(), abs) || abs
  const isYaml = /\.ya?ml$/.test(abs)
  let raw: unknown
  let lineOf: (path: PropertyKey[]) => number | undefined = () => undefined
  if (isYaml) {
    const counter = new LineCounter()
    const doc = parseDocument(readFileSync(abs, 'utf8'), { lineCounter: counter, prettyErrors: false })
    if (doc.errors.length) {
      const lines = doc.errors.map((e) => `${display}:${counter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`)
      throw configError(lines)
    }
    try {
      raw = doc.toJS({ maxAliasCount: 100 })
    } catch (e) {
      // An alias bomb (`a: &a [*b, *b, ...]` nested): refused, not expanded.
      throw new ParityError('CONFIG_INVALID', `${display}: ${(e as Error).message.split('\n')[0]}`, 'write the values out instead of through so many aliases')
    }
    lineOf = (path) => yamlLine(doc, counter, path)
  } else {
    try {
      const { createJiti } = await import('jiti')
      const jiti = createJiti(pathToFileURL(abs).href, { interopDefault: true, moduleCache: false })
      const mod = (await jiti.import(abs)) as { default?: unknown; config?: unknown }
      raw = mod?.default ?? mod?.config ?? mod
    } catch (e) {
      throw new ParityError(
        'CONFIG_INVALID',
        `${display}: cannot load: ${(e as Error).message.split('\n')[0]}`,
        'fix the error in the config module; it must `export default defineConfig({...})`',
      )
    }
  }
  const parsed = configSchema.safeParse(raw)
  const problems: string[] = []
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(describeIssue(display, issue, lineOf))
  // Checks across fields run on what was written even when its shape is wrong, so that every problem shows at once.
  const base = dirname(abs)
  const written = (raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}) as { systems?: unknown; map?: unknown }
  const rawSystems = Array.isArray(written.systems) ? (written.systems as Array<Record<string, unknown> | null>) : []
  const problem = (path: PropertyKey[], text: string) => problems.push(`${display}${at(lineOf(path))}: ${text}`)
  const names = new Set<string>()
  rawSystems.forEach((s, i) => {
    if (!s || typeof s !== 'object') return
    if (typeof s.name === 'string') {
      if (names.has(s.name)) problem(['systems', i, 'name'], `systems[${i}].name: \`${s.name}\` is used twice`)
      names.add(s.name)
    }
    if (typeof s.source === 'string' && s.source.trim() && !existsSync(resolve(base, s.source))) {
      problem(['systems', i, 'source'], `systems[${i}].source: ${s.source} does not exist (resolved to ${resolve(base, s.source)})`)
    }
    const run = s.run as { cwd?: unknown } | undefined
    if (run && typeof run.cwd === 'string' && !existsSync(resolve(base, run.cwd))) {
      problem(['systems', i, 'run', 'cwd'], `systems[${i}].run.cwd: ${run.cwd} does not exist (resolved to ${resolve(base, run.cwd)})`)
    }
    if (run && s.url !== undefined && (s.run as { port?: unknown }).port === undefined) {
      problem(['systems', i, 'url'], `systems[${i}]: give \`run.port\` with \`url\` (parity starts it on a free port otherwise), or drop \`url\``)
    }
  })
  const baselines = rawSystems.filter((s) => s?.role === 'baseline').length
  if (rawSystems.length && baselines !== 1) problem(['systems'], `systems: exactly one system must have role \`baseline\` (found ${baselines})`)
  if (Array.isArray(written.map)) {
    ;(written.map as Array<Record<string, unknown> | null>).forEach((rule, i) => {
      const candidate = rule?.candidate
      if (typeof candidate === 'string' && !rawSystems.some((s) => s?.name === candidate && s?.role === 'candidate')) {
        const peer = rawSystems.some((s) => s?.name === candidate && s?.role === 'peer')
        problem(
          ['map', i, 'candidate'],
          `map[${i}].candidate: \`${candidate}\` is ${peer ? 'a peer: a peer ports nothing, so no map rule applies to it' : 'not a candidate system'}`,
        )
      }
    })
  }
  if (Array.isArray((written as { gates?: unknown }).gates)) {
    ;(written as { gates: unknown[] }).gates.forEach((gate, i) => {
      if (typeof gate !== 'string') return
      try {
        parseGate(gate)
      } catch (e) {
        problem(['gates', i], `gates[${i}]: ${(e as Error).message} (${(e as ParityError).hint ?? ''})`)
      }
    })
  }
  if (Array.isArray((written as { objectives?: unknown }).objectives)) {
    const seen = new Set<string>()
    ;(written as { objectives: unknown[] }).objectives.forEach((o, i) => {
      const { name, gate } = (o && typeof o === 'object' ? o : {}) as { name?: unknown; gate?: unknown }
      if (typeof name === 'string') {
        if (seen.has(name.trim())) problem(['objectives', i, 'name'], `objectives[${i}].name: \`${name}\` is used twice`)
        seen.add(name.trim())
      }
      if (typeof gate !== 'string') return
      try {
        parseGate(gate)
      } catch (e) {
        problem(['objectives', i, 'gate'], `objectives[${i}].gate: ${(e as Error).message} (${(e as ParityError).hint ?? ''})`)
      }
    })
  }
  if (!parsed.success || problems.length) throw configError(problems)
  const config = parsed.data
  const systems = config.systems.map((s): ResolvedSystem => {
    const sourcePath = resolve(base, s.source)
    const { run, mcp, ...rest } = s
    const home = isDir(sourcePath) ? sourcePath : base
    return Object.freeze({
      ...rest,
      sourcePath,
      ...(run ? { run: { ...run, cwd: run.cwd ? resolve(base, run.cwd) : home } } : {}),
      ...(mcp ? { mcp: mcp.url ? mcp : { ...mcp, cwd: mcp.cwd ? resolve(base, mcp.cwd) : home } } : {}),
    })
  })
  let maxFileBytes: number | undefined
  const size = config.scan?.maxFileSize
  if (size !== undefined) {
    try {
      maxFileBytes = typeof size === 'number' ? size : parseSize('scan.maxFileSize', size)
    } catch (e) {
      problems.push(`${display}${at(lineOf(['scan', 'maxFileSize']))}: scan.maxFileSize: ${(e as Error).message}`)
    }
  }
  if (problems.length) throw configError(problems)
  return Object.freeze({
    file: abs,
    baseline: systems.find(hasRole('baseline'))!,
    candidates: systems.filter(hasRole('candidate')),
    peers: systems.filter(hasRole('peer')),
    components: config.components ?? [],
    map: config.map ?? [],
    exclude: config.exclude ?? [],
    ...(config.services ? { services: config.services } : {}),
    ...(maxFileBytes ? { maxFileBytes } : {}),
    ...(config.scan?.fileTimeout ? { fileBudgetMs: config.scan.fileTimeout * 1000 } : {}),
    gates: config.gates ?? [],
    objectives: config.objectives ?? [],
    accepted: config.accepted ?? [],
    reports: Object.fromEntries(Object.entries(config.reports ?? {}).map(([k, v]) => [k, resolve(base, v as string)])),
    historyFile: resolve(base, config.history ?? '.parity/history.sqlite'),
    ...(config.redact ? { redact: config.redact } : {}),
    ...(config.replay ? { replay: { ...config.replay, corpus: resolve(base, config.replay.corpus) } } : {}),
    ...(config.e2e
      ? {
          e2e: {
            ...config.e2e,
            command: typeof config.e2e.command === 'string' ? ['/bin/sh', '-c', config.e2e.command] : config.e2e.command,
            ...(config.e2e.junit ? { junit: resolve(base, config.e2e.junit) } : {}),
          },
        }
      : {}),
    ...(config.bench ? { bench: config.bench } : {}),
    ...(config.features ? { features: config.features } : {}),
    ...(config.plan ? { plan: { ...config.plan, ...(config.plan.rules ? { rules: resolve(base, config.plan.rules) } : {}) } } : {}),
    ...(config.mcp ? { mcp: { ...config.mcp, ...(config.mcp.calls ? { calls: resolve(base, config.mcp.calls) } : {}) } } : {}),
    ...(config.cutover ? { cutover: { force: config.cutover.force ?? [], ...(config.cutover.check ? { check: config.cutover.check } : {}) } } : {}),
  })
}

function hasRole<R extends ResolvedSystem['role']>(role: R): (s: ResolvedSystem) => s is ResolvedSystem & { role: R } {
  return (s): s is ResolvedSystem & { role: R } => s.role === role
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function configError(lines: string[]): ParityError {
  const lineOf = (l: string) => Number(/^[^:]*:(\d+):/.exec(l)?.[1] ?? 0)
  lines = [...lines].sort((a, b) => lineOf(a) - lineOf(b))
  const head = lines.length === 1 ? 'the config has a problem' : `the config has ${lines.length} problems`
  return new ParityError('CONFIG_INVALID', `${head}:\n  ${lines.join('\n  ')}`, 'fix them and run again; schema/config.schema.json gives completion in editors')
}

function describeIssue(file: string, issue: z.core.$ZodIssue, lineOf: (path: PropertyKey[]) => number | undefined): string {
  const path = issue.path
  const where = path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '')
  let message = issue.message
  // zod's "expected string, received undefined" is a field left out.
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message))
    message = `is required (${issue.expected === 'string' ? 'a string' : issue.expected})`
  if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`
  const line = issue.code === 'unrecognized_keys' ? (lineOf([...path, issue.keys[0]!]) ?? lineOf(path)) : (lineOf(path) ?? lineOf(path.slice(0, -1)))
  return `${file}${at(line)}: ${where ? `${where}: ` : ''}${message}`
}

function at(line: number | undefined): string {
  return line ? `:${line}` : ''
}

/** The line of a node (or of its key, for a field) in a YAML document. */
function yamlLine(doc: Document, counter: LineCounter, path: PropertyKey[]): number | undefined {
  if (!path.length) return undefined
  const parent = doc.getIn(path.slice(0, -1), true)
  const last = path[path.length - 1]
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last)
    const range = (pair?.key as { range?: [number, number, number] } | null)?.range
    if (range) return counter.linePos(range[0]).line
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last] as { range?: [number, number, number] } | undefined
    if (item?.range) return counter.linePos(item.range[0]).line
  }
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined
  return node?.range ? counter.linePos(node.range[0]).line : undefined
}

/** The config a command needs: `--config FILE`, or the one in this folder; none is a usage error naming the command. */
export async function requireConfig(command: string, given: string | undefined): Promise<ResolvedConfig> {
  const file = given ?? findConfig(process.cwd())
  if (!file)
    throw new ParityError('NO_CONFIG', `parity ${command} needs a config: no parity.config.* here`, 'run `parity init` to write one, or pass --config FILE')
  return loadConfig(file)
}

/**
 * `parity diff` as a run: inventory every system, pair them, and return the RunResult.
 */
import { migratedRule } from '../assess/services.js'
import { dirname, relative } from 'node:path'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import { capabilityCatalog } from '../capabilities/catalog.js'
import { ParityError } from '../model/errors.js'
import { INVENTORY_SCHEMA, type Diagnostic, type Inventory } from '../model/inventory.js'
import type { RunResult } from '../model/run.js'
import { emptyRun } from '../model/empty-run.js'
import { loadInventory } from '../scan/load-inventory.js'
import { readCorpus } from '../verify/corpus.js'
import { diffSystems, type DiffOptions, type DiffRules, type SystemInventory } from './diff.js'
import { resolveByTraffic, type ObservedRequest } from './traffic.js'

export interface SystemInput {
  name: string
  /** A source tree, an OpenAPI document or an inventory JSON. */
  source: string
  /** As written, for reports (default: `source`). */
  label?: string
  /** A database URL to introspect. */
  database?: string
}

export interface DiffRunInput {
  baseline: SystemInput
  candidates: SystemInput[]
  /** Sister platforms: scanned for the cross-platform matrix only. */
  peers?: SystemInput[]
  rules?: DiffRules
  config?: string
  maxFileBytes?: number
  /** Wall-clock budget per scanned file, in ms. */
  fileBudgetMs?: number
  extractorModules?: string[]
  /** Inventories a database URL; its failure is a run diagnostic, the static diff still runs. */
  introspect?: (url: string) => Promise<SystemInventory['inventory']['items']>
  impactOf?: DiffOptions['impactOf']
  onSystem?: (name: string) => void
  onProgress?: (done: number, total: number) => void
  /** Recorded requests (the replay corpus) that complete routes the scan left partly unknown. */
  traffic?: { requests: ObservedRequest[]; corpus: string }
}

export async function runDiff(input: DiffRunInput): Promise<RunResult> {
  const startedAt = new Date().toISOString()
  const runDiagnostics: Diagnostic[] = []
  const inventoryOf = async (system: SystemInput, role: SystemInventory['role']): Promise<SystemInventory> => {
    input.onSystem?.(system.name)
    let loaded: Awaited<ReturnType<typeof loadInventory>>
    try {
      loaded = await loadInventory(system.source, {
        ...(input.maxFileBytes ? { maxFileBytes: input.maxFileBytes } : {}),
        ...(input.fileBudgetMs ? { fileBudgetMs: input.fileBudgetMs } : {}),
        extractorModules: input.extractorModules ?? [],
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
      })
    } catch (e) {
      // A candidate (or a peer) in a language parity cannot read is an empty system, not the end of the run.
      if (role === 'baseline' || !(e instanceof ParityError) || e.code !== 'NO_SOURCES') throw e
      runDiagnostics.push({
        level: 'warn',
        code: 'NO_SOURCES',
        message: `${role} \`${system.name}\`: ${e.message}; ${role === 'peer' ? 'it has nothing in the cross-platform matrix' : 'every baseline item counts as missing there'}`,
      })
      loaded = { inventory: emptyInventory(system.label ?? system.source), sourceKind: 'tree' as const }
    }
    const { inventory, sourceKind } = loaded
    if (input.traffic?.requests.length) resolveByTraffic(inventory, input.traffic.requests, input.traffic.corpus)
    if (system.database && input.introspect) {
      try {
        inventory.items.push(...(await input.introspect(system.database)))
      } catch (e) {
        const err = e as Error & { hint?: string }
        runDiagnostics.push({
          level: 'error',
          code: 'DB_UNREACHABLE',
          message: `${system.name}: ${err.message}${err.hint ? ` (${err.hint})` : ''}; the diff goes on without its live schema`,
        })
      }
    }
    return { name: system.name, role, source: system.label ?? system.source, sourceKind, inventory }
  }
  const baseline = await inventoryOf(input.baseline, 'baseline')
  const candidates: SystemInventory[] = []
  for (const c of input.candidates) candidates.push(await inventoryOf(c, 'candidate'))
  const peers: SystemInventory[] = []
  for (const p of input.peers ?? []) peers.push(await inventoryOf(p, 'peer'))
  const impactOf = input.impactOf ?? ((id: string) => capabilityCatalog.find((c) => c.id === id)?.impact)
  const diff = diffSystems(baseline, candidates, input.rules ?? {}, { impactOf, peers })
  return {
    ...emptyRun(startedAt),
    ...(input.config ? { config: input.config } : {}),
    ...diff,
    diagnostics: [...runDiagnostics, ...diff.diagnostics],
  }
}

function emptyInventory(root: string): Inventory {
  return { schema: INVENTORY_SCHEMA, root, frameworks: [], items: [], diagnostics: [], stats: { files: 0, parsed: 0, lines: 0, skipped: {} } }
}

/** The diff of the config's systems, with its rules: what `parity run`, `bench`, `plan` and `scorecard` start from. */
export async function diffConfig(config: ResolvedConfig, options: Pick<DiffRunInput, 'onProgress' | 'introspect' | 'onSystem'> = {}): Promise<RunResult> {
  const base = dirname(config.file)
  const input = (s: ResolvedSystem): SystemInput => ({
    name: s.name,
    source: s.sourcePath,
    label: relative(base, s.sourcePath) || '.',
    ...(s.database && options.introspect ? { database: s.database } : {}),
  })
  const run = await runDiff({
    baseline: input(config.baseline),
    candidates: config.candidates.map(input),
    peers: config.peers.map(input),
    ...trafficOf(config),
    rules: { components: config.components, map: config.map, exclude: config.exclude, migrated: migratedRule(config.services?.migrated) },
    config: relative(process.cwd(), config.file) || config.file,
    ...(config.maxFileBytes ? { maxFileBytes: config.maxFileBytes } : {}),
    ...(config.fileBudgetMs ? { fileBudgetMs: config.fileBudgetMs } : {}),
    ...options,
  })
  // A peer is compared on what its code shows; how to run it is not used (said, not silently dropped).
  for (const p of config.peers) {
    const ways = [p.run && '`run`', p.url && '`url`', p.mcp && '`mcp`'].filter(Boolean)
    if (!ways.length) continue
    run.diagnostics.push({
      level: 'warn',
      code: 'PEER_NOT_RUN',
      message: `peer \`${p.name}\`: a peer is scanned for the cross-platform matrix only; parity does not start, replay or bench it (its ${ways.join(', ')} ${ways.length === 1 ? 'is' : 'are'} not used)`,
    })
  }
  return run
}

/** The replay corpus's requests, when the config names one that can be read (replay reports its own errors). */
export function trafficOf(config: ResolvedConfig): Pick<DiffRunInput, 'traffic'> {
  if (!config.replay) return {}
  try {
    const corpus = readCorpus(config.replay.corpus, config.replay.origin ? { origin: config.replay.origin } : {})
    return { traffic: { requests: corpus.exchanges.map((e) => e.request), corpus: relative(dirname(config.file), config.replay.corpus) } }
  } catch {
    return {}
  }
}

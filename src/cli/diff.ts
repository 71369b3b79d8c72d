import { migratedRule } from '../assess/services.js'
import { basename, relative, resolve } from 'node:path'
import { findConfig, loadConfig, type ResolvedSystem } from '../config/load.js'
import { loadExtractors } from '../extractors/load.js'
import { runDiff, trafficOf, type SystemInput } from '../match/diff-run.js'
import { ParityError } from '../model/errors.js'
import { renderDiffTable } from '../report/diff-table.js'
import { parseCommandArgs, tableOrJson } from './args.js'
import type { Command } from './command.js'
import { emit } from './output.js'
import { createProgress } from './progress.js'

const HELP = `Usage: parity diff [<baseline> <candidate> [<candidate>...]] [options]

Pair the items of a baseline and one or more candidates (routes, WebSocket/SSE endpoints,
capabilities, services, database tables) and say what each candidate lacks. Each argument is a
source folder, an OpenAPI document or an inventory JSON from \`parity scan --format json\`.
Without arguments, the systems come from parity.config.ts / parity.config.yaml.

Options:
  --config FILE         the config (default: parity.config.* in this folder); with arguments,
                        only its components, map and exclude rules are used
  --format table|json   output format (default: table); json is the RunResult (schema/run.schema.json)
  --out FILE            write the output to FILE instead of stdout
  --extractor MODULE    load an extractor of your own (repeatable)
  -h, --help            show this help
`

export const diffCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs('diff', argv, {
    config: { type: 'string' },
    format: { type: 'string', default: 'table' },
    out: { type: 'string' },
    extractor: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = tableOrJson('diff', values.format)
  if (positionals.length === 1) {
    throw new ParityError(
      'USAGE',
      'diff needs a baseline and at least one candidate',
      'run `parity diff <baseline> <candidate>`, or write a config with `parity init`',
    )
  }
  const configFile = values.config ?? (positionals.length ? undefined : findConfig(process.cwd()))
  if (!positionals.length && !configFile) {
    throw new ParityError(
      'NO_CONFIG',
      'diff needs two systems: no arguments and no parity.config.* here',
      'run `parity diff <baseline> <candidate>`, or `parity init` to write a config',
    )
  }
  const config = configFile ? await loadConfig(configFile) : undefined
  let baseline: SystemInput
  let candidates: SystemInput[]
  let peers: SystemInput[] = []
  if (positionals.length) {
    const names = uniqueNames(positionals)
    const systems = positionals.map((p, i) => ({ name: names[i]!, source: resolve(p), label: p }))
    baseline = systems[0]!
    candidates = systems.slice(1)
  } else {
    const cwd = process.cwd()
    const toInput = (s: ResolvedSystem): SystemInput => ({
      name: s.name,
      source: s.sourcePath,
      label: relative(cwd, s.sourcePath) || '.',
      ...(s.database ? { database: s.database } : {}),
    })
    baseline = toInput(config!.baseline)
    candidates = config!.candidates.map(toInput)
    peers = config!.peers.map(toInput)
  }
  const extractorModules = values.extractor ?? []
  await loadExtractors(extractorModules)
  const progress = createProgress('scanning', io.stderr, io.interactive)
  const run = await runDiff({
    baseline,
    candidates,
    peers,
    rules: { components: config?.components ?? [], map: config?.map ?? [], exclude: config?.exclude ?? [], migrated: migratedRule(config?.services?.migrated) },
    ...(config ? { config: relative(process.cwd(), config.file) } : {}),
    ...(config?.maxFileBytes ? { maxFileBytes: config.maxFileBytes } : {}),
    ...(config?.fileBudgetMs ? { fileBudgetMs: config.fileBudgetMs } : {}),
    extractorModules,
    // The config's replay corpus completes routes the scan left partly unknown (its systems only).
    ...(config && !positionals.length ? trafficOf(config) : {}),
    introspect: async (url) => (await import('../database/introspect.js')).introspectDatabase(url),
    onProgress: (done, total) => progress.update(done, total),
  })
  progress.done()
  const output = format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : renderDiffTable(run)
  emit(io, output, values.out)
  return 0
}

/** Folder names as system names, made unique (`api`, `api-2`). */
function uniqueNames(paths: string[]): string[] {
  const seen = new Map<string, number>()
  return paths.map((p) => {
    const base = basename(resolve(p)).replace(/\.(ya?ml|json)$/, '') || 'system'
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return n === 1 ? base : `${base}-${n}`
  })
}

/**
 * The start every config-driven report command shares (`plan`, `features`, `scorecard`): its options
 * plus `--config`, `--format table|json`, `--out` and `--help`; no positional arguments; the config
 * found and loaded; its systems scanned and diffed with a progress bar.
 */
import { requireConfig, type ResolvedConfig } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import { parseCommandArgs, tableOrJson } from './args.js'
import type { CommandIo } from './command.js'
import { createProgress } from './progress.js'

type Options = Parameters<typeof parseCommandArgs>[2]

export interface ConfigCommandStart {
  values: Record<string, unknown>
  format: 'table' | 'json'
  config: ResolvedConfig
  run: RunResult
}

/** Undefined when `--help` was asked (the help is printed): the command returns 0. */
export async function startConfigCommand(command: string, argv: string[], io: CommandIo, help: string, options: Options = {}): Promise<ConfigCommandStart | undefined> {
  const { values, positionals } = parseCommandArgs(command, argv, {
    ...options,
    config: { type: 'string' },
    format: { type: 'string', default: 'table' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(help)
    return undefined
  }
  const format = tableOrJson(command, values.format)
  if (positionals.length) throw new ParityError('USAGE', `${command}: unexpected argument ${positionals[0]}`, 'the systems come from the config: pass --config FILE')
  const config = await requireConfig(command, values.config)
  const { diffConfig } = await import('../match/diff-run.js')
  const progress = createProgress('scanning', io.stderr, io.interactive)
  const run = await diffConfig(config, { onProgress: (done, total) => progress.update(done, total) })
  progress.done()
  return { values, format, config, run }
}

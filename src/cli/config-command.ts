/**
 * The start every config-driven single-stage command shares (`plan`, `features`, `scorecard`): its
 * options plus `--config`, `--format table|json`, `--out` and `--help`; no positional arguments; the
 * config found and loaded. `runStages` then runs the command's stage through the pipeline, with
 * what it needs before it, exactly as `parity run` runs it.
 */
import { requireConfig, type ResolvedConfig } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import type { StageId, StageOptions } from '../run/stage.js'
import { parseCommandArgs, tableOrJson, type OptionSpecs, type ParsedValues } from './args.js'
import type { CommandIo } from './command.js'
import { stageLine } from './stage-line.js'
import { PLAIN } from '../report/style.js'

const COMMON = {
  config: { type: 'string' },
  format: { type: 'string', default: 'table' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export interface ConfigCommandStart<O extends OptionSpecs> {
  values: ParsedValues<O & typeof COMMON>
  format: 'table' | 'json'
  config: ResolvedConfig
}

/** Undefined when `--help` was asked (the help is printed): the command returns 0. */
export async function startConfigCommand<O extends OptionSpecs>(
  command: string,
  argv: string[],
  io: CommandIo,
  help: string,
  options: O,
): Promise<ConfigCommandStart<O> | undefined> {
  const { values, positionals } = parseCommandArgs(command, argv, { ...options, ...COMMON })
  // The common options, typed by their own declaration (a generic O leaves them unresolved).
  const common: ParsedValues<typeof COMMON> = values
  if (common.help) {
    io.stdout(help)
    return undefined
  }
  const format = tableOrJson(command, common.format)
  if (positionals.length)
    throw new ParityError('USAGE', `${command}: unexpected argument ${positionals[0]}`, 'the systems come from the config: pass --config FILE')
  const config = await requireConfig(command, common.config)
  return { values, format, config }
}

/** Runs the stages a command asks for (and the enabled stages they need), with the live stage line on a terminal. */
export async function runStages(config: ResolvedConfig, only: StageId[], io: CommandIo, options: StageOptions = {}): Promise<RunResult> {
  const { runPipeline } = await import('../run/pipeline.js')
  const line = stageLine(io, io.errStyle ?? PLAIN)
  try {
    return await runPipeline({
      config,
      only,
      options,
      events: {
        onStage: (_id, title) => line.stage(title),
        onSystem: (name) => line.detail(name),
        onProgress: (done, total, unit) => line.progress(done, total, unit),
      },
    })
  } finally {
    line.end()
  }
}

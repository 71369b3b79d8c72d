import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ParityError } from '../model/errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** `util.parseArgs` with unknown flags and missing values turned into usage errors. */
export function parseCommandArgs(
  command: string,
  argv: string[],
  options: Options,
): { values: Record<string, string | boolean | Array<string | boolean> | undefined>; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (e) {
    throw new ParityError('USAGE', `${command}: ${(e as Error).message}`, `run \`parity ${command} --help\` for the options`)
  }
}

/** `--format table|json`, the choice of the commands that print a table or their result as JSON. */
export function tableOrJson(command: string, value: unknown): 'table' | 'json' {
  if (value === 'table' || value === 'json') return value
  throw new ParityError('USAGE', `--format ${String(value)} is not supported by ${command}`, 'use --format table or --format json')
}

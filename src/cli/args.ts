import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ParityError } from '../model/errors.js'
import { closest } from './suggest.js'

/** Option declarations, as `util.parseArgs` takes them. */
export type OptionSpecs = NonNullable<ParseArgsConfig['options']>
type Options = OptionSpecs

/** The values of parsed options, typed from their declaration: a string option is `string | undefined`, a repeatable one `string[] | undefined`. */
export type ParsedValues<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' }
    ? O[K] extends { multiple: true }
      ? boolean[]
      : boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string
}

/** `util.parseArgs` with unknown flags and missing values turned into usage errors. */
export function parseCommandArgs<const O extends Options>(command: string, argv: string[], options: O): { values: ParsedValues<O>; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as { values: ParsedValues<O>; positionals: string[] }
  } catch (e) {
    const message = (e as Error).message
    // `Unknown option '--jsn'`: name the option meant, when one is close.
    const typed = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1]
    const meant = typed?.startsWith('--') ? closest(typed.slice(2).split('=')[0]!, Object.keys(options)) : undefined
    if (typed && meant)
      throw new ParityError('USAGE', `${command}: unknown option ${typed}; did you mean --${meant}?`, `run \`parity ${command} --help\` for the options`)
    throw new ParityError('USAGE', `${command}: ${message.split('. To specify')[0]}`, `run \`parity ${command} --help\` for the options`)
  }
}

/** `--format table|json`, the choice of the commands that print a table or their result as JSON. */
export function tableOrJson(command: string, value: unknown): 'table' | 'json' {
  if (value === 'table' || value === 'json') return value
  throw new ParityError('USAGE', `--format ${String(value)} is not supported by ${command}`, 'use --format table or --format json')
}

/**
 * A numeric flag: undefined when absent, else a number of at least `min` (above 0 by default), a
 * whole number when `integer`; anything else is a usage error naming the flag.
 */
export function numberFlag(flag: string, value: unknown, options: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  const { min, max, integer = false } = options
  const ok = Number.isFinite(n) && (min === undefined ? n > 0 : n >= min) && (!integer || Number.isInteger(n)) && (max === undefined || n <= max)
  if (!ok) {
    const what = `${integer ? 'a whole number' : 'a number'} ${min === undefined ? 'above 0' : `of at least ${min}`}${max === undefined ? '' : ` and at most ${max}`}`
    throw new ParityError('USAGE', `--${flag} ${String(value)} is not ${what}`, `give --${flag} ${what}`)
  }
  return n
}

/** Seconds that become a timer: at most a day (a timer past 2^31 ms, about 24.8 days, fires at once). */
export const MAX_SECONDS = 86_400

/** A flag in seconds: above 0 (or `min`) and at most MAX_SECONDS. */
export function secondsFlag(flag: string, value: unknown, options: { min?: number } = {}): number | undefined {
  return numberFlag(flag, value, { ...options, max: MAX_SECONDS })
}

/** The flags that add secret names (`record`, `replay`, `shadow`): each repeatable. */
export const REDACT_FLAGS = {
  'redact-header': { type: 'string', multiple: true },
  'redact-field': { type: 'string', multiple: true },
} as const

/** The names `--redact-header` and `--redact-field` gave. */
export function redactFlags(values: Record<string, unknown>): { headers: string[]; fields: string[] } {
  return { headers: (values['redact-header'] as string[] | undefined) ?? [], fields: (values['redact-field'] as string[] | undefined) ?? [] }
}

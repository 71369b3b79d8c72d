/** A RunResult saved as JSON (`parity diff --format json`, the `json` report), read back with its schema checked. */
import { readFileSync } from 'node:fs'
import { ParityError } from '../model/errors.js'
import { RUN_SCHEMA, type RunResult } from '../model/run.js'
import { upgradeRun } from './upgrade.js'

/** A RunResult saved as JSON; one of another schema version is refused with what to do. */
export function readRun(path: string): RunResult {
  let data: { schema?: unknown }
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new ParityError(
      'BAD_RUN',
      `cannot read ${path}: ${(e as Error).message.split('\n')[0]}`,
      'pass a RunResult saved by `parity diff --format json` or `parity report --format json`',
    )
  }
  if (data?.schema !== RUN_SCHEMA) {
    const found = typeof data?.schema === 'string' ? data.schema : 'no schema field'
    throw new ParityError(
      'RUN_SCHEMA_MISMATCH',
      `${path} is ${typeof data?.schema === 'string' && data.schema.startsWith('parity.run/') ? `a ${found} run` : `not a parity RunResult (${found})`}; this parity reads ${RUN_SCHEMA}`,
      'produce it again with this version: `parity run`, or `parity diff --format json`',
    )
  }
  return upgradeRun(data as RunResult)
}

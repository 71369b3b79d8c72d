import { RUN_SCHEMA, type RunResult } from './run.js'
import { parityVersion } from './version.js'

/**
 * The one place a RunResult starts: the schema, the tool, the time, and empty figures; every command
 * and stage fills in what it found (`{ ...emptyRun(), pairs, ...summarizePairs(pairs) }`).
 */
export function emptyRun(startedAt = new Date().toISOString()): RunResult {
  return {
    schema: RUN_SCHEMA,
    tool: { name: 'parity', version: parityVersion() },
    startedAt,
    systems: [],
    pairs: [],
    nearMisses: [],
    components: [],
    summary: { total: 0, percent: 0, ported: 0, missing: 0, extra: 0, excluded: 0, verified: 0, divergent: 0, byKind: {} },
    candidates: {},
    diagnostics: [],
  }
}

/**
 * The migration status of a candidate, or of one of its components, from its figures: one rule,
 * carried by the RunResult (`Summary.status`) so that the terminal, the vault and the dashboard say
 * the same word for the same figures.
 */
import type { MigrationStatus, Summary } from '../model/run.js'

/**
 * `complete`: every baseline item is there and none behaves differently; `partial`: some are;
 * `not-started`: none is; `excluded`: every item is excluded on purpose; `empty`: nothing to port.
 */
export function statusOf(s: Pick<Summary, 'total' | 'excluded' | 'ported' | 'verified' | 'divergent' | 'missing'> | undefined): MigrationStatus {
  if (!s || s.total === 0) return s && s.excluded > 0 ? 'excluded' : 'empty'
  if (s.ported + s.verified + s.divergent === 0) return 'not-started'
  return s.missing === 0 && s.divergent === 0 ? 'complete' : 'partial'
}

/**
 * The verified share of a candidate's (or a component's) baseline items: computed once with the
 * ported share and carried by the RunResult (`Summary.verifiedPercent`), so that the vault, the
 * trend and the dashboard's run picker show the same figure.
 */
import type { Summary } from '../model/run.js'

/** Verified items over the baseline items not excluded, in percent, one decimal; 0 when there are none. */
export function verifiedPercentOf(s: Pick<Summary, 'verified' | 'total'>): number {
  return s.total ? Math.round((s.verified / s.total) * 1000) / 10 : 0
}

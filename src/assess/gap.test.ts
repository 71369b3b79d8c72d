import { describe, expect, it } from 'vitest'
import type { Counts, Summary } from '../model/run.js'
import { gapSeverityOf, mostSevere } from './gap.js'

const counts = (c: Partial<Counts> = {}): Counts => ({ ported: 0, missing: 0, extra: 0, excluded: 0, verified: 0, divergent: 0, ...c })
const summary = (c: Partial<Counts>, byKind: Summary['byKind'] = {}): Summary => {
  const s = counts(c)
  const total = s.ported + s.verified + s.divergent + s.missing
  return { ...s, total, percent: total ? Math.round(((s.ported + s.verified + s.divergent) / total) * 1000) / 10 : 0, byKind }
}

describe('gapSeverityOf', () => {
  it('grades by what is missing, then by the share ported', () => {
    expect(gapSeverityOf(summary({ ported: 9, missing: 1 }, { table: counts({ missing: 1 }) }))).toBe('critical')
    expect(gapSeverityOf(summary({ ported: 1, missing: 2 }))).toBe('high')
    expect(gapSeverityOf(summary({ ported: 9, divergent: 1 }))).toBe('high')
    expect(gapSeverityOf(summary({ ported: 8, missing: 2 }))).toBe('medium')
    expect(gapSeverityOf(summary({ ported: 19, missing: 1 }))).toBe('low')
  })

  it('is none when there is nothing left to port', () => {
    expect(gapSeverityOf(summary({ ported: 3 }))).toBe('none')
    expect(gapSeverityOf(summary({ excluded: 2 }))).toBe('none')
    expect(gapSeverityOf(summary({}))).toBe('none')
    expect(gapSeverityOf(undefined)).toBe('none')
  })
})

describe('mostSevere', () => {
  it('takes the most severe grade, none for none', () => {
    expect(mostSevere(['low', 'critical', undefined, 'high'])).toBe('critical')
    expect(mostSevere(['medium', 'none'])).toBe('medium')
    expect(mostSevere([])).toBe('none')
  })
})

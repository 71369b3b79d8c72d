import { describe, expect, it } from 'vitest'
import { cvss3Score, cvssSeverity, parseAudit, splitJsonStream } from './audit.js'

describe('cvss3Score', () => {
  it('computes base scores as the specification’s calculator does', () => {
    expect(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8)
    expect(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H')).toBe(7.5)
    expect(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')).toBe(6.1)
    expect(cvss3Score('CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N')).toBe(0)
    expect(cvss3Score('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeUndefined()
  })
  it('maps scores to severities, anything unreadable to unknown', () => {
    expect([9.8, 7.5, 6.1, 2, 0].map(cvssSeverity)).toEqual(['critical', 'high', 'moderate', 'low', 'info'])
    expect(cvssSeverity(null)).toBe('unknown')
    expect(cvssSeverity('CVSS:3.1/AV:X')).toBe('unknown')
  })
})

describe('parseAudit', () => {
  it('reads npm v6 advisories when there is no metadata', () => {
    const r = parseAudit(JSON.stringify({ advisories: { 1: { severity: 'moderate' }, 2: { severity: 'critical' } } }), 'a.json')
    expect(r).toMatchObject({ tool: 'npm', total: 2, bySeverity: { critical: 1, moderate: 1 } })
  })
  it('reads pip-audit’s older bare list of dependencies', () => {
    expect(parseAudit(JSON.stringify([{ name: 'flask', version: '0.5', vulns: [{ id: 'PYSEC-1' }] }]), 'p.json')).toMatchObject({ tool: 'pip-audit', total: 1 })
  })
  it('names a malformed or foreign file with a hint', () => {
    expect(() => parseAudit('{"vulnerabilities": {', 'cut.json')).toThrow(/cut\.json: malformed JSON/)
    expect(() => parseAudit('{"name": "x"}', 'pkg.json')).toThrow(/pkg\.json: not an audit report/)
    expect(() => parseAudit('', 'empty.json')).toThrow(/empty/)
  })
})

describe('splitJsonStream', () => {
  it('splits concatenated objects, braces inside strings included', () => {
    expect(splitJsonStream('{"a": "}{"}\n{"b": {"c": 1}}')).toEqual([{ a: '}{' }, { b: { c: 1 } }])
  })
  it('is undefined for text that is not a stream of objects', () => {
    expect(splitJsonStream('{"a": 1} trailing')).toBeUndefined()
    expect(splitJsonStream('{"a": 1')).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { parseCoverage, xmlTags } from './coverage.js'

describe('xmlTags', () => {
  it('reads names and attributes, skipping comments, declarations and CDATA', () => {
    const tags = xmlTags(`<?xml version="1.0"?><!-- <x a="1"/> --><a k='v &amp; w' n=3><![CDATA[<b/>]]><c/></a>`)
    expect(tags).toEqual([
      { name: 'a', attrs: { k: 'v & w', n: '3' }, closing: false },
      { name: 'c', attrs: {}, closing: false },
      { name: 'a', attrs: {}, closing: true },
    ])
  })
  it('refuses a tag cut short', () => {
    expect(() => xmlTags('<coverage line-rate="0.5')).toThrow(/unterminated/)
  })
})

describe('parseCoverage', () => {
  it('counts lcov lines from DA records when LF and LH are absent', () => {
    const r = parseCoverage('SF:a.js\nDA:1,1\nDA:2,0\nDA:3,4\nend_of_record\n', 'lcov.info')
    expect(r).toMatchObject({ format: 'lcov', covered: 2, total: 3 })
    expect(r.byFile.get('a.js')).toBeCloseTo(2 / 3)
  })
  it('takes Cobertura’s line-rate when the report has no lines', () => {
    expect(parseCoverage('<coverage line-rate="0.83"><packages/></coverage>', 'c.xml').ratio).toBe(0.83)
  })
  it('names what is wrong, with the file and line', () => {
    expect(() => parseCoverage('SF:a.js\nLF:many\n', 'lcov.info')).toThrow(/lcov\.info:2: LF is not a count/)
    expect(() => parseCoverage('hello world', 'notes.txt')).toThrow(/notes\.txt:1: not an lcov record/)
    expect(() => parseCoverage('<report/>', 'x.xml')).toThrow(/no <coverage> element/)
    expect(() => parseCoverage('{"a": {"b": 1}}', 'x.json')).toThrow(/has no statementMap/)
  })
})

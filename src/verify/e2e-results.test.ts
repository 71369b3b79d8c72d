import { describe, expect, it } from 'vitest'
import { isParityError } from '../model/errors.js'
import { parseJunit, parseSummary, parseSummaryLine, parseTap, parseXml } from './e2e-results.js'

describe('parseJunit', () => {
  it('reads nested suites, failures, errors, skips, entities and CDATA', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE testsuites>
<!-- a <comment> with markup -->
<testsuites>
  <testsuite name="api">
    <testcase classname="items" name="lists &amp; counts"/>
    <testcase classname="items" name="gets one &#x3C;2&#62;"><failure message="x"><![CDATA[expected <beta> </testcase>]]></failure></testcase>
    <testsuite name="nested">
      <testcase name='errors out'><error type="Error">boom</error></testcase>
      <testcase name="later"><skipped message="todo"/></testcase>
    </testsuite>
    <testcase classname="items" name="lists &amp; counts"><system-out>twice</system-out></testcase>
  </testsuite>
</testsuites>`
    expect(parseJunit(xml)).toEqual([
      { name: 'items > lists & counts', status: 'pass' },
      { name: 'items > gets one <2>', status: 'fail' },
      { name: 'nested > errors out', status: 'fail' },
      { name: 'nested > later', status: 'skip' },
      { name: 'items > lists & counts (2)', status: 'pass' },
    ])
  })

  it('accepts a single <testsuite> root', () => {
    expect(parseJunit('<testsuite name="s"><testcase name="a"/></testsuite>')).toEqual([{ name: 's > a', status: 'pass' }])
  })

  it('refuses malformed XML and a foreign root with a ParityError naming the line', () => {
    const errorOf = (xml: string) => {
      try {
        parseJunit(xml)
      } catch (e) {
        return e
      }
      return undefined
    }
    const bad = errorOf('<testsuites>\n<testsuite>\n<testcase name="a">\n</testsuite></testsuites>')
    expect(isParityError(bad) && bad.code).toBe('BAD_JUNIT')
    expect((bad as Error).message).toMatch(/line 4/)
    expect((errorOf('<html><body/></html>') as Error).message).toMatch(/root element is <html>/)
    expect(() => parseXml('<a x=1/>')).toThrow(/malformed attribute/)
    expect(() => parseXml('<a>')).toThrow(/never closed/)
  })
})

describe('parseTap', () => {
  it('reads ok, not ok, SKIP and TODO, and names subtests after their parent', () => {
    const out = [
      'TAP version 13',
      '# Subtest: items',
      '    # Subtest: deep',
      '        ok 1 - leaf',
      '        1..1',
      '    ok 1 - deep',
      '    not ok 2 - gets one',
      '      ---',
      '      ...',
      '    ok 3 - later # SKIP not ready',
      '    1..3',
      'not ok 1 - items',
      'ok 2 - health',
      'not ok 3 - pending # TODO write it',
      'ok 4 - issue \\# 12 works',
      'ok 5',
      '1..5',
      '# pass 3',
    ].join('\n')
    expect(parseTap(out)).toEqual([
      { name: 'items > deep > leaf', status: 'pass' },
      { name: 'items > gets one', status: 'fail' },
      { name: 'items > later', status: 'skip' },
      { name: 'health', status: 'pass' },
      { name: 'pending', status: 'skip' },
      { name: 'issue # 12 works', status: 'pass' },
      { name: 'test 5', status: 'pass' },
    ])
  })

  it('is not fooled by log lines starting with ok when there is no plan or version line', () => {
    expect(parseTap('ok 1 thing done\nok 2 more\n')).toBeUndefined()
    expect(parseTap('\u001b[32mTAP version 13\u001b[0m\r\nok 1 - coloured\r\n')).toEqual([{ name: 'coloured', status: 'pass' }])
  })
})

describe('parseSummary', () => {
  it.each([
    ['5 passed, 1 failed', { passed: 5, failed: 1, skipped: 0 }],
    ['5 passed, 1 failed, 2 skipped', { passed: 5, failed: 1, skipped: 2 }],
    ['      Tests  2 failed | 5 passed | 1 skipped (8)', { passed: 5, failed: 2, skipped: 1 }],
    ['Tests:       1 failed, 1 todo, 3 passed, 5 total', { passed: 3, failed: 1, skipped: 1 }],
    ['========= 1 failed, 3 passed, 1 skipped, 2 warnings in 0.12s =========', { passed: 3, failed: 1, skipped: 1 }],
    ['==== 2 passed, 1 error in 62.00s (0:01:02) ====', { passed: 2, failed: 1, skipped: 0 }],
    ['test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s', { passed: 3, failed: 1, skipped: 0 }],
  ])('reads %s', (line, counts) => {
    expect(parseSummaryLine(line)).toEqual(counts)
  })

  it('ignores lines that only look like tallies', () => {
    for (const line of [
      ' Test Files  1 failed | 1 passed (2)',
      'Test Suites: 1 failed, 1 total',
      'Found 1 error.',
      'fetched 3 items',
      '3 passed the check today',
    ]) {
      expect(parseSummaryLine(line)).toBeUndefined()
    }
  })

  it('takes the last summary, joining consecutive lines (mocha, node:test)', () => {
    expect(parseSummary('1 passed, 0 failed\nlater\n  3 passing (12ms)\n  1 pending\n  2 failing\n\n  1) suite\n     Error')).toEqual({
      passed: 3,
      failed: 2,
      skipped: 1,
    })
    expect(parseSummary('ℹ tests 5\nℹ suites 0\nℹ pass 4\nℹ fail 1\nℹ cancelled 0\nℹ skipped 0\nℹ todo 0\nℹ duration_ms 50.1')).toEqual({
      passed: 4,
      failed: 1,
      skipped: 0,
    })
    expect(parseSummary(' Test Files  1 passed (1)\n      Tests  3 passed (3)\n   Duration  1s')).toEqual({ passed: 3, failed: 0, skipped: 0 })
    expect(parseSummary('no tallies here')).toBeUndefined()
  })
})

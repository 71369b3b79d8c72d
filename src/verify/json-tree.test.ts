import { describe, expect, it } from 'vitest'
import { canonicalNumber, parseJsonTree, toJsonTree, toPlain } from './json-tree.js'

describe('json tree', () => {
  it('keeps number text and key order', () => {
    const t = parseJsonTree('{"b":1.0,"a":[1,2],"10":null}')
    expect(t).toMatchObject({ kind: 'obj', keys: ['b', 'a', '10'] })
    expect(toPlain(t!)).toEqual({ b: 1, a: [1, 2], 10: null })
    expect(parseJsonTree('{"a":1,}')).toBeUndefined()
    expect(parseJsonTree('nope')).toBeUndefined()
    expect(parseJsonTree('"a\\n\\u0041"')).toBe('a\nA')
  })
  it('numbers: the longest valid prefix is the number, anything after it is an error', () => {
    expect(parseJsonTree('[-0,1.5e+3,1E2,12345678901234567890]')).toEqual([
      { kind: 'num', raw: '-0' },
      { kind: 'num', raw: '1.5e+3' },
      { kind: 'num', raw: '1E2' },
      { kind: 'num', raw: '12345678901234567890' },
    ])
    for (const bad of ['01', '1.', '1e', '1e+', '-', '.5', '+1', '[1 2]', 'tru', 'nul', '{"a" 1}']) expect(parseJsonTree(bad)).toBeUndefined()
  })
  it('escaped strings anywhere in a long text; a repeated key keeps its first position and last value', () => {
    const text = JSON.stringify({ a: 'x'.repeat(50), b: 'q"r', c: ['s', 't\\u', 'v'], d: 'w' })
    expect(toPlain(parseJsonTree(text)!)).toEqual(JSON.parse(text))
    expect(parseJsonTree('{"k":1,"j":2,"k":3}')).toMatchObject({ keys: ['k', 'j'] })
    expect(toPlain(parseJsonTree('{"k":1,"j":2,"k":3}')!)).toEqual({ k: 3, j: 2 })
  })
  it('canonical numbers are exact', () => {
    expect(canonicalNumber('1')).toBe(canonicalNumber('1.0'))
    expect(canonicalNumber('10')).toBe(canonicalNumber('1e1'))
    expect(canonicalNumber('0.0')).toBe(canonicalNumber('-0'))
    expect(canonicalNumber('12345678901234567890')).not.toBe(canonicalNumber('12345678901234567891'))
  })
  it('the tree of a plain value is the tree of its JSON text', () => {
    const value = { b: 1.5, a: [1, 'x', null, true], 10: { n: 2 ** 60 }, gone: undefined, when: new Date(0), big: 12n }
    const { gone: _gone, big: _big, ...rest } = value
    expect(toJsonTree(rest)).toEqual(parseJsonTree(JSON.stringify(rest)))
    expect(toJsonTree(value)).toMatchObject({ kind: 'obj', keys: ['10', 'b', 'a', 'when', 'big'] })
    expect(toJsonTree([undefined, Number.NaN, () => 1])).toEqual([null, null, null])
    expect(toJsonTree(12n)).toEqual({ kind: 'num', raw: '12' })
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(() => toJsonTree(cycle)).toThrow(RangeError)
  })
})

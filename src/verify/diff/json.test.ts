import { describe, expect, it } from 'vitest'
import type { IgnoreRule, ReplayedExchange, TargetResponse } from '../../model/exchange.js'
import { compareExchange } from '../exchange-diff.js'
import { diffJson } from './json.js'

const answer = (value: unknown): TargetResponse => {
  const text = JSON.stringify(value)
  return { status: 200, headers: [['content-type', 'application/json']], body: { text, size: Buffer.byteLength(text) }, durationMs: 1 }
}
/** The same two values as the bodies of one exchange, for the verdict `diffJson` must agree with. */
const asExchange = (route: string, b: unknown, c: unknown, rules: IgnoreRule[] = []) => {
  const request = { method: 'POST', url: '/x', headers: [] }
  const x: ReplayedExchange = {
    exchange: { id: '1', session: 's', seq: 0, request },
    sent: { baseline: request, candidate: request },
    baseline: answer(b),
    candidate: answer(c),
  }
  const { outcome: _outcome, ...verdict } = compareExchange(x, rules, { route })
  return verdict
}

describe('diffJson', () => {
  it('finds what a JSON body diff finds, with the same pointers, kinds and values', () => {
    const b = { id: 1, name: 'a', tags: ['x', 'y'], price: 10, meta: { n: 1 }, t: [{ a: 1 }, { a: 2 }], gone: null }
    const c = { meta: { n: 1.5 }, id: 1, name: 2, tags: ['x', 'z'], extra: true, t: [{ a: 2 }, { a: 1 }] }
    const d = diffJson(b, c)
    expect(d).toEqual({
      differences: [
        { where: 'body', pointer: '/name', kind: 'type', baseline: 'a', candidate: 2 },
        { where: 'body', pointer: '/tags/1', kind: 'value', baseline: 'y', candidate: 'z' },
        { where: 'body', pointer: '/price', kind: 'missing', baseline: 10, candidate: undefined },
        { where: 'body', pointer: '/meta/n', kind: 'value', baseline: 1, candidate: 1.5 },
        { where: 'body', pointer: '/t', kind: 'order', baseline: [{ a: 1 }, { a: 2 }], candidate: [{ a: 2 }, { a: 1 }] },
        { where: 'body', pointer: '/extra', kind: 'extra', baseline: undefined, candidate: true },
      ],
      normalized: ['key-order', 'null-vs-absent'],
      ignored: [],
    })
    expect(d).toEqual(asExchange('*', b, c))
    expect(diffJson(b, b)).toEqual({ differences: [], normalized: [], ignored: [] })
  })
  it('detectors, normalisers and the rules of the route', () => {
    const b = { id: 'a3bb189e-8bf9-3888-9912-ace4e6543002', at: '2024-05-01T10:00:00Z', items: [{ nonce: 'p' }], k: 1 }
    const c = { id: '0f8fad5b-d9cb-469f-a165-70867728950e', at: '2024-05-01T12:00:00+02:00', items: [{ nonce: 'q' }], k: 1 }
    const rules: IgnoreRule[] = [{ route: 'tool t', where: 'body', pointer: '/items/*/nonce', reason: 'x' }]
    expect(diffJson(b, c, { rules, route: 'tool t' })).toEqual({ differences: [], normalized: ['timestamp'], ignored: ['/id', '/items/0/nonce'] })
    expect(diffJson(b, c, { rules, route: 'tool t' })).toEqual(asExchange('tool t', b, c, rules))
    // Another route's rules, or none without a route: the nonce differs.
    expect(diffJson(b, c, { rules, route: 'tool u' }).differences.map((x) => x.pointer)).toEqual(['/items/0/nonce'])
    expect(diffJson(b, c, { rules }).differences.map((x) => x.pointer)).toEqual(['/items/0/nonce'])
    const off = diffJson(b, c, { detectors: false, normalizers: { timestamp: false } })
    expect(off.differences.map((x) => x.pointer)).toEqual(['/id', '/at', '/items/0/nonce'])
  })
})

import { describe, expect, it } from 'vitest'
import { answer, rx } from '../../test/support/replayed.js'
import type { Headers, IgnoreRule, TargetResponse } from '../model/exchange.js'
import { inferRouteKey } from '../model/route-infer.js'
import { compareExchange } from './exchange-diff.js'
import { learnJsonNoise, learnNoise, unusedRules } from './noise.js'

describe('noise', () => {
  it('learnNoise: a rule learned on a secret field never holds its values in its reason', () => {
    const mk = (secret: string) => answer(JSON.stringify({ secret, issuer: 'shop' }), 200, [['content-type', 'application/json']])
    const rules = learnNoise([rx('/api/2fa/setup', mk('4TD2PKSRPIR7FXIHUNIQ4LJ2ZZEB'), mk('PNBG2T2LRO3YLCHZCGDGETEI4TOD'), mk('x'))], inferRouteKey)
    const rule = rules.find((r) => r.pointer === '/secret')
    expect(rule).toBeDefined()
    expect(rule!.reason).not.toMatch(/4TD2PKSR|PNBG2T2L/)
    expect(rule!.reason).toContain('[redacted]')
  })

  it('learnNoise: fields and headers that differ between two baseline answers, aggregated per route with * for indices', () => {
    const mk = (n: number, seed: string) =>
      answer(
        JSON.stringify({
          items: [
            { id: n, nonce: `${seed}a` },
            { id: n + 1, nonce: `${seed}b` },
          ],
          count: 2,
        }),
        200,
        [
          ['content-type', 'application/json'],
          ['x-served-by', seed],
        ],
      )
    const replayed = [
      rx('/api/list/1', mk(1, 'p'), mk(1, 'q'), mk(1, 'r')),
      rx('/api/list/2', mk(1, 's'), mk(1, 's'), mk(1, 't')),
      rx('/api/other', mk(1, 'p'), mk(1, 'p')),
    ]
    const rules = learnNoise(replayed, inferRouteKey)
    expect(rules).toEqual([
      { route: 'GET /api/list/{}', where: 'body', pointer: '/items/*/nonce', reason: 'differs between two baseline answers: "pa" vs "ra"', evidence: 2 },
      { route: 'GET /api/list/{}', where: 'header', pointer: 'x-served-by', reason: 'differs between two baseline answers: "p" vs "r"', evidence: 2 },
    ])
    const v = compareExchange(replayed[0]!, rules)
    expect(v).toMatchObject({ outcome: 'equal', ignored: ['/items/0/nonce', '/items/1/nonce', 'header:x-served-by'] })
    // The same rules do not apply to another route.
    expect(compareExchange(rx('/api/other', mk(1, 'p'), mk(1, 'q')), rules).outcome).toBe('different')
  })
  it('learnNoise: a cookie value or a correlated id in Location is not noise; escaped pointers', () => {
    const h = (sid: string, loc: string): TargetResponse =>
      answer(`{"a/b":{"~k":"${sid}"}}`, 201, [
        ['content-type', 'application/json'],
        ['set-cookie', `sid=${sid}; HttpOnly`],
        ['location', loc],
      ])
    const rules = learnNoise(
      [rx('/api/things', h('one', '/api/things/1'), h('two', '/api/things/9'), h('three', '/api/things/2'), 'POST')],
      () => 'POST /api/things',
    )
    expect(rules.map((r) => `${r.where} ${r.pointer}`)).toEqual(['body /a~1b/~0k'])
  })
  it('learnNoise: other headers by name in any case, values joined in order; an empty value is an absent one', () => {
    const h = (headers: Headers): TargetResponse => answer('{}', 200, [['content-type', 'application/json'], ...headers])
    const rules = learnNoise(
      [
        rx(
          '/a',
          h([
            ['X-Node', 'a'],
            ['x-node', 'b'],
            ['x-empty', ''],
            ['x-gone', '1'],
          ]),
          h([]),
          h([
            ['x-node', 'a, b'],
            ['x-new', '2'],
          ]),
        ),
        rx('/a', h([['x-node', 'b']]), h([]), h([['X-NODE', 'c']])),
      ],
      () => 'GET /a',
    )
    expect(rules.map((r) => `${r.pointer} ${r.evidence} ${r.reason.replace('differs between two baseline answers: ', '')}`)).toEqual([
      'x-gone 1 "1" vs absent',
      'x-new 1 absent vs "2"',
      'x-node 1 "b" vs "c"',
    ])
  })
  it('learnNoise: a Link that differs only by the port of each baseline instance is no noise; Date and request ids give no rule', () => {
    const mk = (port: number, id: string) =>
      answer('{}', 200, [
        ['link', `<http://127.0.0.1:${port}/a?page=2>; rel="next"`],
        ['date', `Mon, 01 Jan 2025 10:00:0${port % 10} GMT`],
        ['x-request-id', id],
      ])
    const replayed = [rx('/a', mk(4001, 'r1'), mk(4003, 'r3'), mk(4002, 'r2'))]
    expect(learnNoise(replayed, () => 'GET /a', { baseline: 'http://127.0.0.1:4001', baseline2: 'http://127.0.0.1:4002' })).toEqual([])
    // Without the instances' origins the port is a difference, learned as noise.
    expect(learnNoise(replayed, () => 'GET /a').map((r) => r.pointer)).toEqual(['link'])
  })
  it('unusedRules', () => {
    const rules: IgnoreRule[] = [
      { route: '*', where: 'body', pointer: '/items/*/id', reason: 'a' },
      { route: '*', where: 'body', pointer: '/itemz/*/id', reason: 'typo' },
      { route: 'GET /x', where: 'body', pointer: '/items', reason: 'other route' },
      { route: '*', where: 'header', pointer: 'x-request-id', reason: 'b' },
      { route: '*', where: 'header', pointer: 'x-nothing', reason: 'c' },
    ]
    const x = rx('/a', answer('{"items":[{"id":1}]}', 200, [['x-request-id', '1']]), answer('{"items":[]}'))
    expect(unusedRules(rules, [x]).map((r) => r.reason)).toEqual(['typo', 'other route', 'c'])
  })
})

describe('learnJsonNoise', () => {
  it('proposes the body rules learnNoise proposes for the same values as JSON bodies', () => {
    const v = (seed: string) => ({
      content: [
        { type: 'text', text: { id: seed, n: 1 } },
        { type: 'text', text: { id: `${seed}2`, n: 1 } },
      ],
      isError: false,
    })
    const samples = [
      { route: 'tool a', first: v('p'), second: v('q') },
      { route: 'tool a', first: v('r'), second: v('s') },
      { route: 'tool b', first: v('p'), second: v('p') },
    ]
    const rules = learnJsonNoise(samples)
    expect(rules).toEqual([
      { route: 'tool a', where: 'body', pointer: '/content/*/text/id', reason: 'differs between two baseline answers: "p" vs "q"', evidence: 2 },
    ])
    const json = (value: unknown): TargetResponse => answer(JSON.stringify(value))
    expect(
      learnNoise(
        samples.map((s) => rx(s.route, json(s.first), json(s.first), json(s.second))),
        (x) => x.request.url,
      ),
    ).toEqual(rules)
  })
})

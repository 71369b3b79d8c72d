import { describe, expect, it } from 'vitest'
import { systemInventory } from '../../test/support/inventories.js'
import { answer, rx } from '../../test/support/replayed.js'
import { diffSystems } from '../match/diff.js'
import { canonicalKey } from '../match/rules.js'
import type { Item } from '../model/inventory.js'
import { RUN_SCHEMA, type RunResult } from '../model/run.js'
import { applyRouteEvidence, routeEvidence } from './evidence.js'
import { compareExchange } from './exchange-diff.js'

const route = (method: string, path: string): Item => ({
  kind: 'route',
  method,
  path,
  key: canonicalKey(`${method} ${path}`),
  framework: 'x',
  component: 'api',
  source: { file: 'a.ts', line: 1 },
})
const sys = systemInventory

it('turns ported routes into verified or divergent by their evidence, and recomputes the figures', () => {
  const base = [route('GET', '/a/{id}'), route('POST', '/a'), route('GET', '/b'), route('GET', '/c')]
  const run: RunResult = {
    schema: RUN_SCHEMA,
    tool: { name: 'parity', version: '0' },
    startedAt: '',
    ...diffSystems(sys('old', 'baseline', base), [sys('new', 'candidate', base.slice(0, 3))]),
  }
  const evidence = applyRouteEvidence(
    run,
    [
      { method: 'GET', path: '/a/{id}', key: 'GET /a/{}', status: 'verified', exchanges: 3, differences: [] },
      {
        method: 'POST',
        path: '/a',
        key: 'POST /a',
        status: 'divergent',
        exchanges: 1,
        differences: [{ where: 'status', pointer: '', kind: 'value', baseline: 201, candidate: 200 }],
      },
      { method: 'GET', path: '/c', key: 'GET /c', status: 'verified', exchanges: 1, differences: [] }, // missing stays missing
    ],
    'new',
  )
  expect(evidence.pairs.map((p) => `${p.key} ${p.status}`).sort()).toEqual(['GET /a/{} verified', 'GET /b ported', 'GET /c missing', 'POST /a divergent'])
  expect(evidence.summary).toMatchObject({ ported: 1, verified: 1, divergent: 1, missing: 1, total: 4, percent: 75 })
  expect(evidence.routes).toHaveLength(3)
  expect(run.pairs.find((p) => p.key === 'POST /a')?.status).toBe('ported') // the input is not changed
})

it('says which replayed routes match no baseline route, instead of dropping their evidence', () => {
  const base = [route('GET', '/a')]
  const run: RunResult = {
    schema: RUN_SCHEMA,
    tool: { name: 'parity', version: '0' },
    startedAt: '',
    ...diffSystems(sys('old', 'baseline', base), [sys('new', 'candidate', base)]),
  }
  const evidence = applyRouteEvidence(
    run,
    [
      { method: 'GET', path: '/a', key: 'GET /a', status: 'verified', exchanges: 1, differences: [] },
      { method: 'GET', path: '/legacy/{id}', key: 'GET /legacy/{}', status: 'verified', exchanges: 2, differences: [] },
    ],
    'new',
  )
  const d = evidence.diagnostics.find((x) => x.code === 'REPLAY_UNMATCHED')
  expect(d?.message).toContain('GET /legacy/{}')
  expect(
    applyRouteEvidence(run, [{ method: 'GET', path: '/a', key: 'GET /a', status: 'verified', exchanges: 1, differences: [] }], 'new').diagnostics.some(
      (x) => x.code === 'REPLAY_UNMATCHED',
    ),
  ).toBe(false)
})

describe('routeEvidence', () => {
  it('joins exchanges to the most literal inventory template; statuses; unexercised', () => {
    const inventory = [
      { method: 'GET', path: '/api/bookmarks/{id}', key: 'GET /api/bookmarks/{}' },
      { method: 'GET', path: '/api/bookmarks/recent', key: 'GET /api/bookmarks/recent' },
      { method: 'DELETE', path: '/api/bookmarks/{id}', key: 'DELETE /api/bookmarks/{}' },
      { method: 'GET', path: '/api/tags', key: 'GET /api/tags' },
    ]
    const replayed = [
      rx('/api/bookmarks/1', answer('{"a":1}'), answer('{"a":1}')),
      rx('/api/bookmarks/2', answer('{"a":1,"b":"long"}'), answer('{"a":2,"b":"long"}')),
      rx('/api/bookmarks/3', answer('{"a":1}'), answer('{"a":2}')),
      rx('/api/bookmarks/recent', answer('[]'), answer('[]')),
      rx('/api/bookmarks/9', answer('{}', 404), answer('{}', 404), undefined, 'DELETE'),
      rx('/api/users/7', answer('{}'), answer('{}')),
    ]
    const verdicts = replayed.map((x) => compareExchange(x, []))
    const routes = routeEvidence(replayed, verdicts, inventory)
    expect(routes.map((r) => [r.key, r.status, r.exchanges])).toEqual([
      ['DELETE /api/bookmarks/{}', 'unproven', 1],
      ['GET /api/bookmarks/{}', 'divergent', 3],
      ['GET /api/bookmarks/recent', 'verified', 1],
      ['GET /api/tags', 'unexercised', 0],
      ['GET /api/users/{}', 'verified', 1],
    ])
    const divergent = routes[1]!
    expect(divergent.differences).toEqual([{ where: 'body', pointer: '/a', kind: 'value', baseline: 1, candidate: 2 }])
    expect(divergent.example?.request.url).toBe('/api/bookmarks/3')
    expect(routes[4]!.path).toBe('/api/users/{id}')
  })
  it('without an inventory, templates are inferred', () => {
    const replayed = [rx('/api/x/1', answer('1'), answer('1')), rx('/api/x/2', answer('1'), answer('2'))]
    const routes = routeEvidence(
      replayed,
      replayed.map((x) => compareExchange(x, [])),
    )
    expect(routes).toMatchObject([{ method: 'GET', path: '/api/x/{id}', key: 'GET /api/x/{}', status: 'divergent', exchanges: 2 }])
    expect(() => routeEvidence(replayed, [])).toThrow(/verdicts/)
  })
})

import { expect, it } from 'vitest'
import { diffSystems, type SystemInventory } from '../match/diff.js'
import { canonicalKey } from '../match/rules.js'
import type { Item } from '../model/inventory.js'
import { RUN_SCHEMA, type RunResult } from '../model/run.js'
import { applyRouteEvidence } from './evidence.js'

const route = (method: string, path: string): Item => ({
  kind: 'route', method, path, key: canonicalKey(`${method} ${path}`), framework: 'x', component: 'api', source: { file: 'a.ts', line: 1 },
})
const sys = (name: string, role: 'baseline' | 'candidate', items: Item[]): SystemInventory => ({
  name, role, source: name, sourceKind: 'tree',
  inventory: { schema: 'parity.inventory/v1', root: '.', frameworks: [], items, diagnostics: [], stats: { files: 1, parsed: 1, lines: 1, skipped: {} } },
})

it('turns ported routes into verified or divergent by their evidence, and recomputes the figures', () => {
  const base = [route('GET', '/a/{id}'), route('POST', '/a'), route('GET', '/b'), route('GET', '/c')]
  const run: RunResult = {
    schema: RUN_SCHEMA, tool: { name: 'parity', version: '0' }, startedAt: '',
    ...diffSystems(sys('old', 'baseline', base), [sys('new', 'candidate', base.slice(0, 3))]),
  }
  const evidence = applyRouteEvidence(run, [
    { method: 'GET', path: '/a/{id}', key: 'GET /a/{}', status: 'verified', exchanges: 3, differences: [] },
    { method: 'POST', path: '/a', key: 'POST /a', status: 'divergent', exchanges: 1, differences: [{ where: 'status', pointer: '', kind: 'value', baseline: 201, candidate: 200 }] },
    { method: 'GET', path: '/c', key: 'GET /c', status: 'verified', exchanges: 1, differences: [] }, // missing stays missing
  ], 'new')
  expect(evidence.pairs.map((p) => `${p.key} ${p.status}`).sort()).toEqual(['GET /a/{} verified', 'GET /b ported', 'GET /c missing', 'POST /a divergent'])
  expect(evidence.summary).toMatchObject({ ported: 1, verified: 1, divergent: 1, missing: 1, total: 4, percent: 75 })
  expect(evidence.routes).toHaveLength(3)
  expect(run.pairs.find((p) => p.key === 'POST /a')?.status).toBe('ported') // the input is not changed
})

it('says which replayed routes match no baseline route, instead of dropping their evidence', () => {
  const base = [route('GET', '/a')]
  const run: RunResult = {
    schema: RUN_SCHEMA, tool: { name: 'parity', version: '0' }, startedAt: '',
    ...diffSystems(sys('old', 'baseline', base), [sys('new', 'candidate', base)]),
  }
  const evidence = applyRouteEvidence(run, [
    { method: 'GET', path: '/a', key: 'GET /a', status: 'verified', exchanges: 1, differences: [] },
    { method: 'GET', path: '/legacy/{id}', key: 'GET /legacy/{}', status: 'verified', exchanges: 2, differences: [] },
  ], 'new')
  const d = evidence.diagnostics.find((x) => x.code === 'REPLAY_UNMATCHED')
  expect(d?.message).toContain('GET /legacy/{}')
  expect(applyRouteEvidence(run, [{ method: 'GET', path: '/a', key: 'GET /a', status: 'verified', exchanges: 1, differences: [] }], 'new').diagnostics.some((x) => x.code === 'REPLAY_UNMATCHED')).toBe(false)
})

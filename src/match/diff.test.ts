import { expect, it } from 'vitest'
import { systemInventory } from '../../test/support/inventories.js'
import type { EndpointItem } from '../model/inventory.js'
import { diffSystems } from './diff.js'

const route = (path: string, file: string, method = 'GET'): EndpointItem => ({
  kind: 'route',
  method,
  path,
  key: `${method} ${path.replace(/:\w+/g, '{}')}`,
  framework: 'express',
  component: file.split('/')[0]!,
  source: { file, line: 1 },
})

it('pairs by key one to one: one candidate `GET /health` ports one baseline `GET /health`, not every one', () => {
  const base = systemInventory('ts', 'baseline', [
    route('/health', 'auth/main.ts'),
    route('/health', 'files/main.ts'),
    route('/health', 'search/main.ts'),
    route('/files', 'files/main.ts'),
  ])
  const cand = systemInventory('go', 'candidate', [route('/health', 'go-files/main.go'), route('/files', 'go-files/main.go')])
  const result = diffSystems(base, [cand])
  const health = result.pairs.filter((p) => p.key === 'GET /health')
  expect(health.map((p) => p.status).sort()).toEqual(['missing', 'missing', 'ported'])
  expect(result.summary.ported).toBe(2)
  expect(result.summary.missing).toBe(2)
  // Two candidate `/health` handlers port two.
  const two = diffSystems(base, [systemInventory('go', 'candidate', [route('/health', 'a/main.go'), route('/health', 'b/main.go')])])
  expect(two.pairs.filter((p) => p.key === 'GET /health' && p.status === 'ported')).toHaveLength(2)
  expect(new Set(two.pairs.filter((p) => p.status === 'ported').map((p) => p.candidate?.source.file)).size).toBe(2)
})

it('lets one candidate handler of every method port each method of its path', () => {
  const base = systemInventory('ts', 'baseline', [route('/items', 'a.ts', 'GET'), route('/items', 'a.ts', 'POST')])
  const cand = systemInventory('go', 'candidate', [route('/items', 'a.go', 'ALL')])
  const result = diffSystems(base, [cand])
  expect(result.pairs.filter((p) => p.baseline).map((p) => `${p.key} ${p.status}`)).toEqual(['GET /items ported', 'POST /items ported'])
})

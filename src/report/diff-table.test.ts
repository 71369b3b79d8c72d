import { describe, expect, it } from 'vitest'
import { systemInventory } from '../../test/support/inventories.js'
import { diffSystems } from '../match/diff.js'
import { canonicalKey } from '../match/rules.js'
import type { Item } from '../model/inventory.js'
import { RUN_SCHEMA, type RunResult } from '../model/run.js'
import { renderDiffTable } from './diff-table.js'

const route = (method: string, path: string): Item => ({
  kind: 'route',
  method,
  path,
  key: canonicalKey(`${method} ${path}`),
  framework: 'x',
  component: 'api',
  source: { file: 'src/app.ts', line: 3 },
})
const sys = systemInventory

const routes = [route('GET', '/api/tags'), route('POST', '/api/tags'), route('DELETE', '/api/tags/{id}')]

/** A run where replay proved `GET /api/tags` in the named candidates (what the replay stage does to the pairs). */
function runWith(candidates: string[], verifiedIn: string[]): RunResult {
  const run: RunResult = {
    schema: RUN_SCHEMA,
    tool: { name: 'parity', version: '0' },
    startedAt: '2026-01-01T00:00:00Z',
    ...diffSystems(
      sys('express', 'baseline', routes),
      candidates.map((c) => sys(c, 'candidate', routes.slice(0, 2))),
    ),
  }
  const pair = run.pairs.find((p) => p.key === 'GET /api/tags')!
  if (verifiedIn.includes(pair.candidateSystem)) pair.status = 'verified'
  for (const c of verifiedIn) if (pair.matrix?.[c]) pair.matrix[c].status = 'verified'
  return run
}

const itemLines = (table: string) => table.split('\n').filter((l) => /^ {2}\S( \S)* (GET|POST|DELETE) /.test(l))

describe('renderDiffTable', () => {
  it('marks a verified pair with a heavy check, apart from a merely ported one', () => {
    const lines = itemLines(renderDiffTable(runWith(['fastify'], ['fastify'])))
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['  ✔ ', '  ✓ ', '  ✗ '])
    // The labels start in the same column whatever the mark.
    expect(new Set(lines.map((l) => l.indexOf('/api/tags'))).size).toBe(1)
  })

  it('keeps the columns of several candidates aligned when one is verified and the other ported', () => {
    const lines = itemLines(renderDiffTable(runWith(['fastify', 'axum'], ['axum'])))
    expect(lines.map((l) => l.slice(0, 6))).toEqual(['  ✓ ✔ ', '  ✓ ✓ ', '  ✗ ✗ '])
    expect(new Set(lines.map((l) => l.indexOf('/api/tags'))).size).toBe(1)
  })
})

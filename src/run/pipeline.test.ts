import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { loadConfig } from '../config/load.js'
import { plannedStages } from './pipeline.js'
import { STAGES } from './stages.js'

const tmp = mkdtempSync(join(tmpdir(), 'parity-pipeline-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function config(yaml: string) {
  const file = join(tmp, `${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(file, yaml)
  return loadConfig(file)
}

const ids = (stages: Array<{ id: string }>) => stages.map((s) => s.id)

it('runs every enabled stage in the list order for `parity run`', async () => {
  const c = await config(`systems:
  - { name: old, role: baseline, source: ., run: { command: node a.js } }
  - { name: new, role: candidate, source: ., url: "http://127.0.0.1:1" }
replay: { corpus: ./traffic.har }
bench: {}
`)
  expect(ids(plannedStages(c))).toEqual(['scan', 'runtime', 'replay', 'bench', 'plan', 'features', 'status', 'git'])
})

it('adds to a named stage the enabled stages it needs, and nothing else', async () => {
  const c = await config(`systems:
  - { name: old, role: baseline, source: ., run: { command: node a.js } }
  - { name: new, role: candidate, source: ., url: "http://127.0.0.1:1" }
replay: { corpus: ./traffic.har }
`)
  // The route tap runs before the replay when the config enables it: the replay joins its routes.
  expect(ids(plannedStages(c, ['replay']))).toEqual(['scan', 'runtime', 'replay'])
  expect(ids(plannedStages(c, ['plan']))).toEqual(['scan', 'plan'])
  const tapOff = await config(`systems:
  - { name: old, role: baseline, source: ., run: { command: node a.js, tap: false } }
  - { name: new, role: candidate, source: . }
`)
  expect(ids(plannedStages(tapOff, ['replay']))).toEqual(['scan', 'replay'])
  // A stage named by its command runs even when the config leaves it out (its own diagnostic says why).
  expect(ids(plannedStages(tapOff, ['mcp']))).toEqual(['scan', 'mcp'])
})

it('lists each stage once, and a stage needs only stages before it', () => {
  const seen = new Set<string>()
  for (const stage of STAGES) {
    expect(seen.has(stage.id)).toBe(false)
    for (const need of stage.needs ?? []) expect(seen.has(need), `${stage.id} needs ${need}`).toBe(true)
    seen.add(stage.id)
  }
})

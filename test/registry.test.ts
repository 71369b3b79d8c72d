import { spawnSync } from 'node:child_process'
import { expect, it } from 'vitest'

it('the extractor registry is generated from the folders, not edited by hand', () => {
  const script = new URL('../scripts/gen-registry.mjs', import.meta.url).pathname
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
})

it('the derived JSON Schemas (config, RunResult) are up to date', () => {
  const script = new URL('../scripts/gen-schemas.ts', import.meta.url).pathname
  const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname
  const r = spawnSync(tsx, [script, '--check'], { encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
})

it('the config reference (docs/config.md) is generated from the schema', () => {
  const script = new URL('../scripts/gen-config-docs.mjs', import.meta.url).pathname
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
})

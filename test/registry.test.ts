import { spawnSync } from 'node:child_process'
import { expect, it } from 'vitest'

it('the extractor registry is generated from the folders, not edited by hand', () => {
  const script = new URL('../scripts/gen-registry.mjs', import.meta.url).pathname
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
})

/** `parity e2e` spawned from the built CLI, the way CI runs it, against two real servers. */
import { execFile } from 'node:child_process'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { itemsApi } from './support/items-api.js'

const repo = new URL('..', import.meta.url).pathname
const servers: Server[] = []
const urls: Record<'baseline' | 'candidate', string> = { baseline: '', candidate: '' }

beforeAll(async () => {
  urls.baseline = await itemsApi('baseline', servers)
  urls.candidate = await itemsApi('candidate', servers)
})
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))))

it('runs the old suite against both sides and exits 1 on the regression', async () => {
  const run = promisify(execFile)
  const args = [
    join(repo, 'bin/parity.js'),
    'e2e',
    '--baseline',
    urls.baseline,
    '--candidate',
    urls.candidate,
    '--format',
    'json',
    '--',
    process.execPath,
    join(repo, 'fixtures/e2e/tap.mjs'),
  ]
  const err = await run(process.execPath, args, { env: { ...process.env, CI: 'true' } }).then(
    () => undefined,
    (e: { code: number; stdout: string }) => e,
  )
  expect(err?.code).toBe(1)
  const out = JSON.parse(err!.stdout) as { tests: Array<{ name: string; baseline: string; candidate: string }> }
  const regressions = out.tests.filter((t) => t.baseline === 'pass' && t.candidate === 'fail').map((t) => t.name)
  expect(regressions).toEqual([expect.stringContaining('gets one item by id')])
})

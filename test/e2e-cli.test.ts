/** `parity e2e` spawned from the built CLI, the way CI runs it, against two real servers. */
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'

const repo = new URL('..', import.meta.url).pathname
const servers: Server[] = []
const urls: Record<'baseline' | 'candidate', string> = { baseline: '', candidate: '' }

function itemsApi(side: 'baseline' | 'candidate'): Promise<string> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.url === '/api/items') return send(200, [{ id: 1 }, { id: 2 }, { id: 3 }])
    if (req.url === '/api/items/2') return send(200, { id: 2, name: side === 'baseline' ? 'beta' : 'Beta' })
    if (req.url === '/health') return send(200, { status: 'ok' })
    send(404, { error: 'not found' })
  })
  servers.push(server)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)))
}

beforeAll(async () => {
  urls.baseline = await itemsApi('baseline')
  urls.candidate = await itemsApi('candidate')
})
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))))

it('runs the old suite against both sides and exits 1 on the regression', async () => {
  const run = promisify(execFile)
  const args = [join(repo, 'bin/parity.js'), 'e2e', '--baseline', urls.baseline, '--candidate', urls.candidate, '--format', 'json', '--', process.execPath, join(repo, 'fixtures/e2e/tap.mjs')]
  const err = await run(process.execPath, args, { env: { ...process.env, CI: 'true' } }).then(() => undefined, (e: { code: number; stdout: string }) => e)
  expect(err?.code).toBe(1)
  const out = JSON.parse(err!.stdout) as { tests: Array<{ name: string; baseline: string; candidate: string }> }
  const regressions = out.tests.filter((t) => t.baseline === 'pass' && t.candidate === 'fail').map((t) => t.name)
  expect(regressions).toEqual([expect.stringContaining('gets one item by id')])
})

import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { toK6Script } from '../src/bench/k6.js'

const dir = mkdtempSync(join(tmpdir(), 'parity-k6-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const IMPORT = "import http from 'k6/http'"
/** The script with k6's module swapped for a recorder, as a module we can load. */
async function load(script: string, name: string) {
  expect(script).toContain(IMPORT)
  const file = join(dir, `${name}.mjs`)
  writeFileSync(file, script.replace(IMPORT, 'const calls = []; const http = { request: (...a) => calls.push(a) }; export { calls }'))
  execFileSync(process.execPath, ['--check', file])
  // biome-ignore lint/suspicious/noExplicitAny: k6's options object, read by path in the assertions
  return (await import(pathToFileURL(file).href)) as { options: any; calls: unknown[][]; default: () => void }
}

describe('toK6Script', () => {
  it('writes a closed-model scenario with the gates as thresholds', async () => {
    const script = toK6Script({
      url: 'http://127.0.0.1:3000/api',
      requests: [
        { method: 'GET', path: '/items', weight: 2 },
        { method: 'post', path: '/items', body: '{"a":1}', headers: [['content-type', 'application/json']] },
      ],
      connections: 20,
      durationMs: 15_000,
      thresholds: { p95Ms: 100, p99Ms: 250, errorRate: 0.01, rps: 500 },
    })
    expect(script).toContain('"p(95)<100"')
    const m = await load(script, 'closed')
    expect(m.options.scenarios.parity).toEqual({ executor: 'constant-vus', vus: 20, duration: '15s' })
    expect(m.options.thresholds).toEqual({ http_req_duration: ['p(95)<100', 'p(99)<250'], http_req_failed: ['rate<0.01'], http_reqs: ['rate>=500'] })
    // Run the default function as three iterations of VU 1 would: the mix is 2 GET to 1 POST.
    const g = globalThis as Record<string, unknown>
    for (let iter = 0; iter < 3; iter++) {
      g.__VU = 1
      g.__ITER = iter
      m.default()
    }
    delete g.__VU
    delete g.__ITER
    expect(m.calls).toHaveLength(3)
    const methods = m.calls.map((c) => c[0])
    expect(methods.filter((x) => x === 'GET')).toHaveLength(2)
    const post = m.calls.find((c) => c[0] === 'POST')!
    expect(post).toEqual(['POST', 'http://127.0.0.1:3000/api/items', '{"a":1}', { headers: { 'content-type': 'application/json' } }])
  })

  it('writes an open-model scenario at the rate asked, without thresholds when none are given', async () => {
    const script = toK6Script({ url: 'http://localhost:8080', requests: [{ method: 'GET', path: '/' }], connections: 10, durationMs: 5500, rate: 300 })
    const m = await load(script, 'open')
    expect(m.options.scenarios.parity).toMatchObject({ executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '6s', preAllocatedVUs: 10 })
    expect(m.options.thresholds).toBeUndefined()
  })

  it('keeps hostile strings inert', async () => {
    const script = toK6Script({
      url: 'http://127.0.0.1:1',
      requests: [{ method: 'GET', path: "/x'`${process.exit(9)}`\n//" }],
      connections: 1,
      durationMs: 1000,
    })
    const m = await load(script, 'inert')
    ;(globalThis as Record<string, unknown>).__VU = 1
    ;(globalThis as Record<string, unknown>).__ITER = 0
    m.default()
    expect(m.calls[0]![1]).toBe("http://127.0.0.1:1/x'`${process.exit(9)}`\n//")
  })
})

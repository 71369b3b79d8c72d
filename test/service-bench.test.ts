/**
 * req/s and RSS per service in the service table: a real bench (two HTTP servers on 127.0.0.1, the
 * platform fixture's diff) whose scenarios hit one service each. The figures land on the service's
 * row and its port; RSS only where a system is that one service.
 */
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { attachServiceBench } from '../src/assess/service-bench.js'
import { runBench } from '../src/bench/runner.js'
import { loadConfig } from '../src/config/load.js'
import { diffConfig } from '../src/match/diff-run.js'
import type { RunResult } from '../src/model/run.js'
import { serviceTableRows } from '../src/model/service-table.js'

const dir = new URL('../fixtures/monorepos/platform/', import.meta.url).pathname
const servers: Server[] = []
const urls: string[] = []

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const server = createServer((_req, res) => res.end('[]'))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    servers.push(server)
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  }
})
afterAll(() => {
  for (const s of servers) s.close()
})

it('puts the bench figures of a scenario on the service whose endpoints it hits, in the baseline and in each port', async () => {
  const run: RunResult = await diffConfig(await loadConfig(join(dir, 'parity.config.yaml')))
  const scenarios = [
    { name: 'GET /files', requests: [{ method: 'GET', path: '/files' }] },
    { name: 'GET /search', requests: [{ method: 'GET', path: '/search?q=a' }] },
    // Hits two services: no one service's figure.
    {
      name: 'mix',
      requests: [
        { method: 'GET', path: '/files' },
        { method: 'GET', path: '/users' },
      ],
    },
  ]
  const report = await runBench({
    sides: [
      { name: 'typescript', role: 'baseline', url: urls[0]! },
      { name: 'go', role: 'candidate', url: urls[1]! },
      { name: 'rust', role: 'candidate', url: urls[2]! },
    ],
    scenarios,
    connections: 2,
    durationMs: 300,
    warmupMs: 0,
    trials: 1,
    startup: false,
  })
  run.bench = report.entries
  attachServiceBench(run, scenarios)
  const rows = run.services!.rows
  const files = rows.find((r) => r.service === 'file-management-service')!
  expect(files.bench?.scenarios).toEqual(['GET /files'])
  expect(files.bench!.rps).toBeGreaterThan(0)
  expect(files.candidates.go!.bench?.scenarios).toEqual(['GET /files'])
  expect(files.candidates.go!.bench!.rps).toBeGreaterThan(0)
  const search = rows.find((r) => r.service === 'search-service')!
  expect(search.candidates.rust!.bench?.scenarios).toEqual(['GET /search'])
  // Not started in Go: no port, no figure; the mix hits two services and is no one's.
  expect(search.candidates.go!.bench).toBeUndefined()
  expect(rows.find((r) => r.service === 'user-service')!.bench).toBeUndefined()
  // Reached by URL: no process tree measured, so no RSS anywhere.
  expect(rows.some((r) => r.bench?.rssMb !== undefined)).toBe(false)
  // The table shows the port's req/s against the baseline's.
  const row = serviceTableRows(run.services!).find((r) => r.service === 'file-management-service')!
  expect(row.rps).toBe(`${files.candidates.go!.bench!.rps.toLocaleString('en-US')} (was ${files.bench!.rps.toLocaleString('en-US')})`)
  expect(row.rss).toBeUndefined()
})

it('gives RSS per service only where the system is that one service', async () => {
  const run: RunResult = await diffConfig(await loadConfig(join(dir, 'parity.config.yaml')))
  const scenarios = [{ name: 'GET /files', requests: [{ method: 'GET', path: '/files' }] }]
  const report = await runBench({
    sides: [
      { name: 'typescript', role: 'baseline', url: urls[0]! },
      { name: 'go', role: 'candidate', url: urls[1]! },
    ],
    scenarios,
    connections: 1,
    durationMs: 200,
    warmupMs: 0,
    trials: 1,
    startup: false,
  })
  // As if parity had started them and sampled their trees (a bench by URL measures none).
  const resources = { samples: 5, rssPeakMb: 61.4, rssMeanMb: 60, cpuMeanPercent: 50, cpuPeakPercent: 60, processes: 1, method: 'proc' as const }
  run.bench = report.entries.map((e) => ({ ...e, resources }))
  // go-services holds three services: its RSS is theirs together, not file-management's.
  attachServiceBench(run, scenarios)
  const files = run.services!.rows.find((r) => r.service === 'file-management-service')!
  expect(files.candidates.go!.bench?.rssMb).toBeUndefined()
  // A go system of one service: its RSS is that service's.
  run.systems.find((s) => s.name === 'go')!.items.service = 1
  attachServiceBench(run, scenarios)
  expect(files.candidates.go!.bench?.rssMb).toBe(61)
})

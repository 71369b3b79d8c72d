/**
 * The HTTP bench's figures over trials against two real servers on 127.0.0.1: every request counted,
 * max the slowest request of any trial, the chart drawn from all trials merged, and no confidence
 * word under three trials a side.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBench } from '../src/bench/runner.js'

const servers: Server[] = []
const urls: string[] = []

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end('{"ok":true}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  }
})

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
})

const bench = (trials: number) =>
  runBench({
    sides: [
      { name: 'old', role: 'baseline', url: urls[0]! },
      { name: 'new', role: 'candidate', url: urls[1]! },
    ],
    scenarios: [{ name: 'GET /', requests: [{ method: 'GET', path: '/' }] }],
    connections: 2,
    durationMs: 250,
    warmupMs: 0,
    trials,
    startup: false,
  })

describe('bench figures over trials', () => {
  it('counts every sample, takes the true max over the trials, and draws the chart from all trials merged', async () => {
    const report = await bench(3)
    for (const e of report.entries) {
      const results = e.trials.map((t) => t.result!)
      expect(results).toHaveLength(3)
      expect(e.latency.count).toBe(results.reduce((n, r) => n + r.requests, 0))
      expect(e.latency.count).toBeGreaterThan(0)
      expect(e.latency.max).toBe(Math.max(...results.map((r) => r.latency.max)))
      expect(e.latency.min).toBe(Math.min(...results.map((r) => r.latency.min)))
      // The chart's last point is the slowest request of all trials; its first the fastest.
      expect(e.distribution.at(-1)).toEqual([100, e.latency.max])
      expect(e.distribution[0]).toEqual([0, e.latency.min])
    }
    const [c] = report.comparisons
    expect(c!.trials).toEqual({ baseline: 3, candidate: 3 })
    expect(['high', 'low', 'too-noisy']).toContain(c!.confidence)
    expect(c!.ranges?.p95?.[0]).toBeLessThanOrEqual(c!.ranges!.p95![1])
  })

  it('gives no confidence word under three trials a side', async () => {
    const report = await bench(2)
    const [c] = report.comparisons
    expect(c).toMatchObject({ confidence: 'too-few-trials', trials: { baseline: 2, candidate: 2 } })
    // A loaded machine may add that the load generator was at its ceiling: the note starts with the trials.
    expect(c!.note).toMatch(/^too few trials to say: 2 baseline and 2 candidate trials measured; 3 per side are needed for a confidence word(;|$)/)
    expect(c!.ratios.p95).toBeTypeOf('number')
  })
})

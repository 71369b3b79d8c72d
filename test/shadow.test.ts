import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isParityError } from '../src/model/errors.js'
import { startShadow, type Shadow } from '../src/verify/shadow.js'
import type { ReplayedExchange } from '../src/model/exchange.js'
import { deadPort, fetchRaw, gate, startServer, stopServer, waitFor, type Seen } from './support/proxy-servers.js'

let baseline: { server: Server; url: string; seen: Seen[] }
let candidate: { server: Server; url: string; seen: Seen[] }
/** The candidate holds every answer until the test opens this gate. */
let hold = gate()
const shadows: Shadow[] = []

beforeAll(async () => {
  baseline = await startServer((req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-side': 'baseline' })
    res.end(JSON.stringify({ side: 'baseline', url: req.url, body: body.toString() }))
  })
  candidate = await startServer((req, res, body) => {
    void hold.wait.then(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-side': 'candidate' })
      res.end(JSON.stringify({ side: 'candidate', url: req.url, body: body.toString() }))
    })
  })
})

afterAll(async () => {
  hold.open()
  for (const s of shadows) await s.close()
  await stopServer(baseline?.server)
  await stopServer(candidate?.server)
})

async function shadow(options: Omit<Parameters<typeof startShadow>[0], 'baseline' | 'candidate'> & { candidate?: string }): Promise<Shadow> {
  const s = await startShadow({ baseline: baseline.url, candidate: candidate.url, ...options })
  shadows.push(s)
  return s
}

describe('parity shadow', () => {
  it('answers from the baseline without waiting for a slow candidate, then hands over the pair', async () => {
    hold = gate()
    const pairs: ReplayedExchange[] = []
    const s = await shadow({ onPair: (x) => pairs.push(x) })
    const before = candidate.seen.length
    const answer = await fetchRaw(`${s.url}/api/items?x=1`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'payload' })
    // The client has its answer while the candidate still holds its own.
    expect(JSON.parse(answer.body.toString())).toEqual({ side: 'baseline', url: '/api/items?x=1', body: 'payload' })
    await waitFor('the copy at the candidate', () => candidate.seen.length > before)
    expect(pairs).toHaveLength(0)
    expect(candidate.seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/items?x=1' })
    expect(candidate.seen.at(-1)!.body.toString()).toBe('payload')
    hold.open()
    await waitFor('the pair', () => pairs.length === 1)
    const pair = pairs[0]!
    expect(pair.exchange.request).toMatchObject({ method: 'POST', url: '/api/items?x=1', body: { text: 'payload', size: 7 } })
    expect(pair.baseline.body!.text).toContain('"side":"baseline"')
    expect(pair.candidate.body!.text).toContain('"side":"candidate"')
    expect(pair.candidate.headers).toContainEqual(['x-side', 'candidate'])
    expect(pair.baseline.headers).toContainEqual(['x-side', 'baseline'])
    expect(s.stats()).toEqual({ forwarded: 1, mirrored: 1, dropped: 0, candidateErrors: 0, unfinished: 0 })
  })

  it('leaves clients unaffected when the candidate is down and counts its errors', async () => {
    const pairs: ReplayedExchange[] = []
    const s = await shadow({ candidate: `http://127.0.0.1:${await deadPort()}`, onPair: (x) => pairs.push(x) })
    for (let i = 0; i < 5; i++) {
      const answer = await fetchRaw(`${s.url}/down/${i}`)
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body.toString())).toMatchObject({ side: 'baseline', url: `/down/${i}` })
    }
    await waitFor('five candidate errors', () => s.stats().candidateErrors === 5)
    expect(s.stats()).toEqual({ forwarded: 5, mirrored: 5, dropped: 0, candidateErrors: 5, unfinished: 0 })
    expect(pairs.map((p) => p.candidate.error?.code)).toEqual(['refused', 'refused', 'refused', 'refused', 'refused'])
    expect(pairs.every((p) => p.baseline.status === 200)).toBe(true)
  })

  it('drops and counts copies when the mirror queue is full', async () => {
    hold = gate()
    const s = await shadow({ queue: 2, concurrency: 1 })
    for (let i = 0; i < 10; i++) expect((await fetchRaw(`${s.url}/q/${i}`)).status).toBe(200)
    // One copy at the held candidate, two waiting, seven dropped.
    expect(s.stats()).toEqual({ forwarded: 10, mirrored: 1, dropped: 7, candidateErrors: 0, unfinished: 0 })
    hold.open()
    // Drained: every copy answered, not only sent (a copy still on its way would reach the next test's count).
    await waitFor('the queue drained', () => s.stats().mirrored === 3 && s.pending() === 0)
    expect(candidate.seen.filter((r) => r.url.startsWith('/q/')).length).toBe(3)
    expect(s.stats().dropped).toBe(7)
  })

  it('copies nothing with --sample 0', async () => {
    const s = await shadow({ sample: 0 })
    for (let i = 0; i < 3; i++) expect((await fetchRaw(`${s.url}/s/${i}`)).status).toBe(200)
    expect(s.stats()).toEqual({ forwarded: 3, mirrored: 0, dropped: 0, candidateErrors: 0, unfinished: 0 })
    // Its own requests only: a copy from an earlier test may still arrive meanwhile.
    expect(candidate.seen.filter((r) => r.url.startsWith('/s/'))).toEqual([])
  })

  it('reports a candidate that does not answer in time as a timeout', async () => {
    hold = gate()
    const pairs: ReplayedExchange[] = []
    const s = await shadow({ timeoutMs: 200, onPair: (x) => pairs.push(x) })
    expect((await fetchRaw(`${s.url}/slow`)).status).toBe(200)
    await waitFor('the timeout', () => pairs.length === 1)
    expect(pairs[0]!.candidate.error?.code).toBe('timeout')
    expect(s.stats().candidateErrors).toBe(1)
    hold.open()
  })

  it('lets the copies in flight finish when it stops, then reports them compared', async () => {
    hold = gate()
    const pairs: ReplayedExchange[] = []
    const s = await shadow({ queue: 5, concurrency: 1, onPair: (x) => pairs.push(x) })
    const before = candidate.seen.length
    for (let i = 0; i < 3; i++) expect((await fetchRaw(`${s.url}/drain/${i}`)).status).toBe(200)
    await waitFor('the first copy at the candidate', () => candidate.seen.length > before)
    expect(s.pending()).toBe(3)
    // Stopped while one copy is held at the candidate and two wait: all three are still compared.
    const closed = s.close(10_000)
    setTimeout(() => hold.open(), 200)
    await closed
    expect(pairs.map((p) => p.exchange.request.url)).toEqual(['/drain/0', '/drain/1', '/drain/2'])
    expect(s.stats()).toEqual({ forwarded: 3, mirrored: 3, dropped: 0, candidateErrors: 0, unfinished: 0 })
  })

  it('counts copies cut off at the end of the drain as unfinished, never as compared', async () => {
    hold = gate()
    const pairs: ReplayedExchange[] = []
    const s = await shadow({ queue: 5, concurrency: 1, onPair: (x) => pairs.push(x) })
    const before = candidate.seen.length
    for (let i = 0; i < 2; i++) expect((await fetchRaw(`${s.url}/cut/${i}`)).status).toBe(200)
    await waitFor('the first copy at the candidate', () => candidate.seen.length > before)
    await s.close(100)
    expect(pairs).toHaveLength(0)
    expect(s.stats()).toEqual({ forwarded: 2, mirrored: 1, dropped: 0, candidateErrors: 0, unfinished: 2 })
    hold.open()
  })

  it('ends a drain at once on abort()', async () => {
    hold = gate()
    const s = await shadow({})
    const before = candidate.seen.length
    expect((await fetchRaw(`${s.url}/abort`)).status).toBe(200)
    await waitFor('the copy at the candidate', () => candidate.seen.length > before)
    const closed = s.close(60_000)
    s.abort()
    await closed
    expect(s.stats().unfinished).toBe(1)
    hold.open()
  })

  it('refuses bad input with a ParityError', async () => {
    for (const [options, code] of [
      [{ baseline: 'nope', candidate: 'http://127.0.0.1:1' }, 'BAD_TARGET'],
      [{ baseline: 'http://127.0.0.1:1', candidate: 'http://127.0.0.1:1', sample: 2 }, 'BAD_SAMPLE'],
      [{ baseline: 'http://127.0.0.1:1', candidate: 'http://127.0.0.1:1', queue: -1 }, 'BAD_QUEUE'],
    ] as const) {
      const e = await startShadow(options).catch((err: unknown) => err)
      expect(isParityError(e) && e.code).toBe(code)
    }
  })
})

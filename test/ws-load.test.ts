import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { runWsFanout } from '../src/bench/ws-load.js'

let wss: WebSocketServer
let base = ''
const DELAY_MS = 15

beforeAll(async () => {
  // Broadcasts every message to every connection (the publisher included); /slow waits first.
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  wss.on('connection', (ws, req) => {
    ws.on('message', (data) => {
      const send = () => {
        for (const c of wss.clients) c.send(String(data))
      }
      if (req.url === '/slow') setTimeout(send, DELAY_MS)
      else send()
    })
  })
  await new Promise<void>((r) => wss.on('listening', () => r()))
  base = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`
})

afterAll(async () => {
  for (const c of wss.clients) c.terminate()
  await new Promise((r) => wss.close(r))
})

describe('runWsFanout', () => {
  it('delivers every message to every client and times each receipt', async () => {
    const r = await runWsFanout({ url: base, connections: 20, messages: 10, intervalMs: 2, timeoutMs: 3000 })
    expect(r).toMatchObject({ connected: 20, failed: 0, successRate: 1, published: 10, received: 200 })
    expect(r.latency.min).toBeGreaterThan(0)
    expect(r.latency.max).toBeGreaterThanOrEqual(r.latency.p50)
  })

  it('measures a server that holds each message (generous tolerance)', async () => {
    const r = await runWsFanout({ url: base, path: '/slow', connections: 5, messages: 5, intervalMs: 1, timeoutMs: 3000 })
    expect(r.received).toBe(25)
    expect(r.latency.p50).toBeGreaterThanOrEqual(DELAY_MS - 1)
    expect(r.latency.p50).toBeLessThan(500)
  })

  it('times custom messages by their index', async () => {
    const r = await runWsFanout({ url: base, connections: 3, messages: 4, intervalMs: 1, publish: (i) => JSON.stringify({ i, kind: 'note' }), timeoutMs: 3000 })
    expect(r.received).toBe(12)
    expect(r.latency.max).toBeGreaterThan(0)
  })

  it('reports clients that cannot connect as failed, without throwing', async () => {
    const r = await runWsFanout({ url: 'ws://127.0.0.1:1', connections: 3, messages: 2, timeoutMs: 1000 })
    expect(r).toMatchObject({ connected: 0, failed: 3, successRate: 0, published: 0, received: 0 })
  })

  it('rejects a URL that is not ws:', async () => {
    await expect(runWsFanout({ url: 'http://127.0.0.1:1', connections: 1, messages: 1 })).rejects.toMatchObject({ code: 'BAD_URL' })
  })
})

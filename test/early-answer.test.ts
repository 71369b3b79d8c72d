/**
 * A server that answers a large upload before reading it (401, 413) and closes: the recording proxy
 * stays up and goes on recording. Before, the request body's hash was updated after it had been
 * finalised and the recorder crashed, every later client refused. (Node's HTTP client often meets the
 * target's close before it has read the early answer: the client then gets a 502 from the proxy.)
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import http, { type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startRecorder, type Recorder } from '../src/verify/record.js'

let server: Server
let recorder: Recorder
const dir = mkdtempSync(join(tmpdir(), 'parity-early-'))
const out = join(dir, 'corpus.ndjson')

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/upload') {
      // Answers at once, never reading the body.
      res.writeHead(413, { 'content-type': 'text/plain' })
      res.end('too large')
      return
    }
    req.resume()
    res.end('after')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  recorder = await startRecorder({ target: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, out })
})
afterAll(async () => {
  await recorder.close()
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
  rmSync(dir, { recursive: true, force: true })
})

/** POST `size` bytes in 64 KiB chunks; resolves with the status, or the error the upload met. */
function upload(size: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(`${recorder.url}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message))
    const chunk = Buffer.alloc(64 * 1024, 'x')
    let sent = 0
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent)
        sent += n
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}

it.each([5, 50])('passes the early answer to a %i MB upload on, and goes on recording', async (mb) => {
  const status = await upload(mb * 1024 * 1024)
  // The client sees the answer, or a 502 when the target's close cut the upload before its answer
  // reached the proxy, or its own upload cut: never a proxy crash.
  expect([413, 502, 'EPIPE', 'ECONNRESET']).toContain(status)
  const after = await fetch(`${recorder.url}/after`)
  expect(after.status).toBe(200)
  expect(await after.text()).toBe('after')
  await new Promise((r) => setTimeout(r, 200))
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { request: { url: string } })
  expect(lines.filter((l) => l.request.url === '/after').length).toBeGreaterThanOrEqual(1)
}, 60_000)

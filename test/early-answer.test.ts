/**
 * A server that answers a large upload before reading it (401, 413): the recording proxy passes the
 * answer on, records it, stays up and goes on recording. Before, the request body's hash was updated
 * after it had been finalised and the recorder crashed, every later client refused; and a server that
 * then closed with the body unread (as Go's net/http does: `Connection: close`, a reset) reached the
 * client as a 502, because the proxy, still writing the body, met the reset before the answer.
 */
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs'
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
      // Answers at once, never reading the body (Node then reads and discards it).
      res.writeHead(413, { 'content-type': 'text/plain' })
      res.end('too large')
      return
    }
    if (req.url === '/upload-close') {
      // Answers at once and closes with the body unread: the kernel resets the connection.
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' })
      res.end('too large', () => req.socket.destroy())
      return
    }
    if (req.url === '/echo-size') {
      let n = 0
      req.on('data', (d: Buffer) => (n += d.length))
      req.on('end', () => res.end(String(n)))
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

/** POST `size` bytes in 64 KiB chunks; resolves with the status and body, or the error the upload met. */
function upload(size: number, path = '/upload'): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request(
      `${recorder.url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) } },
      (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d))
        res.on('end', () => {
          // As a browser does: an answer before the upload is done ends the upload.
          req.destroy()
          resolve(`${res.statusCode} ${body}`)
        })
      },
    )
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

const recorded = () =>
  readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { request: { url: string; body?: { size: number } }; response?: { status: number } })

it.each([
  [5, '/upload'],
  [50, '/upload'],
  [5, '/upload-close'],
  [50, '/upload-close'],
])(
  'passes the early answer to a %i MB upload to %s on as the server gave it, records it, and goes on recording',
  async (mb, path) => {
    const count = existsSync(out) ? recorded().filter((l) => l.request.url === path).length : 0
    expect(await upload(mb * 1024 * 1024, path)).toBe('413 too large')
    const after = await fetch(`${recorder.url}/after`)
    expect(after.status).toBe(200)
    expect(await after.text()).toBe('after')
    // The upload is recorded once the client has finished sending it, which it may still be doing.
    for (let i = 0; i < 200 && recorded().filter((l) => l.request.url === path).length === count; i++) await new Promise((r) => setTimeout(r, 50))
    const lines = recorded()
    expect(lines.filter((l) => l.request.url === '/after').length).toBeGreaterThanOrEqual(1)
    expect(lines.filter((l) => l.request.url === path).at(-1)?.response?.status).toBe(413)
  },
  60_000,
)

it('still streams a large upload whole to a server that reads it', async () => {
  expect(await upload(5 * 1024 * 1024, '/echo-size')).toBe(`200 ${5 * 1024 * 1024}`)
  await new Promise((r) => setTimeout(r, 200))
  expect(
    recorded()
      .filter((l) => l.request.url === '/echo-size')
      .at(-1)?.request.body?.size,
  ).toBe(5 * 1024 * 1024)
})

import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http, { type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { isParityError } from '../src/model/errors.js'
import { readCorpus } from '../src/verify/corpus.js'
import { startRecorder, type Recorder } from '../src/verify/record.js'
import type { Exchange } from '../src/model/exchange.js'
import { deadPort, fetchRaw, gate, startServer, stopServer, waitFor, type Seen } from './support/proxy-servers.js'

const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) % 256))
const large = Buffer.alloc(3 * 1024 * 1024 + 17, 'abcdefghijklmnopqrstuvwxyz0123456789')
const secrets = ['sekrit-bearer-123', 'cookie-secret-456', 'hunter2-pass', 'new-session-789', 'tok-secret-000']

let backend: { server: Server; url: string; seen: Seen[] }
let wss: WebSocketServer
let recorder: Recorder
let dir: string
let out: string
let chunkGate = gate()
let firstChunkSent = gate()

beforeAll(async () => {
  backend = await startServer((req, res, body) => {
    const path = (req.url ?? '/').split('?')[0]!
    if (path === '/hello') {
      res.writeHead(200, 'Fine Thanks', ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Multi', 'one', 'X-Multi', 'two'])
      res.end('hello world')
    } else if (path === '/binary') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': binary.length })
      res.end(binary)
    } else if (path === '/large') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      for (let i = 0; i < large.length; i += 65536) res.write(large.subarray(i, i + 65536))
      res.end()
    } else if (path === '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('first chunk\n')
      firstChunkSent.open()
      // The rest waits until the test has seen the first chunk through the proxy.
      void chunkGate.wait.then(() => res.end('second chunk\n'))
    } else if (path === '/echo') {
      res.writeHead(201, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' })
      res.end(body)
    } else if (path === '/login') {
      res.writeHead(200, ['Content-Type', 'application/json', 'Set-Cookie', 'sid=new-session-789; Path=/; HttpOnly'])
      res.end(JSON.stringify({ user: 'ann', token: 'tok-secret-000' }))
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end(`no ${path}`)
    }
  })
  wss = new WebSocketServer({ server: backend.server, path: '/ws' })
  wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })))
  dir = mkdtempSync(join(tmpdir(), 'parity-record-'))
  out = join(dir, 'corpus.ndjson')
  recorder = await startRecorder({ target: backend.url, out })
})

afterAll(async () => {
  chunkGate.open()
  await recorder?.close()
  wss?.close()
  await stopServer(backend?.server)
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function readExchanges(path: string): Exchange[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Exchange)
}

describe('parity record', () => {
  it('passes answers through byte for byte under concurrent connections', async () => {
    const paths = ['/hello', '/binary', '/large', '/missing']
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 })
    const jobs = Array.from({ length: 24 }, (_, i) => paths[i % paths.length]!)
    const [direct, proxied] = await Promise.all([
      Promise.all(jobs.map((p) => fetchRaw(backend.url + p, { agent }))),
      Promise.all(jobs.map((p) => fetchRaw(recorder.url + p, { agent }))),
    ])
    agent.destroy()
    for (let i = 0; i < jobs.length; i++) {
      expect(proxied[i]!.status).toBe(direct[i]!.status)
      expect(proxied[i]!.statusMessage).toBe(direct[i]!.statusMessage)
      expect(proxied[i]!.headers).toEqual(direct[i]!.headers)
      expect(proxied[i]!.body.equals(direct[i]!.body)).toBe(true)
    }
    expect(proxied[0]!.headers).toEqual([
      'Content-Type',
      'text/plain',
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
      'X-Multi',
      'one',
      'X-Multi',
      'two',
      'Transfer-Encoding',
      'chunked',
    ])
    expect(proxied[1]!.body.equals(binary)).toBe(true)
    expect(proxied[2]!.body.length).toBe(large.length)
  })

  it('passes request bodies through and records them', async () => {
    const sent = Buffer.from([0, 255, 1, 254, 2, 253])
    const answer = await fetchRaw(`${recorder.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: sent })
    expect(answer.status).toBe(201)
    expect(answer.body.equals(sent)).toBe(true)
    expect(backend.seen.at(-1)!.body.equals(sent)).toBe(true)
  })

  it('streams a chunked answer: the first chunk arrives before the server ends', async () => {
    chunkGate = gate()
    firstChunkSent = gate()
    const first = await new Promise<{ chunk: string; rest: Promise<string> }>((resolve, reject) => {
      const req = http.get(`${recorder.url}/stream`, (res) => {
        expect(res.headers['transfer-encoding']).toBe('chunked')
        let all = ''
        let resolved = false
        const rest = new Promise<string>((done) => res.on('end', () => done(all)))
        res.on('data', (c: Buffer) => {
          all += c.toString()
          if (!resolved) {
            resolved = true
            resolve({ chunk: c.toString(), rest })
          }
        })
      })
      req.on('error', reject)
      req.setTimeout(10_000, () => req.destroy(new Error('no first chunk')))
    })
    // The server is still holding the rest: what arrived was passed on as it came.
    expect(first.chunk).toBe('first chunk\n')
    chunkGate.open()
    expect(await first.rest).toBe('first chunk\nsecond chunk\n')
  })

  it('keeps the connection alive: one client connection is one session, requests numbered in order', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const before = recorder.recorded()
    for (const p of ['/hello', '/binary', '/hello']) expect((await fetchRaw(`${recorder.url + p}?s=ka`, { agent })).status).toBe(200)
    agent.destroy()
    await waitFor('three exchanges', () => readExchangesLive().filter((x) => x.request.url.endsWith('?s=ka')).length === 3)
    expect(recorder.recorded()).toBeGreaterThanOrEqual(before + 3)
    const mine = readExchangesLive().filter((x) => x.request.url.endsWith('?s=ka'))
    expect(mine.map((x) => x.request.url)).toEqual(['/hello?s=ka', '/binary?s=ka', '/hello?s=ka'])
    expect(new Set(mine.map((x) => x.session)).size).toBe(1)
    expect(mine.map((x) => x.seq)).toEqual([0, 1, 2])
  })

  it('passes a WebSocket through both ways and records its messages', async () => {
    const before = recorder.recorded()
    const ws = new WebSocket(`${recorder.url.replace('http', 'ws')}/ws`)
    const got: Array<{ data: Buffer; isBinary: boolean }> = []
    ws.on('message', (data, isBinary) => got.push({ data: data as Buffer, isBinary }))
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    const big = Buffer.alloc(70_000, 7)
    ws.send('hello')
    ws.send(Buffer.from([0, 1, 2, 255]))
    ws.send(big)
    await waitFor('three echoes', () => got.length === 3)
    expect(got[0]).toEqual({ data: Buffer.from('hello'), isBinary: false })
    expect(got[1]!.data.equals(Buffer.from([0, 1, 2, 255]))).toBe(true)
    expect(got[2]!.data.equals(big)).toBe(true)
    ws.close()
    await waitFor('the socket recorded', () => readExchangesLive().some((e) => e.request.url === '/ws'))
    expect(recorder.recorded()).toBeGreaterThan(before)
    const x = readExchangesLive().find((e) => e.request.url === '/ws')!
    expect(x.response!.status).toBe(101)
    const seq = (dir: 'in' | 'out'): unknown[] =>
      x.ws!.filter((m) => m.dir === dir).map((m) => [m.type, m.type === 'text' ? m.data : Buffer.from(m.data, 'base64').length])
    const expected = [
      ['text', 'hello'],
      ['binary', 4],
      ['binary', 70_000],
    ]
    expect(seq('out')).toEqual(expected)
    expect(seq('in')).toEqual(expected)
    expect(x.ws!.find((m) => m.dir === 'in' && m.type === 'binary')!.data).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'))
  })

  it('writes no secret to disk while the backend receives them all', async () => {
    const answer = await fetchRaw(`${recorder.url}/login`, {
      method: 'POST',
      headers: { authorization: 'Bearer sekrit-bearer-123', cookie: 'sid=cookie-secret-456', 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'ann', password: 'hunter2-pass' }),
    })
    expect(answer.body.toString()).toContain('tok-secret-000')
    expect(answer.headers).toContain('sid=new-session-789; Path=/; HttpOnly')
    const seen = backend.seen.at(-1)!
    expect(seen.headers.authorization).toBe('Bearer sekrit-bearer-123')
    expect(seen.headers.cookie).toBe('sid=cookie-secret-456')
    expect(seen.body.toString()).toContain('hunter2-pass')
    await waitFor('the login recorded', () => readExchangesLive().some((x) => x.request.url === '/login'))
    const text = readFileSync(out, 'utf8')
    for (const s of secrets) expect(text).not.toContain(s)
    const login = readExchangesLive().find((x) => x.request.url === '/login')!
    expect(login.request.headers.map(([n]) => n)).toEqual(expect.arrayContaining(['authorization', 'cookie']))
  })

  it('records each exchange with its bodies: text, base64 for binary, size and hash past the limit', async () => {
    await waitFor('the echo recorded', () => readExchangesLive().some((x) => x.request.url === '/echo'))
    const all = readExchangesLive()
    const hello = all.find((x) => x.request.url === '/hello')!
    expect(hello.response).toMatchObject({ status: 200, body: { text: 'hello world', size: 11 } })
    expect(hello.response!.headers.filter(([n]) => n === 'set-cookie')).toHaveLength(2)
    expect(hello.host).toBe(new URL(backend.url).host)
    const bin = all.find((x) => x.request.url === '/binary')!
    expect(Buffer.from(bin.response!.body!.base64!, 'base64').equals(binary)).toBe(true)
    const big = all.find((x) => x.request.url === '/large')!
    expect(big.response!.body).toEqual({ size: large.length, sha256: createHash('sha256').update(large).digest('hex') })
    const echo = all.find((x) => x.request.url === '/echo')!
    expect(echo.request.body).toEqual({ base64: Buffer.from([0, 255, 1, 254, 2, 253]).toString('base64'), size: 6 })
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length)
  })

  it('writes a corpus that parity reads back as it was recorded', () => {
    const lines = readExchangesLive()
    const corpus = readCorpus(out)
    expect(corpus.format).toBe('ndjson')
    expect(corpus.skipped).toEqual([])
    expect(corpus.exchanges).toHaveLength(lines.length)
    expect(corpus.exchanges.find((x) => x.request.url === '/ws')!.ws).toEqual(lines.find((x) => x.request.url === '/ws')!.ws)
  })

  it('only ever contacts the target: an absolute-form URL keeps only its path', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: recorder.port, path: 'http://elsewhere.invalid/hello?abs=1' }, (res) => {
        let s = ''
        res.on('data', (c: Buffer) => (s += c.toString()))
        res.on('end', () => resolve(s))
      })
      req.on('error', reject)
      req.end()
    })
    expect(answer).toBe('hello world')
    expect(backend.seen.at(-1)!.url).toBe('/hello?abs=1')
    expect(backend.seen.at(-1)!.headers.host).toBe(new URL(backend.url).host)
  })

  it('answers 502 when the target is down and records nothing for it', async () => {
    const port = await deadPort()
    const file = join(dir, 'down.ndjson')
    const down = await startRecorder({ target: `http://127.0.0.1:${port}`, out: file })
    try {
      const answer = await fetchRaw(`${down.url}/x`)
      expect(answer.status).toBe(502)
      expect(answer.body.toString()).toContain('ECONNREFUSED')
      expect(down.recorded()).toBe(0)
    } finally {
      await down.close()
    }
    expect(readFileSync(file, 'utf8')).toBe('')
  })

  it('refuses bad input with a ParityError', async () => {
    const bad = await startRecorder({ target: 'ftp://127.0.0.1', out: join(dir, 'x.ndjson') }).catch((e: unknown) => e)
    expect(isParityError(bad) && bad.code).toBe('BAD_TARGET')
    const unwritable = await startRecorder({ target: backend.url, out: join(dir, 'no', 'such', 'dir.ndjson') }).catch((e: unknown) => e)
    expect(isParityError(unwritable) && unwritable.code).toBe('RECORD_OUT_UNWRITABLE')
    const busy = await startRecorder({ target: backend.url, out: join(dir, 'y.ndjson'), listen: recorder.port }).catch((e: unknown) => e)
    expect(isParityError(busy) && busy.code).toBe('LISTEN_FAILED')
  })
})

function readExchangesLive(): Exchange[] {
  return readExchanges(out)
}

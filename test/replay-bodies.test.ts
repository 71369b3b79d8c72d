/**
 * A request the corpus cannot reproduce is never sent and never verified: an upload whose body the
 * recording left out, sent without it, is another request, and two servers answering that one alike
 * proves nothing about the one recorded. Real servers on 127.0.0.1 answer with the bytes they got.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runReplay } from '../src/verify/replay-result.js'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-bodies-'))
const servers: Server[] = []
let a = ''
let b = ''
const hits: string[] = []

async function server(): Promise<string> {
  const s = createServer((req, res) => {
    let bytes = 0
    req.on('data', (d: Buffer) => (bytes += d.length))
    req.on('end', () => {
      hits.push(`${req.method} ${req.url} ${bytes}`)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ received: bytes }))
    })
  })
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}

beforeAll(async () => {
  a = await server()
  b = await server()
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  rmSync(tmp, { recursive: true, force: true })
})

const line = (id: string, url: string, headers: Array<[string, string]>, body?: object) =>
  JSON.stringify({ id, session: id, seq: 0, host: '127.0.0.1', request: { method: 'POST', url, headers, ...(body ? { body } : {}) } })

it('does not send a request whose declared or hashed body is not in the NDJSON corpus, and says so', async () => {
  const file = join(tmp, 'uploads.ndjson')
  writeFileSync(
    file,
    `${[
      line('declared', '/upload/declared', [
        ['content-type', 'application/octet-stream'],
        ['content-length', '5000'],
      ]),
      line('hashed', '/upload/hashed', [['content-type', 'application/octet-stream']], { size: 5_000_000, sha256: 'ab'.repeat(32) }),
      line(
        'kept',
        '/upload/kept',
        [
          ['content-type', 'text/plain'],
          ['content-length', '5'],
        ],
        { text: 'hello', size: 5 },
      ),
    ].join('\n')}\n`,
  )
  hits.length = 0
  const run = await runReplay({ corpus: file, baseline: a, candidate: b })
  const status = Object.fromEntries((run.routes ?? []).map((r) => [r.path, r.status]))
  expect(status).toEqual({ '/upload/declared': 'unproven', '/upload/hashed': 'unproven', '/upload/kept': 'verified' })
  // Only the request the corpus holds whole reached the servers.
  expect(hits.sort()).toEqual(['POST /upload/kept 5', 'POST /upload/kept 5'])
  const d = run.diagnostics.find((x) => x.code === 'REPLAY_NOT_SENT')
  expect(d).toMatchObject({ level: 'warn' })
  expect(d!.message).toContain('2 of 3 exchanges not sent')
  expect(d!.message).toContain('declares a 5000-byte body')
  expect(run.diagnostics.some((x) => x.code === 'REPLAY_ERRORS')).toBe(false)
})

it('reads a HAR upload whose file bytes were left out, or whose text is shorter than bodySize, as not sendable', async () => {
  const entry = (url: string, postData: object, bodySize: number) => ({
    startedDateTime: '2026-12-01T00:00:00.000Z',
    request: { method: 'POST', url: `http://127.0.0.1/${url}`, headers: [], bodySize, postData },
    response: { status: 200, headers: [], content: { text: '{}' } },
  })
  const har = {
    log: {
      entries: [
        entry('file', { mimeType: 'multipart/form-data; boundary=x', params: [{ name: 'avatar', fileName: 'me.png', contentType: 'image/png' }] }, 48213),
        entry('cut', { mimeType: 'application/json', text: '' }, 1200),
        entry('form', { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'q', value: 'x' }] }, 3),
      ],
    },
  }
  const file = join(tmp, 'browser.har')
  writeFileSync(file, JSON.stringify(har))
  hits.length = 0
  const run = await runReplay({ corpus: file, baseline: a, candidate: b })
  const status = Object.fromEntries((run.routes ?? []).map((r) => [r.path, r.status]))
  expect(status).toEqual({ '/file': 'unproven', '/cut': 'unproven', '/form': 'verified' })
  expect(hits.sort()).toEqual(['POST /form 3', 'POST /form 3'])
})

it('exits 2 when no exchange of the corpus could be sent: nothing was compared', async () => {
  const file = join(tmp, 'none.ndjson')
  writeFileSync(file, `${line('only', '/upload/only', [['content-length', '10']])}\n`)
  const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(
      process.execPath,
      [join(repo, 'bin/parity.js'), 'replay', '--corpus', file, '--baseline', a, '--candidate', b],
      { env: { ...process.env, CI: 'true' } },
      (err, stdout) => resolve({ code: err ? (err as { code: number }).code : 0, stdout }),
    ),
  )
  expect(result.code).toBe(2)
  expect(result.stdout).toContain('REPLAY_NOT_SENT: no exchange could be sent')
})

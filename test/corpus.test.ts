import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isParityError, type ParityError } from '../src/model/errors.js'
import { readCorpus } from '../src/verify/corpus.js'
import { appendNdjson, writeNdjson } from './support/corpus-files.js'
import { locateJsonError } from '../src/verify/json-locate.js'
import type { Exchange } from '../src/model/exchange.js'

const HAR = 'fixtures/corpus/browser.har'
const SCENARIO = 'fixtures/corpus/bookmarks.yaml'
const dir = mkdtempSync(join(tmpdir(), 'parity-corpus-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

function failure(run: () => unknown): ParityError {
  try {
    run()
  } catch (e) {
    if (isParityError(e)) return e
    throw e
  }
  throw new Error('expected a ParityError')
}

describe('HAR 1.2', () => {
  const corpus = readCorpus(HAR)

  it('keeps the most frequent host and counts the others per host', () => {
    expect(corpus.format).toBe('har')
    expect(corpus.origin).toBe('api.example.com')
    expect(corpus.exchanges.every((x) => x.host === 'api.example.com')).toBe(true)
    expect(corpus.skipped).toEqual([
      { host: 'app.example.com', count: 1 },
      { host: 'cdn.example.net', count: 2 },
      { host: 'www.google-analytics.com', count: 2 },
    ])
    expect(corpus.exchanges.map((x) => `${x.request.method} ${x.request.url}`)).toEqual([
      'POST /api/login',
      'GET /api/bookmarks?tag=rust',
      'POST /api/bookmarks',
      'GET /api/bookmarks/8/favicon',
      'GET /ws',
      'GET /api/bookmarks/404',
    ])
  })

  it('is one browser session in entry order', () => {
    expect(new Set(corpus.exchanges.map((x) => x.session))).toEqual(new Set(['har']))
    const seqs = corpus.exchanges.map((x) => x.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(corpus.exchanges[0]?.startedAt).toMatch(/^2026-11-20T10:00:00/)
  })

  it('lower-cases headers, drops pseudo-headers, keeps bodies as text or base64', () => {
    const [login, list, create, favicon, ws, aborted] = corpus.exchanges
    expect(login?.request.headers).toEqual([['content-type', 'application/json']])
    expect(JSON.parse(login?.request.body?.text ?? '')).toEqual({ user: 'alice', password: 'hunter2' })
    expect(login?.response?.headers).toContainEqual(['set-cookie', 'sid=s3cr3t; Path=/; HttpOnly'])
    expect(list?.request.headers).toContainEqual(['authorization', 'Bearer tok-abc123'])
    // postData params without text become a form body
    expect(create?.request.body?.text).toBe('url=https%3A%2F%2Fgo.dev&tags=go+lang')
    expect(create?.response?.status).toBe(201)
    // a base64 response that is not UTF-8 stays base64 with its decoded size
    const bytes = Buffer.from(favicon?.response?.body?.base64 ?? '', 'base64')
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG')
    expect(favicon?.response?.body?.size).toBe(16)
    expect(favicon?.response?.body?.text).toBeUndefined()
    expect(ws?.ws).toEqual([
      { dir: 'out', type: 'text', data: '{"subscribe":"bookmarks"}', at: 0 },
      { dir: 'in', type: 'text', data: '{"event":"created","id":8}', at: 250 },
      { dir: 'in', type: 'binary', data: 'AAEC', at: 400 },
    ])
    // an aborted request (status 0) has no response to compare with
    expect(aborted?.response).toBeUndefined()
  })

  it('takes the origin it is given, with or without scheme and default port', () => {
    for (const origin of ['cdn.example.net', 'https://cdn.example.net', 'CDN.example.net:443']) {
      const c = readCorpus(HAR, { origin })
      expect(c.exchanges.map((x) => x.request.url)).toEqual(['/app.3f9a.js', '/logo.png'])
      expect(c.skipped.find((s) => s.host === 'api.example.com')?.count).toBe(6)
    }
    const e = failure(() => readCorpus(HAR, { origin: 'api.other.org' }))
    expect(e.code).toBe('CORPUS_ORIGIN_NOT_FOUND')
    expect(e.hint).toContain('api.example.com (6)')
  })

  it('keeps only size and sha256 of bodies over maxBodyBytes', () => {
    const c = readCorpus(HAR, { maxBodyBytes: 20 })
    const body = c.exchanges[1]?.response?.body
    const text = '[{"id":7,"url":"https://rust-lang.org","tags":["rust"]}]'
    expect(body).toEqual({ size: text.length, sha256: createHash('sha256').update(text).digest('hex') })
    expect(c.exchanges[2]?.response?.body?.text).toBe('{"id":8}')
  })

  it('names the line and the entry of a truncated HAR', () => {
    const text = readFileSync(HAR, 'utf8')
    const cut = text.slice(0, text.indexOf('"Bearer tok-abc123"') + 10)
    const e = failure(() => readCorpus(write('truncated.har', cut)))
    expect(e.code).toBe('CORPUS_INVALID_JSON')
    const line = cut.split('\n').length
    expect(e.message).toContain(`line ${line}`)
    expect(e.message).toMatch(/in log\.entries\[5\]\.request\.headers\[0\]\.value/)
    expect(e.message).toContain('truncated')
  })

  it('names the position of invalid JSON', () => {
    const e = failure(() => readCorpus(write('invalid.har', '{\n  "log": {\n    "entries": [ { "request": nope } ]\n  }\n}\n')))
    expect(e.code).toBe('CORPUS_INVALID_JSON')
    expect(e.message).toContain('line 3, column 31')
    expect(e.message).toContain('log.entries[0].request')
  })

  it('names a bad entry by its index', () => {
    const har = JSON.parse(readFileSync(HAR, 'utf8')) as { log: { entries: Array<Record<string, unknown>> } }
    const badUrl = structuredClone(har)
    ;(badUrl.log.entries[7]!.request as { url: string }).url = '/api/relative'
    const e1 = failure(() => readCorpus(write('bad-url.har', JSON.stringify(badUrl))))
    expect(e1.code).toBe('CORPUS_BAD_ENTRY')
    expect(e1.message).toContain('log.entries[7].request.url')
    const noRequest = structuredClone(har)
    delete noRequest.log.entries[4]!.request
    const e2 = failure(() => readCorpus(write('no-request.har', JSON.stringify(noRequest))))
    expect(e2.message).toContain('log.entries[4].request is missing')
    const e3 = failure(() => readCorpus(write('not-har.har', '{"entries": []}')))
    expect(e3.message).toContain('not a HAR file')
  })

  it('splits sessions on _session hints', () => {
    const har = JSON.parse(readFileSync(HAR, 'utf8')) as { log: { entries: Array<Record<string, unknown>> } }
    har.log.entries.forEach((e, i) => (e._session = i < 6 ? 'alice' : 'bob'))
    const c = readCorpus(write('sessions.har', JSON.stringify(har)))
    // Numbered among the recorded service's entries (other hosts are not replayed), in start order.
    expect(c.exchanges.map((x) => `${x.session}:${x.seq}`)).toEqual(['alice:0', 'alice:1', 'bob:0', 'bob:1', 'bob:2', 'bob:3'])
  })
})

describe('NDJSON', () => {
  it('round-trips exchanges exactly', () => {
    const exchanges = readCorpus(HAR).exchanges
    const path = join(dir, 'round.ndjson')
    writeNdjson(path, exchanges)
    const back = readCorpus(path)
    expect(back.format).toBe('ndjson')
    expect(back.exchanges).toEqual(exchanges)
    expect(back.skipped).toEqual([])
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(exchanges.length)
  })

  it('appends lines that concurrent writers never interleave', async () => {
    const path = join(dir, 'append.ndjson')
    const big = 'x'.repeat(200_000)
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i % 5))
        const x: Exchange = {
          id: `a${i}`,
          session: `s${i % 4}`,
          seq: i,
          host: '127.0.0.1:3000',
          request: { method: 'POST', url: `/items/${i}`, headers: [], body: { text: big, size: big.length } },
        }
        appendNdjson(path, x)
      }),
    )
    const c = readCorpus(path, { maxBodyBytes: 10 })
    expect(c.exchanges.map((x) => x.id).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `a${i}`).sort())
    expect(c.exchanges[0]?.request.body?.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('names a line that is not an exchange, or not JSON', () => {
    const good = JSON.stringify({ id: '1', session: 's', seq: 0, request: { method: 'GET', url: '/a', headers: [] } })
    const e1 = failure(() =>
      readCorpus(
        write('bad.ndjson', `${good}\n\n${JSON.stringify({ id: '2', session: 's', seq: 1, request: { method: 'GET', url: '/b', headers: { a: 'b' } } })}\n`),
      ),
    )
    expect(e1.code).toBe('CORPUS_BAD_LINE')
    expect(e1.message).toContain('line 3')
    expect(e1.message).toContain('request.headers')
    const e2 = failure(() => readCorpus(write('cut.ndjson', `${good}\n${good.slice(0, 30)}`)))
    expect(e2.code).toBe('CORPUS_INVALID_JSON')
    expect(e2.message).toContain('line 2')
  })

  it('refuses a body whose base64 is not base64, and an id used twice, naming the line', () => {
    const x = (id: string, base64: string) =>
      JSON.stringify({ id, session: 's', seq: 0, request: { method: 'POST', url: '/a', headers: [], body: { base64, size: 3 } } })
    const bad = failure(() => readCorpus(write('b64.ndjson', `${x('1', 'AAEC')}\n${x('2', 'not base64!')}\n`)))
    expect(bad.code).toBe('CORPUS_BAD_LINE')
    expect(bad.message).toContain('line 2')
    expect(bad.message).toContain('not valid base64')
    const twice = failure(() => readCorpus(write('ids.ndjson', `${x('1', 'AAEC')}\n${x('1', 'AAEC')}\n`)))
    expect(twice.message).toContain('line 2 repeats the id 1 of line 1')
  })

  it('reads the example in docs/corpus.md', () => {
    const docs = readFileSync('docs/corpus.md', 'utf8')
    const example = docs.split('```json\n')[1]?.split('```')[0] ?? ''
    const c = readCorpus(write('docs-example.ndjson', example))
    expect(c.exchanges.map((x) => `${x.session}:${x.seq} ${x.request.method} ${x.request.url}`)).toEqual([
      'c1:0 POST /api/login',
      'c1:1 GET /api/bookmarks?tag=rust',
    ])
    for (const x of c.exchanges) for (const b of [x.request.body, x.response?.body]) if (b?.text !== undefined) expect(b.size).toBe(Buffer.byteLength(b.text))
  })

  it('applies the origin to recorded hosts', () => {
    const x = (i: number, host: string): string => JSON.stringify({ id: `${i}`, session: 's', seq: i, host, request: { method: 'GET', url: '/', headers: [] } })
    const c = readCorpus(write('hosts.ndjson', [x(0, 'a:1'), x(1, 'b:2'), x(2, 'a:1')].join('\n')))
    expect(c.origin).toBe('a:1')
    expect(c.exchanges.map((e) => e.id)).toEqual(['0', '2'])
    expect(c.skipped).toEqual([{ host: 'b:2', count: 1 }])
  })
})

describe('scenarios', () => {
  it('turns steps into exchanges with captures, expectations and references', () => {
    const c = readCorpus(SCENARIO)
    expect(c.format).toBe('scenario')
    expect(c.exchanges.map((x) => `${x.id} ${x.request.method} ${x.request.url}`)).toEqual([
      'alice#1 POST /api/login',
      'alice#2 POST /api/bookmarks',
      'alice#3 GET /api/bookmarks/${id}?fields=url',
      'alice#4 GET /ws',
      'anonymous#1 GET /api/bookmarks',
    ])
    const [login, create, read, ws, anon] = c.exchanges
    expect(login?.response).toBeUndefined()
    expect(JSON.parse(login?.request.body?.text ?? '')).toEqual({ user: 'alice', password: 'correct horse' })
    expect(login?.request.headers).toEqual([['content-type', 'application/json']])
    expect(login?.capture).toEqual({ token: '/token' })
    expect(login?.expect).toEqual({ status: 200 })
    expect(create?.capture).toEqual({ id: '/id', location: 'header:location' })
    expect(create?.request.headers).toContainEqual(['authorization', 'Bearer ${token}'])
    expect(create?.expect).toEqual({ status: 201, body: { url: 'https://go.dev' } })
    expect(read?.seq).toBe(2)
    expect(ws?.ws).toEqual([
      { dir: 'out', type: 'text', data: '{"subscribe":"bookmarks"}' },
      { dir: 'in', type: 'text', data: '{"event":"subscribed"}' },
    ])
    expect(anon).toMatchObject({ session: 'anonymous', seq: 0, expect: { status: 401 } })
  })

  it('reads a flat steps list', () => {
    const c = readCorpus(write('flat.yml', 'steps:\n  - { method: GET, path: /health }\n  - ws: /echo\n    send: [hi]\n    expect: [hi]\n'))
    expect(c.exchanges.map((x) => [x.session, x.seq, x.request.url])).toEqual([
      ['main', 0, '/health'],
      ['main', 1, '/echo'],
    ])
    expect(c.exchanges[1]?.ws?.map((m) => m.dir)).toEqual(['out', 'in'])
  })

  it('names a step without method or path, an unknown reference and bad YAML', () => {
    const e1 = failure(() => readCorpus(write('no-method.yaml', 'sessions:\n  - steps:\n      - { path: /a }\n')))
    expect(e1.code).toBe('CORPUS_BAD_STEP')
    expect(e1.message).toContain('sessions[0].steps[0].method is missing')
    const e2 = failure(() => readCorpus(write('no-path.yaml', 'steps:\n  - { method: GET }\n  - { method: GET }\n')))
    expect(e2.message).toContain('steps[0].path')
    const e3 = failure(() =>
      readCorpus(write('ref.yaml', 'steps:\n  - { method: GET, path: "/a/${id}" }\n  - { method: POST, path: /a, capture: { id: /id } }\n')),
    )
    expect(e3.message).toContain('steps[0].path uses ${id}')
    const e4 = failure(() => readCorpus(write('capture.yaml', 'steps:\n  - { method: POST, path: /a, capture: { id: id } }\n')))
    expect(e4.message).toContain('steps[0].capture.id')
    const e5 = failure(() => readCorpus(write('broken.yaml', 'steps:\n  - method: GET\n    path: [/a\n')))
    expect(e5.code).toBe('CORPUS_INVALID_YAML')
    expect(e5.message).toMatch(/at line [34], column \d+/)
  })

  it('reports a missing file', () => {
    expect(failure(() => readCorpus(join(dir, 'absent.har'))).code).toBe('CORPUS_NOT_FOUND')
  })
})

describe('locateJsonError', () => {
  it('is silent on valid JSON and precise on errors', () => {
    expect(locateJsonError('{"a":[1,2.5e3,true,null,"\\u00e9"]}')).toBeUndefined()
    expect(locateJsonError('{"a":[1,2,}')).toMatchObject({ line: 1, column: 11, path: 'a[2]' })
    expect(locateJsonError('{"a": tr')).toMatchObject({ path: 'a', reason: 'unexpected end of input (truncated?)' })
    expect(locateJsonError('{"a b": {"c": 1} x')).toMatchObject({ column: 18, reason: `expected ',' or '}', found "x"` })
    expect(locateJsonError('{"a b": {"c": ]}}')?.path).toBe('["a b"].c')
  })
})

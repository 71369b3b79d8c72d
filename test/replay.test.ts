import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { isParityError } from '../src/model/errors.js'
import { replayCorpus } from '../src/verify/replay.js'
import type { Corpus, Exchange, Headers, RecordedResponse } from '../src/model/exchange.js'

/** 2 MiB of deterministic bytes, the "huge" body. */
const HUGE = Buffer.alloc(2 * 1024 * 1024, 'parity-')

/** A small stateful service: login gives a random token, items get random ids, reads need both. */
function startApp(): Promise<{ url: string; server: Server }> {
  const tokens = new Set<string>()
  const items = new Map<string, { id: string; name: string }>()
  const server = createServer((req, res) => {
    void handle(req, res)
  })
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(value))
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const authorized = auth !== undefined && tokens.has(auth)
    const url = new URL(req.url ?? '/', 'http://x')
    if (req.method === 'POST' && url.pathname === '/login') {
      const token = randomBytes(12).toString('hex')
      tokens.add(token)
      return json(200, { token, user: JSON.parse(body || '{}').user ?? null }, { 'set-cookie': `sid=${randomBytes(8).toString('hex')}; Path=/` })
    }
    if (req.method === 'POST' && url.pathname === '/items') {
      if (!authorized) return json(401, { error: 'unauthorized' })
      const id = randomBytes(6).toString('hex')
      items.set(id, { id, name: JSON.parse(body || '{}').name ?? '' })
      return json(201, { id }, { location: `/items/${id}` })
    }
    const m = /^\/items\/([^/]+)$/.exec(url.pathname)
    if (req.method === 'GET' && m) {
      if (!authorized) return json(401, { error: 'unauthorized' })
      const item = items.get(m[1] as string)
      return item ? json(200, { ...item, q: url.searchParams.get('ref') === item.id }) : json(404, { error: 'not found' })
    }
    if (url.pathname === '/huge') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      return void res.end(HUGE)
    }
    if (url.pathname === '/gz') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      return void res.end(gzipSync('{"zipped":true}'))
    }
    if (url.pathname === '/echo-host') return json(200, { host: req.headers.host, connection: req.headers.connection ?? null })
    json(404, { error: 'no route' })
  }
  const wss = new WebSocketServer({ server, path: '/ws' })
  wss.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })))
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })))
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/** Records one session against `base` the way a recording proxy would. */
async function recordSession(base: string, session: string): Promise<Exchange[]> {
  const out: Exchange[] = []
  let seq = 0
  const call = async (method: string, url: string, headers: Headers, body?: string): Promise<RecordedResponse> => {
    const res = await fetch(base + url, { method, headers: Object.fromEntries(headers), body })
    const text = await res.text()
    const response: RecordedResponse = {
      status: res.status,
      headers: [...res.headers].map(([n, v]) => [n, v] as [string, string]),
      body: { text, size: Buffer.byteLength(text) },
    }
    for (const c of res.headers.getSetCookie()) response.headers.push(['set-cookie', c])
    out.push({
      id: `${session}-${seq}`,
      session,
      seq: seq++,
      request: { method, url, headers, body: body === undefined ? undefined : { text: body, size: Buffer.byteLength(body) } },
      response,
    })
    return response
  }
  const login = await call('POST', '/login', [['content-type', 'application/json']], JSON.stringify({ user: session }))
  const token = (JSON.parse(login.body?.text ?? '{}') as { token: string }).token
  const auth: Headers = [
    ['authorization', `Bearer ${token}`],
    ['content-type', 'application/json'],
    ['connection', 'keep-alive'],
  ]
  const created = await call('POST', '/items', auth, JSON.stringify({ name: 'n1', owner: token }))
  const id = (JSON.parse(created.body?.text ?? '{}') as { id: string }).id
  await call('GET', `/items/${id}?ref=${id}`, auth)
  return out
}

let recorded: { url: string; server: Server }
let baseline: { url: string; server: Server }
let candidate: { url: string; server: Server }
let baseline2: { url: string; server: Server }
let hanging: Server
let crashing: Server
let hangingUrl: string
let refusedUrl: string
let corpus: Corpus

beforeAll(async () => {
  ;[recorded, baseline, candidate, baseline2] = await Promise.all([startApp(), startApp(), startApp(), startApp()])
  const exchanges = [...(await recordSession(recorded.url, 'a')), ...(await recordSession(recorded.url, 'b'))]
  corpus = { format: 'ndjson', source: 'test', exchanges, skipped: [] }
  hanging = createServer(() => {
    // never answers
  })
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', () => r()))
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`
  // Drops the connection mid-answer, as a crashing server would.
  crashing = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': '100' })
    res.write('partial')
    setTimeout(() => res.socket?.destroy(), 10)
  })
  await new Promise<void>((r) => crashing.listen(0, '127.0.0.1', () => r()))
  const closed = createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()))
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
  await stop(closed)
})

afterAll(async () => {
  await Promise.all([recorded, baseline, candidate, baseline2].map((s) => stop(s.server)))
  await Promise.all([stop(hanging), stop(crashing)])
})

describe('replayCorpus', () => {
  it('follows each session on each target with its own tokens and ids', async () => {
    const progress: number[] = []
    const out = await replayCorpus(
      corpus,
      { baseline: baseline.url, candidate: candidate.url, baseline2: baseline2.url },
      { onProgress: (d) => progress.push(d) },
    )
    expect(out.map((r) => r.exchange.id)).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2'])
    expect(out.map((r) => [r.baseline.status, r.baseline2?.status, r.candidate.status])).toEqual([
      [200, 200, 200],
      [201, 201, 201],
      [200, 200, 200],
      [200, 200, 200],
      [201, 201, 201],
      [200, 200, 200],
    ])
    expect(progress).toHaveLength(6)
    // The read used each target's own id, in the path and in the query, and the id found the item.
    for (const r of out.filter((x) => x.exchange.seq === 2)) {
      for (const side of ['baseline', 'candidate'] as const) {
        const created = out.find((x) => x.exchange.session === r.exchange.session && x.exchange.seq === 1)?.[side]
        const id = (JSON.parse(created?.body?.text ?? '{}') as { id: string }).id
        expect(r.sent[side].url).toBe(`/items/${id}?ref=${id}`)
        expect(JSON.parse(r[side].body?.text ?? '{}')).toMatchObject({ id, name: 'n1', q: true })
      }
      expect(r.sent.baseline.url).not.toBe(r.sent.candidate.url)
    }
    // A token inside a JSON request body is replaced too.
    const post = out.find((x) => x.exchange.id === 'a-1')
    const login = out.find((x) => x.exchange.id === 'a-0')
    const token = (JSON.parse(login?.candidate.body?.text ?? '{}') as { token: string }).token
    expect(JSON.parse(post?.sent.candidate.body?.text ?? '{}')).toEqual({ name: 'n1', owner: token })
    expect(post?.sent.candidate.headers).toContainEqual(['authorization', `Bearer ${token}`])
  })

  it('fails without correlation: the recorded ids and tokens mean nothing to a new instance', async () => {
    // Without the recorded answers there is nothing to correlate: the raw recorded requests are sent.
    const raw: Corpus = { ...corpus, exchanges: corpus.exchanges.map(({ response: _r, ...e }) => e) }
    const out = await replayCorpus(raw, { baseline: baseline.url, candidate: candidate.url })
    expect(out.map((r) => r.candidate.status)).toEqual([200, 401, 401, 200, 401, 401])
    expect(out[2]?.sent.candidate.url).toBe(corpus.exchanges[2]?.request.url)
  })

  it('fills secrets the recorder redacted from what each target produced at the same place', async () => {
    // As the recorder writes them: one placeholder for the login token, the session cookie, the Bearer header.
    const R = '[redacted]'
    const redacted: Corpus = {
      ...corpus,
      exchanges: corpus.exchanges.map((e) => ({
        ...e,
        request: { ...e.request, headers: e.request.headers.map(([n, v]): [string, string] => [n, n === 'authorization' ? `Bearer ${R}` : v]) },
        response: e.response && {
          ...e.response,
          headers: e.response.headers.map(([n, v]): [string, string] => [n, n === 'set-cookie' ? v.replace(/=[^;]*/, `=${R}`) : v]),
          body: e.seq === 0 ? { text: JSON.stringify({ token: R, user: e.session }), size: 1 } : e.response.body,
        },
      })),
    }
    const out = await replayCorpus(redacted, { baseline: baseline.url, candidate: candidate.url })
    expect(out.map((r) => [r.baseline.status, r.candidate.status])).toEqual([
      [200, 200],
      [201, 201],
      [200, 200],
      [200, 200],
      [201, 201],
      [200, 200],
    ])
    const token = (JSON.parse(out[0]?.candidate.body?.text ?? '{}') as { token: string }).token
    expect(out[1]?.sent.candidate.headers).toContainEqual(['authorization', `Bearer ${token}`])
  })

  it('fills scenario captures per target', async () => {
    const steps: Exchange[] = [
      { id: 's0', session: 's', seq: 0, request: { method: 'POST', url: '/login', headers: [] }, capture: { token: '/token' } },
      {
        id: 's1',
        session: 's',
        seq: 1,
        request: { method: 'POST', url: '/items', headers: [['authorization', 'Bearer ${token}']], body: { text: '{"name":"x"}', size: 12 } },
        capture: { item: 'header:location' },
      },
      { id: 's2', session: 's', seq: 2, request: { method: 'GET', url: '${item}', headers: [['authorization', 'Bearer ${token}']] } },
    ]
    const out = await replayCorpus({ format: 'scenario', source: 't', exchanges: steps, skipped: [] }, { baseline: baseline.url, candidate: candidate.url })
    expect(out.map((r) => [r.baseline.status, r.candidate.status])).toEqual([
      [200, 200],
      [201, 201],
      [200, 200],
    ])
    expect(out[2]?.sent.baseline.url).toMatch(/^\/items\/[0-9a-f]{12}$/)
  })

  it('runs the baseline twice with a reset between the passes', async () => {
    const resets: string[] = []
    const out = await replayCorpus(corpus, { baseline: baseline.url, candidate: candidate.url }, { twice: true, reset: async (t) => void resets.push(t) })
    expect(resets).toEqual(['baseline', 'candidate', 'baseline'])
    expect(out.every((r) => r.baseline2 && r.baseline2.status === r.baseline.status)).toBe(true)
    // The second pass created its own items: the two baseline answers differ in ids (noise).
    expect(out[1]?.baseline2?.body?.text).not.toBe(out[1]?.baseline.body?.text)
  })

  it('reports a refused and a hanging target per exchange and carries on', async () => {
    const refused = await replayCorpus(corpus, { baseline: baseline.url, candidate: refusedUrl })
    expect(refused).toHaveLength(6)
    expect(refused.map((r) => r.candidate.error?.code)).toEqual(Array(6).fill('refused'))
    expect(refused.map((r) => r.baseline.status)).toEqual([200, 201, 200, 200, 201, 200])

    const hung = await replayCorpus(corpus, { baseline: baseline.url, candidate: hangingUrl }, { timeoutMs: 300 })
    expect(hung.map((r) => r.candidate.error?.code)).toEqual(Array(6).fill('timeout'))
    expect(hung.map((r) => r.candidate.status)).toEqual(Array(6).fill(0))
    expect(hung.map((r) => r.baseline.status)).toEqual([200, 201, 200, 200, 201, 200])

    const crashed = await replayCorpus(corpus, { baseline: `http://127.0.0.1:${(crashing.address() as AddressInfo).port}`, candidate: candidate.url })
    expect(crashed.map((r) => r.baseline.error?.code)).toEqual(Array(6).fill('reset'))
    expect(crashed[0]?.candidate.status).toBe(200)
  })

  it('keeps a huge body as its size and hash only', async () => {
    const ex: Exchange = { id: 'h', session: 'h', seq: 0, request: { method: 'GET', url: '/huge', headers: [] } }
    const [r] = await replayCorpus(
      { format: 'ndjson', source: 't', exchanges: [ex], skipped: [] },
      { baseline: baseline.url, candidate: candidate.url },
      { maxBodyBytes: 64 * 1024 },
    )
    const sha256 = createHash('sha256').update(HUGE).digest('hex')
    expect(r?.baseline.body).toEqual({ size: HUGE.length, sha256 })
    expect(r?.candidate.body).toEqual({ size: HUGE.length, sha256 })
    const gz: Exchange = { id: 'g', session: 'g', seq: 0, request: { method: 'GET', url: '/gz', headers: [['accept-encoding', 'gzip']] } }
    const [z] = await replayCorpus({ format: 'ndjson', source: 't', exchanges: [gz], skipped: [] }, { baseline: baseline.url, candidate: candidate.url })
    expect(z?.candidate.body?.text).toBe('{"zipped":true}')
  })

  it('replays a WebSocket exchange and collects what the server sent', async () => {
    const ex: Exchange = {
      id: 'w',
      session: 'w',
      seq: 0,
      request: {
        method: 'GET',
        url: '/ws',
        headers: [
          ['upgrade', 'websocket'],
          ['connection', 'Upgrade'],
          ['sec-websocket-key', 'dGhlIHNhbXBsZSBub25jZQ=='],
        ],
      },
      ws: [
        { dir: 'out', type: 'text', data: 'hello' },
        { dir: 'in', type: 'text', data: 'hello' },
        { dir: 'out', type: 'binary', data: Buffer.from([1, 2, 3]).toString('base64') },
        { dir: 'in', type: 'binary', data: Buffer.from([1, 2, 3]).toString('base64') },
      ],
    }
    const [r] = await replayCorpus({ format: 'ndjson', source: 't', exchanges: [ex], skipped: [] }, { baseline: baseline.url, candidate: candidate.url })
    for (const side of [r?.baseline, r?.candidate]) {
      expect(side?.status).toBe(101)
      expect(side?.error).toBeUndefined()
      expect(side?.ws?.map(({ dir, type, data }) => ({ dir, type, data }))).toEqual([
        { dir: 'in', type: 'text', data: 'hello' },
        { dir: 'in', type: 'binary', data: 'AQID' },
      ])
    }
    const [down] = await replayCorpus({ format: 'ndjson', source: 't', exchanges: [ex], skipped: [] }, { baseline: baseline.url, candidate: refusedUrl })
    expect(down?.candidate.error?.code).toBe('refused')
  })

  it('sends only to the targets, with the host rewritten and hop-by-hop headers dropped', async () => {
    const ex: Exchange = {
      id: 'x',
      session: 'x',
      seq: 0,
      request: {
        method: 'GET',
        url: 'http://203.0.113.9:1/echo-host',
        headers: [
          ['host', 'api.example.com'],
          ['connection', 'close'],
          ['keep-alive', 'timeout=5'],
        ],
      },
    }
    const [r] = await replayCorpus({ format: 'ndjson', source: 't', exchanges: [ex], skipped: [] }, { baseline: baseline.url, candidate: candidate.url })
    expect(JSON.parse(r?.baseline.body?.text ?? '{}')).toEqual({ host: new URL(baseline.url).host, connection: 'keep-alive' })
    expect(JSON.parse(r?.candidate.body?.text ?? '{}')).toMatchObject({ host: new URL(candidate.url).host })
  })

  it('skips entries for other hosts and opt-outs, and refuses a base URL that is not http(s)', async () => {
    const exchanges: Exchange[] = [
      { id: '1', session: 'o', seq: 0, host: 'cdn.example.com', request: { method: 'GET', url: '/echo-host', headers: [] } },
      { id: '2', session: 'o', seq: 1, host: 'api.example.com', request: { method: 'GET', url: '/echo-host', headers: [] } },
      { id: '3', session: 'o', seq: 2, host: 'api.example.com', skipReplay: true, request: { method: 'POST', url: '/items', headers: [] } },
    ]
    const out = await replayCorpus(
      { format: 'har', source: 't', exchanges, skipped: [], origin: 'api.example.com' },
      { baseline: baseline.url, candidate: candidate.url },
    )
    expect(out.map((r) => r.exchange.id)).toEqual(['2'])
    for (const bad of ['ftp://127.0.0.1/', 'not a url']) {
      const e = await replayCorpus(corpus, { baseline: baseline.url, candidate: bad }).catch((x: unknown) => x)
      expect(isParityError(e) && e.code).toBe('BAD_TARGET_URL')
    }
  })
})

/**
 * Client sessions, not connections: a real client that logs in, creates an item, then reads and
 * updates it, strictly one request after another but over two keep-alive connections, recorded
 * through the real proxy. The corpus holds one session per client, no raw token or cookie, and a
 * replay against the recorded baseline and a fresh instance of the same server shows no status
 * difference (the ids the client created are carried across its connections), the same on two runs.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCorpus } from '../src/verify/corpus.js'
import { startRecorder } from '../src/verify/record.js'
import { replayCorpus } from '../src/verify/replay.js'
import type { Exchange } from '../src/model/exchange.js'
import { startServer, stopServer } from './support/proxy-servers.js'

interface Api {
  server: Server
  url: string
  /** Every token and session cookie value this instance issued. */
  issued: string[]
}

/** A small stateful API: login (bearer token and session cookie), create, public read, authenticated update. */
async function startApi(): Promise<Api> {
  const users = new Map<string, string>() // token or sid -> user
  const items = new Map<string, { id: string; name: string; owner: string }>()
  const issued: string[] = []
  const { server, url } = await startServer((req, res, body) => {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(value))
    }
    const path = (req.url ?? '/').split('?')[0]!
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    const user = (bearer && users.get(bearer)) || (sid && users.get(sid)) || undefined
    if (req.method === 'POST' && path === '/login') {
      const name = (JSON.parse(body.toString() || '{}') as { user?: string }).user ?? 'anon'
      const token = randomBytes(16).toString('hex')
      const session = randomBytes(16).toString('hex')
      users.set(token, name)
      users.set(session, name)
      issued.push(token, session)
      return json(200, { user: name, token }, { 'set-cookie': `sid=${session}; Path=/; HttpOnly` })
    }
    if (req.method === 'POST' && path === '/items') {
      if (!user) return json(401, { error: 'login first' })
      const item = { id: randomUUID(), name: (JSON.parse(body.toString()) as { name: string }).name, owner: user }
      items.set(item.id, item)
      return json(201, { id: item.id }, { location: `/items/${item.id}` })
    }
    const m = /^\/items\/([^/]+)$/.exec(path)
    const item = m ? items.get(m[1]!) : undefined
    if (m && req.method === 'GET') return item ? json(200, { name: item.name, owner: item.owner }) : json(404, { error: 'no such item' })
    if (m && req.method === 'PUT') {
      if (!user) return json(401, { error: 'login first' })
      if (!item) return json(404, { error: 'no such item' })
      item.name = (JSON.parse(body.toString()) as { name: string }).name
      return json(200, { name: item.name, owner: item.owner })
    }
    json(404, { error: 'no route' })
  })
  return { server, url, issued }
}

/**
 * One client: two keep-alive connections (two undici Clients), used in turn, each request sent only
 * once the one before it is answered. `auth` says how it presents its login: a bearer token or the cookie.
 */
async function runClient(proxy: string, name: string, auth: 'bearer' | 'cookie'): Promise<void> {
  const connections = [new Client(proxy, { pipelining: 1 }), new Client(proxy, { pipelining: 1 })]
  let turn = 0
  let credential: Record<string, string> = {}
  const send = async (method: string, path: string, body?: unknown) => {
    const conn = connections[turn++ % 2]!
    const headers: Record<string, string> = { 'x-client-name': name, ...credential }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await conn.request({ method: method as 'GET', path, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const text = await res.body.text()
    return { status: res.statusCode, headers: res.headers, json: JSON.parse(text) as Record<string, string> }
  }
  try {
    const login = await send('POST', '/login', { user: name })
    expect(login.status).toBe(200)
    const cookie = String(login.headers['set-cookie']).split(';')[0]!
    credential = auth === 'bearer' ? { authorization: `Bearer ${login.json.token}` } : { cookie }
    const created = await send('POST', '/items', { name: `${name}-first` })
    expect(created.status).toBe(201)
    expect((await send('GET', `/items/${created.json.id}`)).status).toBe(200)
    expect((await send('PUT', `/items/${created.json.id}`, { name: `${name}-second` })).status).toBe(200)
    expect((await send('GET', `/items/${created.json.id}`)).json.name).toBe(`${name}-second`)
  } finally {
    await Promise.all(connections.map((c) => c.close()))
  }
}

function clientOf(x: Exchange): string | undefined {
  return x.request.headers.find(([n]) => n === 'x-client-name')?.[1]
}

let dir: string
const apis: Api[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parity-sessions-'))
})
afterAll(async () => {
  await Promise.all(apis.map((a) => stopServer(a.server)))
  rmSync(dir, { recursive: true, force: true })
})

async function api(): Promise<Api> {
  const a = await startApi()
  apis.push(a)
  return a
}

describe('record: sessions by client, not by connection', () => {
  it('records one session per client over two connections each, with no raw token or cookie, and replays it without fake 200 vs 404', async () => {
    const baseline = await api()
    const out = join(dir, 'two-clients.ndjson')
    const recorder = await startRecorder({ target: baseline.url, out })
    try {
      // Two clients at once, each strictly sequential over its own two connections.
      await Promise.all([runClient(recorder.url, 'ann', 'bearer'), runClient(recorder.url, 'bob', 'cookie')])
    } finally {
      await recorder.close()
    }
    const text = readFileSync(out, 'utf8')
    for (const secret of baseline.issued) expect(text).not.toContain(secret)
    const corpus = readCorpus(out)
    expect(corpus.exchanges).toHaveLength(10)
    const sessionsOf = (client: string) => new Set(corpus.exchanges.filter((x) => clientOf(x) === client).map((x) => x.session))
    expect(sessionsOf('ann').size).toBe(1)
    expect(sessionsOf('bob').size).toBe(1)
    expect(new Set(corpus.exchanges.map((x) => x.session)).size).toBe(2)
    // Numbered in the order the client sent them, whatever the connection.
    const ann = corpus.exchanges.filter((x) => clientOf(x) === 'ann').sort((a, b) => a.seq - b.seq)
    expect(ann.map((x) => `${x.request.method} ${x.request.url.replace(/[0-9a-f-]{36}/, '{id}')}`)).toEqual([
      'POST /login',
      'POST /items',
      'GET /items/{id}',
      'PUT /items/{id}',
      'GET /items/{id}',
    ])

    // Replayed against the baseline (which still holds what was recorded) and a fresh instance: twice.
    const outcomes: string[][] = []
    for (let run = 0; run < 2; run++) {
      const candidate = await api()
      const replayed = await replayCorpus(corpus, { baseline: baseline.url, candidate: candidate.url })
      const lines = replayed
        .map(
          (r) =>
            `${clientOf(r.exchange)} ${r.exchange.request.method} ${r.exchange.request.url.replace(/[0-9a-f-]{36}/, '{id}')} ${r.baseline.status} ${r.candidate.status}`,
        )
        .sort()
      outcomes.push(lines)
      for (const r of replayed)
        expect(`${r.exchange.request.url} ${r.baseline.status} vs ${r.candidate.status}`).toBe(
          `${r.exchange.request.url} ${r.baseline.status} vs ${r.baseline.status}`,
        )
      // The created item is read back and updated on both sides: the ids were carried across connections.
      expect(lines.filter((l) => l.includes('/items/{id}'))).toEqual([
        'ann GET /items/{id} 200 200',
        'ann GET /items/{id} 200 200',
        'ann PUT /items/{id} 200 200',
        'bob GET /items/{id} 200 200',
        'bob GET /items/{id} 200 200',
        'bob PUT /items/{id} 200 200',
      ])
    }
    expect(outcomes[1]).toEqual(outcomes[0])
  })

  it('groups by a configured client header when a client sends no credential', async () => {
    const baseline = await api()
    const out = join(dir, 'header.ndjson')
    const recorder = await startRecorder({ target: baseline.url, out, sessionHeader: 'X-Client-Id' })
    try {
      for (const id of ['c-1', 'c-2']) {
        const connections = [new Client(recorder.url), new Client(recorder.url)]
        for (let i = 0; i < 4; i++) {
          const res = await connections[i % 2]!.request({ method: 'GET', path: `/items/none-${i}`, headers: { 'x-client-id': id, 'x-client-name': id } })
          await res.body.text()
        }
        await Promise.all(connections.map((c) => c.close()))
      }
    } finally {
      await recorder.close()
    }
    const corpus = readCorpus(out)
    expect(corpus.exchanges).toHaveLength(8)
    const byClient = new Map<string, Set<string>>()
    for (const x of corpus.exchanges) byClient.set(clientOf(x)!, (byClient.get(clientOf(x)!) ?? new Set()).add(x.session))
    expect([...byClient.values()].map((s) => s.size)).toEqual([1, 1])
    expect(new Set(corpus.exchanges.map((x) => x.session)).size).toBe(2)
  })
})

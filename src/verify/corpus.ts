/**
 * The corpus: recorded or hand-written exchanges that replay sends to both systems. Three formats are
 * read into one `Corpus` (docs/corpus.md): HAR 1.2 (browsers, proxies, test tools), parity's own
 * NDJSON (one Exchange per line, what `parity record` writes) and YAML scenario files.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname } from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { ParityError } from '../model/errors.js'
import { answerCredentials, requestCredentials, sessionHeaderCredential } from './client-sessions.js'
import { locateJsonError } from './json-locate.js'
import type { Body, Corpus, Exchange, Headers, WsMessage } from '../model/exchange.js'

export interface ReadCorpusOptions {
  /** The recorded service's host (`api.example.com`, `127.0.0.1:3000` or a URL); default: the most frequent host. */
  origin?: string
  /** Bodies larger than this keep only their size and sha256 (default 1 MiB). */
  maxBodyBytes?: number
  /** HAR: a request header that names the client (`x-client-id`); requests with the same value are one session. */
  sessionHeader?: string
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** Reads a HAR, NDJSON or scenario file; the format comes from the extension, else from the content. */
export function readCorpus(path: string, options: ReadCorpusOptions = {}): Corpus {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new ParityError('CORPUS_NOT_FOUND', `corpus ${path} does not exist`, 'pass a .har, .ndjson or scenario .yaml file')
  }
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '')
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const format = detectFormat(path, text)
  if (format === 'scenario') return { format, source: path, exchanges: readScenario(path, text, max), skipped: [] }
  if (format === 'ndjson') return { format, source: path, ...selectOrigin(path, readNdjson(path, text, max), options.origin) }
  const har = readHar(path, text, max)
  const selected = selectOrigin(path, har.exchanges, options.origin)
  // Sessions from the recorded service's entries only: a third party's cookies say nothing about the client.
  harSessions(selected.exchanges, har.marks, options.sessionHeader)
  return { format, source: path, ...selected }
}

function detectFormat(path: string, text: string): Corpus['format'] {
  const ext = extname(path).toLowerCase()
  if (ext === '.har') return 'har'
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson'
  if (ext === '.yaml' || ext === '.yml') return 'scenario'
  const trimmed = text.trimStart()
  if (!trimmed.startsWith('{')) return 'scenario'
  const firstLine = trimmed.split('\n', 1)[0] ?? ''
  try {
    const first: unknown = JSON.parse(firstLine)
    if (isObject(first) && 'request' in first && !('log' in first)) return 'ndjson'
  } catch {
    // a pretty-printed HAR does not parse line by line
  }
  return 'har'
}

// ---------------------------------------------------------------- bodies

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A body from its bytes: text when valid UTF-8, else base64; past `maxBytes` only size and sha256. */
export function toBody(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BODY_BYTES): Body {
  const size = bytes.byteLength
  if (size > maxBytes) return { size, sha256: createHash('sha256').update(bytes).digest('hex') }
  try {
    return { text: utf8.decode(bytes), size }
  } catch {
    return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), size }
  }
}

function limitBody(body: Body | undefined, maxBytes: number): Body | undefined {
  if (!body || body.sha256 !== undefined) return body
  const bytes = body.text !== undefined ? Buffer.from(body.text, 'utf8') : Buffer.from(body.base64 ?? '', 'base64')
  return bytes.byteLength > maxBytes ? toBody(bytes, maxBytes) : body
}

// ---------------------------------------------------------------- origin

function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase()
  if (h.includes('://')) {
    try {
      h = new URL(h).host
    } catch {
      // keep it as written
    }
  }
  return h.replace(/\/+$/, '').replace(/:(80|443)$/, '')
}

/** Keeps the exchanges of the recorded service; the others are counted per host in `skipped`. */
function selectOrigin(source: string, all: Exchange[], wanted: string | undefined): Pick<Corpus, 'exchanges' | 'skipped' | 'origin'> {
  const counts = new Map<string, number>()
  for (const x of all) if (x.host !== undefined) counts.set(x.host, (counts.get(x.host) ?? 0) + 1)
  if (counts.size === 0) return { exchanges: all, skipped: [] }
  let origin: string | undefined
  if (wanted !== undefined) {
    const want = normalizeHost(wanted)
    origin = [...counts.keys()].find((h) => normalizeHost(h) === want)
    if (origin === undefined) {
      const seen = [...counts].map(([h, n]) => `${h} (${n})`).join(', ')
      throw new ParityError('CORPUS_ORIGIN_NOT_FOUND', `origin ${wanted} matches no entry of ${source}`, `name one of the hosts it holds: ${seen}`)
    }
  } else {
    // the most frequent host; a tie goes to the one seen first
    for (const [h, n] of counts) if (origin === undefined || n > (counts.get(origin) ?? 0)) origin = h
  }
  const exchanges: Exchange[] = []
  const skipped = new Map<string, number>()
  for (const x of all) {
    if (x.host === undefined || x.host === origin) exchanges.push(x)
    else skipped.set(x.host, (skipped.get(x.host) ?? 0) + 1)
  }
  return { exchanges, skipped: [...skipped].map(([host, count]) => ({ host, count })), origin }
}

// ---------------------------------------------------------------- JSON

function parseJson(source: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    const at = locateJsonError(text)
    const where = at ? ` at line ${at.line}, column ${at.column}${at.path ? ` (in ${at.path})` : ''}: ${at.reason}` : `: ${(e as Error).message}`
    throw new ParityError('CORPUS_INVALID_JSON', `${what} ${source} is not valid JSON${where}`, 'the file is truncated or damaged: export or record it again')
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// ---------------------------------------------------------------- HAR 1.2

function harError(source: string, where: string, problem: string): ParityError {
  return new ParityError('CORPUS_BAD_ENTRY', `${source}: ${where} ${problem}`, 'fix or remove that entry, or export the HAR again')
}

function harHeaders(v: unknown): Headers {
  if (!Array.isArray(v)) return []
  const out: Headers = []
  for (const h of v) {
    if (!isObject(h) || typeof h.name !== 'string') continue
    // HTTP/2 pseudo-headers (:authority, :path) are not headers to send
    if (h.name.startsWith(':')) continue
    out.push([h.name.toLowerCase(), String(h.value ?? '')])
  }
  return out
}

function harText(text: unknown, encoding: unknown, max: number): Body | undefined {
  if (typeof text !== 'string') return undefined
  const bytes = encoding === 'base64' ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8')
  return toBody(bytes, max)
}

/** What a HAR entry says about its session: its `pageref`, its `_session`, its answer's bytes. */
interface HarMark {
  page?: string
  explicit?: string
  answer?: Buffer
}

/** HAR 1.2 entries in file order; sessions are assigned by harSessions once the origin is chosen. */
function readHar(source: string, text: string, max: number): { exchanges: Exchange[]; marks: Map<Exchange, HarMark> } {
  const root = parseJson(source, text, 'HAR file')
  if (!isObject(root) || !isObject(root.log)) throw harError(source, 'log', 'is missing: this is not a HAR file')
  const entries = root.log.entries
  if (!Array.isArray(entries)) throw harError(source, 'log.entries', 'is missing or not a list')
  const marks = new Map<Exchange, HarMark>()
  const exchanges = entries.map((entry: unknown, i): Exchange => {
    const at = `log.entries[${i}]`
    if (!isObject(entry)) throw harError(source, at, 'is not an object')
    const req = entry.request
    if (!isObject(req)) throw harError(source, `${at}.request`, 'is missing')
    if (typeof req.method !== 'string' || !req.method) throw harError(source, `${at}.request.method`, 'is missing')
    if (typeof req.url !== 'string') throw harError(source, `${at}.request.url`, 'is missing')
    let url: URL
    try {
      url = new URL(req.url)
    } catch {
      throw harError(source, `${at}.request.url`, `is not an absolute URL: ${JSON.stringify(req.url.slice(0, 120))}`)
    }
    const web = ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)
    const x: Exchange = {
      id: `har-${i}`,
      session: 'har',
      seq: i,
      // data:, blob: and extension URLs are counted under their scheme and never replayed
      host: web ? url.host.toLowerCase() : url.protocol,
      request: { method: req.method.toUpperCase(), url: url.pathname + url.search, headers: harHeaders(req.headers) },
    }
    if (typeof entry.startedDateTime === 'string') x.startedAt = entry.startedDateTime
    const post = req.postData
    // HAR 1.2 `bodySize`: the bytes sent, -1 when unknown.
    const sent = typeof req.bodySize === 'number' && req.bodySize > 0 ? req.bodySize : 0
    if (isObject(post)) {
      let body = harText(post.text, post.encoding, max)
      const params = Array.isArray(post.params) ? post.params.filter(isObject) : []
      if (!body && params.some((p) => p.fileName !== undefined)) {
        // An upload: the HAR names its files but does not hold their bytes.
        body = { size: sent, omitted: true }
      } else if (!body && params.length) {
        const form = new URLSearchParams()
        for (const p of params) if (typeof p.name === 'string') form.append(p.name, String(p.value ?? ''))
        body = toBody(Buffer.from(form.toString(), 'utf8'), max)
      }
      if (body && !body.omitted && body.sha256 === undefined && sent > body.size) body = { size: sent, omitted: true } // a HAR exported without (all of) the content
      if (body) x.request.body = body
    } else if (sent > 0) x.request.body = { size: sent, omitted: true }
    const res = entry.response
    if (isObject(res) && typeof res.status === 'number' && res.status > 0) {
      x.response = { status: res.status, headers: harHeaders(res.headers) }
      const content = isObject(res.content) ? res.content : {}
      const body = harText(content.text, content.encoding, max)
      if (body) x.response.body = body
    }
    const ws = harWebSocket(entry._webSocketMessages)
    if (ws) x.ws = ws
    const mark: HarMark = {}
    if (typeof entry.pageref === 'string' && entry.pageref) mark.page = entry.pageref
    if (typeof entry._session === 'string' && entry._session) mark.explicit = entry._session
    const answer = x.response?.body
    if (answer?.text !== undefined) mark.answer = Buffer.from(answer.text, 'utf8')
    else if (answer?.base64 !== undefined) mark.answer = Buffer.from(answer.base64, 'base64')
    marks.set(x, mark)
    return x
  })
  return { exchanges, marks }
}

/**
 * A HAR's sessions. An entry's `_session` (a custom field some tools write) names its session.
 * The other entries are grouped by client: entries of one page (`pageref`) belong together, and so
 * do entries that present the same credential (Authorization token, session cookie, secret header,
 * the `sessionHeader` value) or one that an earlier entry's answer issued (a login). A file with at
 * most one such client is one session `har`, as a browser's pages share cookies and storage and later
 * pages use what earlier ones created; a file with several is split into `har-1`, `har-2`... and an
 * entry that names no client stays with the entry before it. Within a session, entries are in the
 * order they started (`startedDateTime`), else in file order.
 */
function harSessions(exchanges: Exchange[], marks: Map<Exchange, HarMark>, sessionHeader: string | undefined): void {
  const parent = exchanges.map((_, i) => i)
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!
      i = parent[i]!
    }
    return i
  }
  const join = (a: number, b: number): void => {
    const [ra, rb] = [root(a), root(b)]
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }
  const pages = new Map<string, number>()
  const owners = new Map<string, number>()
  const credentialed = new Set<number>()
  exchanges.forEach((x, i) => {
    const mark = marks.get(x) ?? {}
    if (mark.explicit) return
    if (mark.page) {
      const first = pages.get(mark.page)
      if (first === undefined) pages.set(mark.page, i)
      else join(first, i)
    }
    const named = sessionHeaderCredential(x.request.headers, sessionHeader)
    const presented = named ? [named] : requestCredentials(x.request.headers)
    if (presented.length) credentialed.add(i)
    for (const c of presented) {
      const owner = owners.get(c)
      if (owner === undefined) owners.set(c, i)
      else join(owner, i)
    }
    if (!x.response) return
    for (const c of answerCredentials(x.response.headers, mark.answer, sessionHeader)) {
      credentialed.add(i)
      if (!owners.has(c)) owners.set(c, i)
    }
  })
  const clients = new Set([...credentialed].map(root))
  const names = new Map<number, string>()
  let previous: string | undefined
  exchanges.forEach((x, i) => {
    const explicit = marks.get(x)?.explicit
    if (explicit) {
      x.session = explicit
      return
    }
    const r = root(i)
    if (clients.size <= 1) x.session = 'har'
    else if (clients.has(r)) {
      if (!names.has(r)) names.set(r, `har-${names.size + 1}`)
      x.session = names.get(r)!
    } else {
      // No client named: the entry before it (the same browser's flow), or the first client.
      const first = [...clients].sort((a, b) => a - b)[0]!
      if (!names.has(first) && previous === undefined) names.set(first, `har-${names.size + 1}`)
      x.session = previous ?? names.get(first)!
    }
    previous = x.session
  })
  const bySession = new Map<string, Array<{ x: Exchange; i: number; at: number }>>()
  exchanges.forEach((x, i) => {
    const at = x.startedAt ? Date.parse(x.startedAt) : Number.NaN
    const list = bySession.get(x.session) ?? []
    list.push({ x, i, at })
    bySession.set(x.session, list)
  })
  for (const list of bySession.values()) {
    if (list.every((e) => Number.isFinite(e.at))) list.sort((a, b) => a.at - b.at || a.i - b.i)
    list.forEach((e, seq) => (e.x.seq = seq))
  }
}

/** Chrome's `_webSocketMessages`: type send/receive, time in seconds, opcode 1 text / 2 binary (base64). */
function harWebSocket(v: unknown): WsMessage[] | undefined {
  if (!Array.isArray(v)) return undefined
  let start: number | undefined
  const out: WsMessage[] = []
  for (const m of v) {
    if (!isObject(m) || typeof m.data !== 'string') continue
    const msg: WsMessage = { dir: m.type === 'send' ? 'out' : 'in', type: m.opcode === 2 ? 'binary' : 'text', data: m.data }
    if (typeof m.time === 'number') {
      start ??= m.time
      msg.at = Math.round((m.time - start) * 1000)
    }
    out.push(msg)
  }
  return out
}

// ---------------------------------------------------------------- NDJSON

/** The first reason `v` is not an Exchange, or undefined. */
function exchangeProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'is not a JSON object'
  if (typeof v.id !== 'string') return 'has no string "id"'
  if (typeof v.session !== 'string') return 'has no string "session"'
  if (typeof v.seq !== 'number' || !Number.isInteger(v.seq)) return 'has no integer "seq"'
  if (v.host !== undefined && typeof v.host !== 'string') return '"host" is not a string'
  if (!isObject(v.request)) return 'has no "request" object'
  const r = v.request
  if (typeof r.method !== 'string' || !r.method) return 'request.method is not a string'
  if (typeof r.url !== 'string' || !r.url.startsWith('/')) return 'request.url is not a path starting with /'
  const headers = headersProblem(r.headers, 'request.headers') ?? bodyProblem(r.body, 'request.body')
  if (headers) return headers
  if (v.response !== undefined) {
    if (!isObject(v.response)) return '"response" is not an object'
    const s = v.response
    if (typeof s.status !== 'number') return 'response.status is not a number'
    const p = headersProblem(s.headers, 'response.headers') ?? bodyProblem(s.body, 'response.body')
    if (p) return p
  }
  if (v.ws !== undefined) {
    if (!Array.isArray(v.ws)) return '"ws" is not a list'
    const bad = v.ws.findIndex(
      (m) => !isObject(m) || (m.dir !== 'in' && m.dir !== 'out') || (m.type !== 'text' && m.type !== 'binary') || typeof m.data !== 'string',
    )
    if (bad >= 0) return `ws[${bad}] is not a message {dir, type, data}`
  }
  if (v.capture !== undefined && (!isObject(v.capture) || Object.values(v.capture).some((c) => typeof c !== 'string')))
    return '"capture" is not a map of strings'
  if (v.expect !== undefined && !isObject(v.expect)) return '"expect" is not an object'
  return undefined
}

function headersProblem(h: unknown, where: string): string | undefined {
  if (!Array.isArray(h)) return `${where} is not a list`
  const ok = h.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string')
  return ok ? undefined : `${where} is not a list of [name, value] pairs`
}

function bodyProblem(b: unknown, where: string): string | undefined {
  if (b === undefined) return undefined
  if (!isObject(b) || typeof b.size !== 'number') return `${where} has no "size"`
  if (b.text !== undefined && typeof b.text !== 'string') return `${where}.text is not a string`
  if (b.base64 !== undefined && typeof b.base64 !== 'string') return `${where}.base64 is not a string`
  if (b.omitted !== undefined && typeof b.omitted !== 'boolean') return `${where}.omitted is not true or false`
  // Node decodes invalid base64 to whatever bytes it can: garbage that could then compare "equal".
  if (typeof b.base64 === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(b.base64.replace(/\s+/g, ''))) return `${where}.base64 is not valid base64`
  return undefined
}

function readNdjson(source: string, text: string, max: number): Exchange[] {
  const out: Exchange[] = []
  const lines = text.split('\n')
  const ids = new Map<string, number>()
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (!line) return
    const v = parseJson(`${source} line ${i + 1}`, line, 'NDJSON corpus')
    const problem = exchangeProblem(v)
    if (problem) {
      throw new ParityError(
        'CORPUS_BAD_LINE',
        `${source} line ${i + 1} is not an exchange: it ${problem}`,
        'each line holds one Exchange as docs/corpus.md describes',
      )
    }
    const x = v as Exchange
    // Two exchanges under one id: a file concatenated twice, or edited by hand; which one counts would be a guess.
    const first = ids.get(x.id)
    if (first !== undefined) {
      throw new ParityError(
        'CORPUS_BAD_LINE',
        `${source} line ${i + 1} repeats the id ${x.id} of line ${first}`,
        'give each exchange its own id (a recording never repeats one)',
      )
    }
    ids.set(x.id, i + 1)
    x.request.headers = x.request.headers.map(([n, v]) => [n.toLowerCase(), v])
    x.request.body = limitBody(x.request.body, max)
    if (x.request.body === undefined) delete x.request.body
    if (x.response) {
      x.response.headers = x.response.headers.map(([n, v]) => [n.toLowerCase(), v])
      x.response.body = limitBody(x.response.body, max)
      if (x.response.body === undefined) delete x.response.body
    }
    out.push(x)
  })
  return out
}

// ---------------------------------------------------------------- scenarios

const REF = /\$\{([A-Za-z_][\w.-]*)\}/g

function scenarioError(source: string, where: string, problem: string): ParityError {
  return new ParityError('CORPUS_BAD_STEP', `${source}: ${where} ${problem}`, 'see docs/corpus.md for the scenario format')
}

/**
 * A YAML scenario: `sessions` (a list of `{ name, steps }` or a map name -> steps) or a flat `steps`
 * list; optional `vars` are substituted when read. Each step becomes an Exchange with no response.
 */
function readScenario(source: string, text: string, max: number): Exchange[] {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { prettyErrors: false, lineCounter })
  const err = doc.errors[0]
  if (err) {
    const pos = lineCounter.linePos(err.pos[0])
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : ''
    throw new ParityError('CORPUS_INVALID_YAML', `scenario ${source} is not valid YAML${at}: ${err.message.split('\n')[0]}`, 'fix the YAML syntax there')
  }
  let root: unknown
  try {
    root = doc.toJS({ maxAliasCount: 100 })
  } catch (e) {
    throw new ParityError(
      'CORPUS_INVALID_YAML',
      `scenario ${source}: ${(e as Error).message.split('\n')[0]}`,
      'write the values out instead of through so many aliases',
    )
  }
  if (!isObject(root)) throw scenarioError(source, 'the file', 'is not a map with `steps` or `sessions`')
  const vars = new Map<string, string>()
  if (root.vars !== undefined) {
    if (!isObject(root.vars)) throw scenarioError(source, 'vars', 'is not a map')
    for (const [k, v] of Object.entries(root.vars)) vars.set(k, String(v))
  }
  const sessions: Array<{ name: string; where: string; steps: unknown }> = []
  if (Array.isArray(root.sessions)) {
    root.sessions.forEach((s: unknown, i) => {
      const where = `sessions[${i}]`
      if (!isObject(s)) throw scenarioError(source, where, 'is not a map with `steps`')
      sessions.push({ name: typeof s.name === 'string' ? s.name : `session-${i + 1}`, where, steps: s.steps })
    })
  } else if (isObject(root.sessions)) {
    for (const [name, steps] of Object.entries(root.sessions)) sessions.push({ name, where: `sessions.${name}`, steps })
  } else if (root.steps !== undefined) {
    sessions.push({ name: 'main', where: '', steps: root.steps })
  } else {
    throw scenarioError(source, 'the file', 'has neither `steps` nor `sessions`')
  }
  const out: Exchange[] = []
  for (const s of sessions) {
    const stepsAt = s.where ? `${s.where}.steps` : 'steps'
    if (!Array.isArray(s.steps)) throw scenarioError(source, stepsAt, 'is not a list')
    const captured = new Set<string>()
    s.steps.forEach((step: unknown, i) => {
      const where = `${stepsAt}[${i}]`
      const x = readStep(source, where, step, max, vars, captured)
      x.id = `${s.name}#${i + 1}`
      x.session = s.name
      x.seq = i
      out.push(x)
    })
  }
  return out
}

function readStep(source: string, where: string, step: unknown, max: number, vars: Map<string, string>, captured: Set<string>): Exchange {
  if (!isObject(step)) throw scenarioError(source, where, 'is not a map')
  // `${name}` is a var (filled now) or a value an earlier step captured (filled per target by replay)
  const fill = (value: string, field: string): string =>
    value.replace(REF, (whole, name: string) => {
      const v = vars.get(name)
      if (v !== undefined) return v
      if (captured.has(name)) return whole
      throw scenarioError(source, `${where}.${field}`, `uses \${${name}}, which no earlier step of its session captures and no var defines`)
    })
  const headers: Headers = []
  if (step.headers !== undefined) {
    if (!isObject(step.headers)) throw scenarioError(source, `${where}.headers`, 'is not a map of name: value')
    for (const [n, v] of Object.entries(step.headers)) headers.push([n.toLowerCase(), fill(String(v), `headers.${n}`)])
  }
  if (step.ws !== undefined) return readWsStep(source, where, step, headers, fill)
  if (typeof step.method !== 'string' || !step.method) throw scenarioError(source, `${where}.method`, 'is missing')
  if (typeof step.path !== 'string' || !step.path.startsWith('/')) throw scenarioError(source, `${where}.path`, 'is missing or does not start with /')
  const x: Exchange = { id: '', session: '', seq: 0, request: { method: step.method.toUpperCase(), url: fill(step.path, 'path'), headers } }
  if (step.body !== undefined && step.body !== null) {
    const isText = typeof step.body === 'string'
    const text = fill(isText ? (step.body as string) : JSON.stringify(step.body), 'body')
    if (!isText && !headers.some(([n]) => n === 'content-type')) headers.push(['content-type', 'application/json'])
    x.request.body = toBody(Buffer.from(text, 'utf8'), max)
  }
  if (step.capture !== undefined) {
    if (!isObject(step.capture)) throw scenarioError(source, `${where}.capture`, 'is not a map of name: pointer')
    const capture: Record<string, string> = {}
    for (const [name, ptr] of Object.entries(step.capture)) {
      if (typeof ptr !== 'string' || !(ptr === '' || ptr.startsWith('/') || /^header:\S+$/i.test(ptr))) {
        throw scenarioError(source, `${where}.capture.${name}`, 'is neither a JSON Pointer (/id, /items/0/id) nor header:<name>')
      }
      capture[name] = ptr.toLowerCase().startsWith('header:') ? `header:${ptr.slice(7).toLowerCase()}` : ptr
    }
    x.capture = capture
  }
  if (step.expect !== undefined) {
    if (!isObject(step.expect)) throw scenarioError(source, `${where}.expect`, 'is not a map with status and/or body')
    const expect: NonNullable<Exchange['expect']> = {}
    if (step.expect.status !== undefined) {
      if (typeof step.expect.status !== 'number') throw scenarioError(source, `${where}.expect.status`, 'is not a number')
      expect.status = step.expect.status
    }
    if (step.expect.body !== undefined) expect.body = step.expect.body
    x.expect = expect
  }
  if (step.skipReplay === true) x.skipReplay = true
  // captures become usable by the steps after this one
  for (const name of Object.keys(x.capture ?? {})) captured.add(name)
  return x
}

/** `ws: /path` with `send`/`expect` lists, or `messages: [{ send }, { expect }]` to interleave them. */
function readWsStep(source: string, where: string, step: Record<string, unknown>, headers: Headers, fill: (v: string, field: string) => string): Exchange {
  if (typeof step.ws !== 'string' || !step.ws.startsWith('/')) throw scenarioError(source, `${where}.ws`, 'is not a path starting with /')
  const ws: WsMessage[] = []
  const message = (dir: 'in' | 'out', v: unknown, field: string): WsMessage => {
    if (isObject(v) && typeof v.binary === 'string') return { dir, type: 'binary', data: v.binary }
    return { dir, type: 'text', data: fill(typeof v === 'string' ? v : JSON.stringify(v), field) }
  }
  if (step.messages !== undefined) {
    if (!Array.isArray(step.messages)) throw scenarioError(source, `${where}.messages`, 'is not a list')
    step.messages.forEach((m: unknown, i) => {
      const field = `messages[${i}]`
      if (isObject(m) && 'send' in m) ws.push(message('out', m.send, field))
      else if (isObject(m) && 'expect' in m) ws.push(message('in', m.expect, field))
      else throw scenarioError(source, `${where}.${field}`, 'is neither { send: ... } nor { expect: ... }')
    })
  }
  for (const [key, dir] of [
    ['send', 'out'],
    ['expect', 'in'],
  ] as const) {
    const list = step[key]
    if (list === undefined) continue
    if (!Array.isArray(list)) throw scenarioError(source, `${where}.${key}`, 'is not a list of messages')
    list.forEach((m: unknown, i) => ws.push(message(dir, m, `${key}[${i}]`)))
  }
  return { id: '', session: '', seq: 0, request: { method: 'GET', url: fill(step.ws, 'ws'), headers }, ws }
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readCorpus } from '../src/verify/corpus.js'
import { appendNdjson, writeNdjson } from './support/corpus-files.js'
import { redactExchange } from '../src/verify/redact.js'
import type { Exchange } from '../src/model/exchange.js'

const dir = mkdtempSync(join(tmpdir(), 'parity-redact-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SECRETS = [
  'hunter2',
  'tok-abc123',
  's3cr3t',
  'refresh-999',
  'cs-777',
  'key-42',
  'proxy-pw',
  'deep-pw',
  'q-token',
  'form-pw',
  'ws-token',
  'mine-1',
  'custom-field',
]

const text = (v: unknown) => {
  const t = typeof v === 'string' ? v : JSON.stringify(v)
  return { text: t, size: Buffer.byteLength(t) }
}

function exchange(): Exchange {
  return {
    id: 'x1',
    session: 's',
    seq: 0,
    host: '127.0.0.1:3000',
    request: {
      method: 'POST',
      url: '/api/login?access_token=q-token&page=2',
      headers: [
        ['content-type', 'application/json'],
        ['authorization', 'Bearer tok-abc123'],
        ['proxy-authorization', 'Basic proxy-pw'],
        ['cookie', 'sid=s3cr3t; theme=dark'],
        ['x-api-key', 'key-42'],
        ['x-mine', 'mine-1'],
        ['accept', 'application/json'],
      ],
      body: text({
        user: 'alice',
        password: 'hunter2',
        profile: { newPassword: 'deep-pw', tokens_used: 12 },
        clients: [{ client_secret: 'cs-777' }],
        extra: 'custom-field',
      }),
    },
    response: {
      status: 200,
      headers: [
        ['content-type', 'application/json; charset=utf-8'],
        ['set-cookie', 'sid=s3cr3t; Path=/; HttpOnly; SameSite=Lax'],
        ['set-cookie', 'theme=dark; Max-Age=60'],
      ],
      body: text({ token: 'tok-abc123', refresh_token: 'refresh-999', tokenType: 'Bearer', expiresIn: 3600 }),
    },
    ws: [{ dir: 'out', type: 'text', data: '{"auth":{"Token":"ws-token"},"op":"sub"}' }],
  }
}

describe('redactExchange', () => {
  const options = { headers: ['X-Mine'], fields: ['extra'] }

  it('writes nothing secret to the NDJSON file and keeps every name', () => {
    const original = exchange()
    const path = join(dir, 'redacted.ndjson')
    writeNdjson(path, [redactExchange(original, options)])
    appendNdjson(path, redactExchange({ ...exchange(), id: 'x2', seq: 1 }, options))
    const written = readFileSync(path, 'utf8')
    for (const secret of SECRETS) expect(written, secret).not.toContain(secret)
    const [x] = readCorpus(path).exchanges
    expect(x?.request.url).toBe('/api/login?access_token=[redacted]&page=2')
    expect(x?.request.headers).toEqual([
      ['content-type', 'application/json'],
      ['authorization', 'Bearer [redacted]'],
      ['proxy-authorization', 'Basic [redacted]'],
      ['cookie', 'sid=[redacted]; theme=[redacted]'],
      ['x-api-key', '[redacted]'],
      ['x-mine', '[redacted]'],
      ['accept', 'application/json'],
    ])
    expect(JSON.parse(x?.request.body?.text ?? '')).toEqual({
      user: 'alice',
      password: '[redacted]',
      profile: { newPassword: '[redacted]', tokens_used: 12 },
      clients: [{ client_secret: '[redacted]' }],
      extra: '[redacted]',
    })
    expect(x?.request.body?.size).toBe(Buffer.byteLength(x?.request.body?.text ?? ''))
    expect(x?.response?.headers).toEqual([
      ['content-type', 'application/json; charset=utf-8'],
      ['set-cookie', 'sid=[redacted]; Path=/; HttpOnly; SameSite=Lax'],
      ['set-cookie', 'theme=[redacted]; Max-Age=60'],
    ])
    expect(JSON.parse(x?.response?.body?.text ?? '')).toEqual({ token: '[redacted]', refresh_token: '[redacted]', tokenType: 'Bearer', expiresIn: 3600 })
    expect(JSON.parse(x?.ws?.[0]?.data ?? '')).toEqual({ auth: { Token: '[redacted]' }, op: 'sub' })
    // the input is not changed
    expect(original).toEqual(exchange())
  })

  it('redacts form-urlencoded fields alike', () => {
    const x = exchange()
    x.request.headers = [['content-type', 'application/x-www-form-urlencoded; charset=utf-8']]
    x.request.body = text('user=alice&Password=form-pw&api%5Fkey=key-42&next=%2Fhome')
    const out = redactExchange(x)
    expect(out.request.body?.text).toBe('user=alice&Password=[redacted]&api%5Fkey=[redacted]&next=%2Fhome')
  })

  it('leaves bodies that hold no secret byte for byte', () => {
    const x = exchange()
    const body = text('{ "user": "alice",  "n": 1.0 }')
    x.request.body = body
    x.response = { status: 204, headers: [] }
    expect(redactExchange(x).request.body).toBe(body)
    const bin = { base64: 'AAEC', size: 3 }
    x.request.body = bin
    expect(redactExchange(x).request.body).toBe(bin)
  })

  it('returns the exchange unchanged with keep', () => {
    const x = exchange()
    expect(redactExchange(x, { keep: true })).toBe(x)
    expect(JSON.stringify(redactExchange(x, { keep: true }))).toContain('hunter2')
  })
})

describe('redaction of what real clients send', () => {
  const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"sub":"alice"}').toString('base64url')}.c2lnbmF0dXJl`
  const base = (request: Exchange['request'], response?: Exchange['response']): Exchange =>
    ({ id: 'g', session: 's', seq: 0, host: '127.0.0.1', request, ...(response ? { response } : {}) }) as Exchange

  it('decodes gzip, deflate and br bodies, redacts them, and stores them decoded with the header dropped', async () => {
    const { gzipSync, brotliCompressSync, deflateSync } = await import('node:zlib')
    for (const [encoding, pack] of [
      ['gzip', gzipSync],
      ['br', brotliCompressSync],
      ['deflate', deflateSync],
    ] as const) {
      const packed = pack(Buffer.from(JSON.stringify({ user: 'alice', password: 'gz-pw-1', nested: { hint: jwt } })))
      const x = redactExchange(
        base(
          {
            method: 'POST',
            url: '/login',
            headers: [
              ['content-type', 'application/json'],
              ['content-encoding', encoding],
              ['content-length', String(packed.length)],
            ],
            body: { base64: packed.toString('base64'), size: packed.length },
          },
          {
            status: 200,
            headers: [
              ['content-type', 'application/json'],
              ['content-encoding', encoding],
            ],
            body: { base64: pack(Buffer.from(JSON.stringify({ token: 'gz-tok-2' }))).toString('base64'), size: 1 },
          },
        ),
      )
      const stored = JSON.stringify(x)
      expect(stored, encoding).not.toContain('gz-pw-1')
      expect(stored, encoding).not.toContain('gz-tok-2')
      expect(stored, encoding).not.toContain(jwt)
      expect(JSON.parse(x.request.body!.text!)).toEqual({ user: 'alice', password: '[redacted]', nested: { hint: '[redacted]' } })
      expect(x.request.headers.map(([n]) => n)).toEqual(['content-type', 'content-length'])
      expect(x.request.headers[1]![1]).toBe(String(x.request.body!.size))
    }
  })

  it('knows the common names of secret headers, fields and query parameters, multipart fields, and JWTs under any name', () => {
    const boundary = 'XyZ'
    const multipart = `--${boundary}\r\ncontent-disposition: form-data; name="username"\r\n\r\nalice\r\n--${boundary}\r\ncontent-disposition: form-data; name="password"\r\n\r\nmp-pw-3\r\n--${boundary}--\r\n`
    const x = redactExchange(
      base({
        method: 'POST',
        url: `/cb?key=q-key-4&sig=q-sig-5&page=2&next=${jwt}`,
        headers: [
          ['x-auth-token', 'h-1'],
          ['api-key', 'h-2'],
          ['x-goog-api-key', 'h-3'],
          ['x-csrf-token', 'h-4'],
          ['x-trace', jwt],
          ['content-type', `multipart/form-data; boundary=${boundary}`],
          ['accept', 'text/html'],
        ],
        body: { text: multipart, size: multipart.length },
      }),
    )
    const json = redactExchange(
      base({
        method: 'POST',
        url: '/x',
        headers: [['content-type', 'application/json']],
        body: {
          text: JSON.stringify({
            jwt: 'j-6',
            bearer: 'b-7',
            session: 's-8',
            refresh: 'r-9',
            otp: '123456',
            pin: '0000',
            primaryKey: 'pk-keep',
            zipcode: '75001',
            note: jwt,
          }),
          size: 1,
        },
      }),
    )
    const stored = JSON.stringify([x, json])
    for (const secret of ['q-key-4', 'q-sig-5', 'h-1', 'h-2', 'h-3', 'h-4', 'mp-pw-3', 'j-6', 'b-7', 's-8', 'r-9', '123456', '"0000"', jwt])
      expect(stored, secret).not.toContain(secret)
    // Names stay, and what is no secret is kept.
    expect(stored).toContain('pk-keep')
    expect(stored).toContain('75001')
    expect(x.request.url).toContain('page=2')
    expect(x.request.body!.text).toContain('name="password"')
    expect(x.request.headers.find(([n]) => n === 'accept')![1]).toBe('text/html')
  })

  it('takes more names from --redact-header and --redact-field', () => {
    const x = redactExchange(base({ method: 'GET', url: '/x?tenant=t-10', headers: [['x-tenant', 't-11']] }), { headers: ['X-Tenant'], fields: ['tenant'] })
    expect(JSON.stringify(x)).not.toMatch(/t-1[01]/)
  })
})

describe('redaction of what a replay stores', () => {
  it('a URL held in a value loses its secret query parameters, in a difference and in a learned rule’s reason', async () => {
    const { redactDifference } = await import('../src/verify/redact.js')
    const { learnNoise } = await import('../src/verify/noise.js')
    const url = (s: string) => `otpauth://totp/bookmarks:ada?secret=${s}&issuer=bookmarks`
    const d = redactDifference({ where: 'body', pointer: '/otpauthUrl', kind: 'missing', baseline: url('KDZD63BL5OK4'), candidate: undefined })
    expect(d.baseline).toBe('otpauth://totp/bookmarks:ada?secret=[redacted]&issuer=bookmarks')
    const answer = (s: string) => ({
      status: 200,
      headers: [['content-type', 'application/json']] as Array<[string, string]>,
      durationMs: 1,
      body: { text: JSON.stringify({ otpauthUrl: url(s) }), size: 1 },
    })
    const request = { method: 'POST', url: '/api/auth/2fa/setup', headers: [] }
    const rules = learnNoise(
      [
        {
          exchange: { id: '1', session: 's', seq: 0, request },
          sent: { baseline: request, candidate: request },
          baseline: answer('AAAA1111'),
          baseline2: answer('BBBB2222'),
          candidate: answer('CCCC'),
        },
      ],
      () => 'POST /api/auth/2fa/setup',
    )
    expect(rules.map((r) => r.pointer)).toEqual(['/otpauthUrl'])
    expect(rules[0]!.reason).not.toMatch(/AAAA1111|BBBB2222/)
    // And in a stored exchange's JSON body.
    const { redactExchange } = await import('../src/verify/redact.js')
    const body = redactExchange({
      id: '1',
      session: 's',
      seq: 0,
      request,
      response: { status: 200, headers: [['content-type', 'application/json']], body: answer('DDDD4444').body },
    })
    expect(body.response?.body?.text).toBe(JSON.stringify({ otpauthUrl: url('[redacted]') }))
  })
})

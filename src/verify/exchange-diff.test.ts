import { describe, expect, it } from 'vitest'
import { answer, rx } from '../../test/support/replayed.js'
import type { IgnoreRule, TargetResponse } from '../model/exchange.js'
import type { Normalizer } from './diff/context.js'
import { compareExchange } from './exchange-diff.js'

const pair = (b: string, c: string, options?: Parameters<typeof compareExchange>[2], rules: IgnoreRule[] = []) =>
  compareExchange(rx('/api/things/1', answer(b), answer(c)), rules, options)

describe('compareExchange: planted differences', () => {
  const base = { id: 1, name: 'a', tags: ['x', 'y'], price: 10, meta: { n: 1 } }
  it('equal bodies are equal', () => {
    expect(pair(JSON.stringify(base), JSON.stringify(base))).toEqual({ outcome: 'equal', differences: [], normalized: [], ignored: [] })
  })
  it('missing, extra, type and value, each exactly once', () => {
    const cand = { id: 1, name: 2, tags: ['x', 'z'], extraField: true, meta: { n: 1 } }
    const v = pair(JSON.stringify(base), JSON.stringify(cand))
    expect(v.outcome).toBe('different')
    expect(v.differences).toEqual([
      { where: 'body', pointer: '/name', kind: 'type', baseline: 'a', candidate: 2 },
      { where: 'body', pointer: '/tags/1', kind: 'value', baseline: 'y', candidate: 'z' },
      { where: 'body', pointer: '/price', kind: 'missing', baseline: 10, candidate: undefined },
      { where: 'body', pointer: '/extraField', kind: 'extra', baseline: undefined, candidate: true },
    ])
  })
  it('array order change versus content change', () => {
    const order = pair('{"t":[{"a":1},{"a":2},{"a":3}]}', '{"t":[{"a":3},{"a":1},{"a":2}]}')
    expect(order.differences).toEqual([
      { where: 'body', pointer: '/t', kind: 'order', baseline: [{ a: 1 }, { a: 2 }, { a: 3 }], candidate: [{ a: 3 }, { a: 1 }, { a: 2 }] },
    ])
    const content = pair('{"t":[1,2,3]}', '{"t":[1,2,4]}')
    expect(content.differences).toEqual([{ where: 'body', pointer: '/t/2', kind: 'value', baseline: 3, candidate: 4 }])
    const longer = pair('{"t":[1,2]}', '{"t":[1,2,3]}')
    expect(longer.differences).toEqual([{ where: 'body', pointer: '/t/2', kind: 'extra', baseline: undefined, candidate: 3 }])
  })
  it('status and meaningful headers; other headers are not compared', () => {
    const b = answer('{}', 200, [
      ['content-type', 'application/json; charset=utf-8'],
      ['cache-control', 'no-cache, max-age=0'],
      ['x-powered-by', 'Express'],
    ])
    const c = answer('{}', 201, [
      ['content-type', 'application/json'],
      ['cache-control', 'max-age=0,no-cache'],
      ['www-authenticate', 'Bearer'],
    ])
    const v = compareExchange(rx('/a', b, c), [])
    expect(v.differences).toEqual([
      { where: 'status', pointer: '', kind: 'value', baseline: 200, candidate: 201 },
      { where: 'header', pointer: 'www-authenticate', kind: 'extra', baseline: undefined, candidate: 'Bearer' },
    ])
    const html = compareExchange(
      rx('/a', answer('x', 200, [['content-type', 'text/html; charset=utf-8']]), answer('x', 200, [['content-type', 'text/html; charset=latin1']])),
      [],
    )
    expect(html.differences.map((d) => d.pointer)).toEqual(['content-type'])
  })
  it('location by path with correlated ids; set-cookie by name and attributes', () => {
    const b = answer('', 201, [
      ['location', 'http://old:3000/api/things/42'],
      ['set-cookie', 'sid=abc; Path=/; HttpOnly'],
      ['set-cookie', 'theme=1; Path=/'],
    ])
    const c = answer('', 201, [
      ['location', '/api/things/97'],
      ['set-cookie', 'sid=zzz; HttpOnly; path=/'],
      ['set-cookie', 'lang=en'],
    ])
    const v = compareExchange(rx('/api/things', b, c, undefined, 'POST'), [])
    expect(v.differences).toEqual([
      { where: 'header', pointer: 'set-cookie/theme', kind: 'missing', baseline: 'path=/', candidate: undefined },
      { where: 'header', pointer: 'set-cookie/lang', kind: 'extra', baseline: undefined, candidate: '' },
    ])
    expect(v.ignored).toEqual(['header:location'])
    const moved = compareExchange(rx('/x', answer('', 302, [['location', '/login']]), answer('', 302, [['location', '/signin']])), [])
    expect(moved.differences).toEqual([{ where: 'header', pointer: 'location', kind: 'value', baseline: '/login', candidate: '/signin' }])
  })
  it('a body labelled JSON that does not parse', () => {
    const oneSide = pair('{"ok":true}', 'Internal error')
    expect(oneSide.differences).toEqual([{ where: 'body', pointer: '', kind: 'type', baseline: { ok: true }, candidate: 'Internal error' }])
    expect(pair('oops', 'oops').outcome).toBe('equal')
    expect(pair('oops', 'oops!').differences).toEqual([{ where: 'body', pointer: '', kind: 'value', baseline: 'oops', candidate: 'oops!' }])
  })
  it('binary and hashed bodies as bytes', () => {
    const bin = (b64: string): TargetResponse => ({
      status: 200,
      headers: [['content-type', 'image/png']],
      body: { base64: b64, size: Buffer.from(b64, 'base64').length },
      durationMs: 1,
    })
    expect(compareExchange(rx('/i', bin('iVBORw0KGgo='), bin('iVBORw0KGgo=')), []).outcome).toBe('equal')
    const d = compareExchange(rx('/i', bin('AAECAwQF'), bin('AAECAwQG')), [])
    expect(d.differences).toHaveLength(1)
    expect(d.differences[0]).toMatchObject({ where: 'body', pointer: '', kind: 'value' })
    const hashed: TargetResponse = {
      status: 200,
      headers: [],
      body: { size: 3, sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
      durationMs: 1,
    }
    expect(compareExchange(rx('/h', hashed, answer('abc', 200, [])), []).outcome).toBe('equal')
    expect(compareExchange(rx('/h', hashed, answer('abd', 200, [])), []).outcome).toBe('different')
  })
  it('errors on one side are differences; on both, unproven', () => {
    const down: TargetResponse = { status: 0, headers: [], durationMs: 5000, error: { code: 'timeout', message: 'no answer in 5000 ms' } }
    const v = compareExchange(rx('/a', answer('{}'), down), [])
    expect(v).toMatchObject({
      outcome: 'different',
      differences: [{ where: 'error', pointer: '', kind: 'value', baseline: 'status 200', candidate: 'timeout: no answer in 5000 ms' }],
    })
    expect(compareExchange(rx('/a', down, answer('{}')), []).outcome).toBe('error')
    expect(compareExchange(rx('/a', down, down), []).outcome).toBe('unproven')
  })
  it.each([401, 403, 404, 500, 503])('vacuous %i is unproven, not equal', (status) => {
    const v = compareExchange(rx('/a', answer('{"error":"no"}', status), answer('{"error":"no"}', status)), [])
    expect(v.outcome).toBe('unproven')
    expect(compareExchange(rx('/a', answer('{"error":"no"}', status), answer('{"error":"other"}', status)), []).outcome).toBe('different')
  })
})

describe('normalisers, each on and off', () => {
  const cases: Array<[Normalizer, string, string]> = [
    ['key-order', '{"a":1,"b":2}', '{"b":2,"a":1}'],
    ['number-format', '{"n":1}', '{"n":1.0}'],
    ['timestamp', '{"t":"2024-05-01T10:00:00.123Z"}', '{"t":"2024-05-01T12:00:00.123456+02:00"}'],
    ['null-vs-absent', '{"a":1,"b":null}', '{"a":1}'],
  ]
  it.each(cases)('%s', (name, b, c) => {
    const on = pair(b, c)
    expect(on).toMatchObject({ outcome: 'equal', normalized: [name], differences: [] })
    const off = pair(b, c, { normalizers: { [name]: false } })
    expect(off.outcome).toBe('different')
    expect(off.differences).toHaveLength(1)
    expect(off.normalized).toEqual([])
  })
  it('timestamps at different instants still differ', () => {
    expect(pair('{"t":"2024-05-01T10:00:00Z"}', '{"t":"2024-05-01T10:00:01+00:00"}').differences).toHaveLength(1)
    expect(pair('{"t":"Wed, 01 May 2024 10:00:00 GMT"}', '{"t":"2024-05-01T10:00:00Z"}').normalized).toEqual(['timestamp'])
  })
  it('header-case', () => {
    const b = answer('{}', 200, [
      ['content-type', 'application/json'],
      ['cache-control', 'no-store'],
    ])
    const c = answer('{}', 200, [
      ['content-type', 'application/json'],
      ['Cache-Control', 'no-store'],
    ])
    expect(compareExchange(rx('/a', b, c), [])).toMatchObject({ outcome: 'equal', normalized: ['header-case'] })
    const off = compareExchange(rx('/a', b, c), [], { normalizers: { 'header-case': false } })
    // With the normaliser off, the header spelt otherwise is another header: one missing, one extra.
    expect(off.differences.map((d) => [d.pointer, d.kind])).toEqual([
      ['cache-control', 'missing'],
      ['Cache-Control', 'extra'],
    ])
  })
})

describe('noise', () => {
  it('built-in detectors tolerate values of one shape, not of another', () => {
    const now = Date.now()
    const b = {
      id: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
      at: '2024-05-01T10:00:00.123Z',
      ms: now,
      tok: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.abcDEF123',
      h: 'deadbeef00112233445566778899aabb',
    }
    const c = {
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      at: '2025-01-02T03:04:05.678Z',
      ms: now - 5000,
      tok: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjJ9.xyzXYZ987',
      h: 'ffffffff00112233445566778899aabb',
    }
    const v = pair(JSON.stringify(b), JSON.stringify(c))
    expect(v).toMatchObject({ outcome: 'equal', differences: [] })
    expect(v.ignored).toEqual(['/at', '/h', '/id', '/ms', '/tok'])
    const off = pair(JSON.stringify(b), JSON.stringify(c), { detectors: false })
    expect(off.differences).toHaveLength(5)
    // A UUID against a plain word is a real difference.
    expect(pair('{"id":"a3bb189e-8bf9-3888-9912-ace4e6543002"}', '{"id":"none"}').differences).toHaveLength(1)
  })
  it('request-id style headers are tolerated when compared and both send one', () => {
    const b = answer('{}', 200, [
      ['content-type', 'application/json'],
      ['etag', 'W/"1"'],
      ['x-request-id', 'r1'],
    ])
    const c = answer('{}', 200, [
      ['content-type', 'application/json'],
      ['etag', 'W/"2"'],
    ])
    const v = compareExchange(rx('/a', b, c), [], { headers: ['etag', 'x-request-id'] })
    // An ETag's value is each server's own: only its presence is compared.
    expect(v.ignored).toEqual([])
    expect(v.differences).toEqual([{ where: 'header', pointer: 'x-request-id', kind: 'missing', baseline: 'r1', candidate: undefined }])
  })
  it('a bad rule pointer is a ParityError', () => {
    expect(() => pair('{}', '{}', undefined, [{ route: '*', where: 'body', pointer: 'items.id', reason: 'x' }])).toThrow(/not a JSON Pointer/)
  })
})

describe('WebSocket messages', () => {
  const ws = (...data: string[]): TargetResponse => ({
    status: 101,
    headers: [],
    durationMs: 1,
    ws: data.map((d) => ({ dir: 'in' as const, type: 'text' as const, data: d })),
  })
  it('in order, or unordered within a window', () => {
    const ordered = compareExchange(rx('/ws', ws('{"n":1}', '{"n":2}'), ws('{"n":2}', '{"n":1}')), [])
    expect(ordered.differences).toEqual([
      { where: 'ws', pointer: '/0/n', kind: 'value', baseline: 1, candidate: 2 },
      { where: 'ws', pointer: '/1/n', kind: 'value', baseline: 2, candidate: 1 },
    ])
    expect(compareExchange(rx('/ws', ws('{"n":1}', '{"n":2}'), ws('{"n":2}', '{"n":1}')), [], { wsWindow: 1 }).outcome).toBe('equal')
    const lost = compareExchange(rx('/ws', ws('a', 'b', 'c'), ws('a', 'b')), [], { wsWindow: 1 })
    expect(lost.differences).toEqual([{ where: 'ws', pointer: '/2', kind: 'missing', baseline: 'c', candidate: undefined }])
  })
})

describe('every header', () => {
  const h = (pairs: Array<[string, string]>): TargetResponse => answer('{}', 200, [['content-type', 'application/json'], ...pairs])
  it('per-request and connection headers are left out; any other header is compared, an unknown one too', () => {
    const b = h([
      ['date', 'Mon, 01 Jan 2025 10:00:00 GMT'],
      ['x-request-id', 'r1'],
      ['server', 'express'],
      ['content-length', '2'],
      ['connection', 'keep-alive'],
      ['x-feature', 'on'],
    ])
    const c = h([
      ['date', 'Mon, 01 Jan 2025 10:00:01 GMT'],
      ['server', 'axum'],
      ['content-length', '3'],
      ['x-extra', '1'],
    ])
    expect(compareExchange(rx('/a', b, c), []).differences.map((d) => `${d.pointer} ${d.kind}`)).toEqual(['x-feature missing', 'x-extra extra'])
  })
  it("each side's own origin is a placeholder: a Link that differs by the port alone is equal, one that differs otherwise is not", () => {
    const link = (port: number, page: number) => h([['link', `<http://127.0.0.1:${port}/api/items?page=${page}>; rel="next"`]])
    const origins = { baseline: 'http://127.0.0.1:4001', candidate: 'http://127.0.0.1:4002' }
    expect(compareExchange(rx('/a', link(4001, 2), link(4002, 2)), [], { origins })).toMatchObject({ outcome: 'equal', normalized: ['own-origin'] })
    expect(compareExchange(rx('/a', link(4001, 2), link(4002, 2)), []).outcome).toBe('different')
    expect(compareExchange(rx('/a', link(4001, 2), link(4002, 3)), [], { origins }).differences.map((d) => d.pointer)).toEqual(['link'])
  })
  it('per-request values of one shape are noise to the detectors: an epoch time, a UUID', () => {
    const now = Math.floor(Date.now() / 1000)
    const b = h([
      ['x-ratelimit-reset', String(now + 60)],
      ['x-span', '3f2c1a9e-8bf9-4888-9912-ace4e6543002'],
    ])
    const c = h([
      ['x-ratelimit-reset', String(now + 61)],
      ['x-span', 'a3bb189e-8bf9-3888-9912-ace4e6543002'],
    ])
    expect(compareExchange(rx('/a', b, c), [])).toMatchObject({ outcome: 'equal', ignored: ['header:x-ratelimit-reset', 'header:x-span'] })
    expect(compareExchange(rx('/a', b, c), [], { detectors: false }).differences.map((d) => d.pointer)).toEqual(['x-ratelimit-reset', 'x-span'])
  })
  it('token lists are sets; validators are compared by presence', () => {
    const b = h([
      ['vary', 'Accept-Encoding, Origin'],
      ['etag', 'W/"1"'],
    ])
    const c = h([
      ['vary', 'origin, accept-encoding'],
      ['etag', '"abc"'],
    ])
    expect(compareExchange(rx('/a', b, c), []).outcome).toBe('equal')
    const lost = compareExchange(rx('/a', b, h([['vary', 'Origin']])), [])
    expect(lost.differences.map((d) => `${d.pointer} ${d.kind} ${d.note}`)).toEqual([
      'vary value caching: vary differs',
      'etag missing validator lost: without etag clients cannot revalidate (a conditional request gets the whole body, never 304)',
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { captureValue, createCorrelator, looksLikeId, resolvePointer } from './correlate.js'
import type { Exchange, TargetResponse } from '../model/exchange.js'

const json = (value: unknown, headers: Array<[string, string]> = []) => {
  const text = JSON.stringify(value)
  return { status: 200, headers: [['content-type', 'application/json'], ...headers] as Array<[string, string]>, body: { text, size: text.length } }
}
const answer = (value: unknown, headers: Array<[string, string]> = []): TargetResponse => ({ ...json(value, headers), durationMs: 1 })
const exchange = (recorded: unknown, headers: Array<[string, string]> = [], capture?: Record<string, string>): Exchange => ({
  id: 'e',
  session: 's',
  seq: 0,
  request: { method: 'POST', url: '/login', headers: [] },
  response: json(recorded, headers),
  capture,
})

describe('createCorrelator', () => {
  it('maps ids, tokens, Location segments and cookies from the recorded answer to this target', () => {
    const c = createCorrelator()
    c.learn(
      exchange({ access_token: 'rec.jwt.token', user: { id: 41, name: 'ann' }, items: [{ itemId: 'abc123' }] }, [
        ['location', '/users/41/docs/d0c5e1'],
        ['set-cookie', 'sid=recordedsid; Path=/'],
      ]),
      answer({ access_token: 'new.jwt.token', user: { id: 97, name: 'ann' }, items: [{ itemId: 'zzz999' }] }, [
        ['location', 'http://h/users/97/docs/f00ba7'],
        ['set-cookie', 'sid=mysid; HttpOnly'],
      ]),
    )
    expect(Object.fromEntries(c.values)).toEqual({
      'rec.jwt.token': 'new.jwt.token',
      '41': '97',
      abc123: 'zzz999',
      d0c5e1: 'f00ba7',
      recordedsid: 'mysid',
    })
    const sent = c.apply({
      method: 'PUT',
      url: '/users/41/items/abc123?ref=abc123&n=41&keep=410',
      headers: [
        ['authorization', 'Bearer rec.jwt.token'],
        ['cookie', 'theme=dark; sid=recordedsid'],
      ],
      body: { text: '{"owner":41,"item":"abc123","note":"abc123 is mine","count":41.5}', size: 60 },
    })
    expect(sent.url).toBe('/users/97/items/zzz999?ref=zzz999&n=97&keep=410')
    expect(sent.headers).toEqual([
      ['authorization', 'Bearer new.jwt.token'],
      ['cookie', 'theme=dark; sid=mysid'],
    ])
    expect(JSON.parse(sent.body?.text ?? '')).toEqual({ owner: 97, item: 'zzz999', note: 'zzz999 is mine', count: 41.5 })
  })

  it('leaves plain values and an unchanged body alone', () => {
    const c = createCorrelator()
    c.learn(exchange({ status: 'active', count: 3, id: 'r1' }), answer({ status: 'paused', count: 4, id: 't1' }))
    expect([...c.values]).toEqual([['r1', 't1']])
    const body = { text: '{ "status": "active",  "count": 3 }', size: 34 }
    expect(c.apply({ method: 'POST', url: '/x', headers: [], body }).body).toBe(body)
  })

  it('fills ${name} from captures and learns nothing from a failed answer', () => {
    const c = createCorrelator()
    c.learn({ ...exchange({}), response: undefined, capture: { tok: '/token', loc: 'header:location' } }, answer({ token: 'T0KEN' }, [['location', '/a/1']]))
    expect(c.apply({ method: 'GET', url: '${loc}?t=${tok}&u=${nope}', headers: [['x', '${tok}']] })).toMatchObject({
      url: '/a/1?t=T0KEN&u=${nope}',
      headers: [['x', 'T0KEN']],
    })
    const d = createCorrelator()
    d.learn(exchange({ id: 'abc123' }), { status: 0, headers: [], durationMs: 1, error: { code: 'refused', message: 'x' } })
    expect(d.values.size).toBe(0)
  })
})

describe('redacted secrets', () => {
  it('maps the one placeholder by place: cookie name, token field, header, query and body field', () => {
    const c = createCorrelator()
    c.learn(
      exchange({ access_token: '[redacted]', refresh_token: '[redacted]', id: 'abc123' }, [
        ['set-cookie', 'sid=[redacted]; Path=/'],
        ['set-cookie', 'csrf=[redacted]'],
        ['x-api-key', '[redacted]'],
      ]),
      answer({ access_token: 'A1', refresh_token: 'R1', id: 'xyz789' }, [
        ['set-cookie', 'sid=S1; Path=/'],
        ['set-cookie', 'csrf=C1'],
        ['x-api-key', 'K1'],
      ]),
    )
    expect([...c.values]).toEqual([['abc123', 'xyz789']])
    const sent = c.apply({
      method: 'POST',
      url: '/refresh/abc123?refresh_token=%5Bredacted%5D&password=[redacted]',
      headers: [
        ['authorization', 'Bearer [redacted]'],
        ['cookie', 'sid=[redacted]; csrf=[redacted]; other=[redacted]'],
        ['x-api-key', '[redacted]'],
      ],
      body: { text: '{"refreshToken":"[redacted]","password":"[redacted]"}', size: 1 },
    })
    expect(sent.url).toBe('/refresh/xyz789?refresh_token=R1&password=[redacted]')
    expect(sent.headers).toEqual([
      ['authorization', 'Bearer A1'],
      ['cookie', 'sid=S1; csrf=C1; other=[redacted]'],
      ['x-api-key', 'K1'],
    ])
    expect(JSON.parse(sent.body?.text ?? '')).toEqual({ refreshToken: 'R1', password: '[redacted]' })
  })
})

describe('WebSocket answers', () => {
  it('pairs server messages by position and learns their ids', () => {
    const c = createCorrelator()
    const ws = (data: string) => ({ dir: 'in' as const, type: 'text' as const, data })
    const ex: Exchange = {
      id: 'w',
      session: 's',
      seq: 0,
      request: { method: 'GET', url: '/ws', headers: [] },
      ws: [{ dir: 'out', type: 'text', data: 'join' }, ws('{"room":"room-1234"}')],
    }
    c.learn(ex, { status: 101, headers: [], durationMs: 1, ws: [ws('{"room":"room-9876"}')] })
    expect(c.apply({ method: 'GET', url: '/rooms/room-1234', headers: [] }).url).toBe('/rooms/room-9876')
    expect(c.applyText('{"leave":"room-1234"}')).toBe('{"leave":"room-9876"}')
  })
})

describe('helpers', () => {
  it('tells ids from ordinary values', () => {
    expect(looksLikeId(12, 'userId')).toBe(true)
    expect(looksLikeId(12, 'count')).toBe(false)
    expect(looksLikeId('ok', 'token')).toBe(true)
    expect(looksLikeId('active', 'status')).toBe(false)
    expect(looksLikeId('9f1c2e', 'x')).toBe(true)
    expect(looksLikeId('two words 1234', 'x')).toBe(false)
  })

  it('resolves pointers and captures', () => {
    expect(resolvePointer({ a: [{ 'b/c': 1 }] }, '/a/0/b~1c')).toBe(1)
    expect(resolvePointer({ a: 1 }, '/a/b')).toBeUndefined()
    expect(captureValue('/n', json({ n: 5 }))).toBe('5')
    expect(captureValue('header:Location', json({}, [['location', '/l']]))).toBe('/l')
  })
})

import { expect, it } from 'vitest'
import { answer, rx } from '../../test/support/replayed.js'
import type { ReplayedExchange } from '../model/exchange.js'
import { traceConsequences } from './consequences.js'
import { compareExchange } from './exchange-diff.js'
import { requestShape } from './request-shape.js'

/** Exchanges of one session, in order. */
const session = (...xs: ReplayedExchange[]) => xs.map((x, i) => ({ ...x, exchange: { ...x.exchange, id: `s.${i}`, seq: i } }))
const trace = (xs: ReplayedExchange[]) =>
  traceConsequences(
    xs,
    xs.map((x) => compareExchange(x, [])),
  )

it('links a read to the refused write on its data (by path or by id) and leads chains back to the first write', () => {
  const xs = session(
    rx('/api/items', answer('{"id":"a1b2c3d4e5"}', 201), answer('{"error":"too long"}', 422), undefined, 'POST'),
    rx('/api/items/a1b2c3d4e5', answer('{"id":"a1b2c3d4e5"}'), answer('{"error":"nf"}', 404)),
    rx('/api/items/a1b2c3d4e5/tags', answer('[]', 201), answer('{"error":"nf"}', 404), undefined, 'PUT'),
    rx('/api/search?ref=a1b2c3d4e5', answer('[1]'), answer('[]')),
    rx('/api/users', answer('[1]'), answer('[2]')),
  )
  const traced = trace(xs)
  expect(traced.get(1)).toEqual({ cause: 0, via: 'path /api/items' })
  // A refused write that is itself a consequence points at the root cause.
  expect(traced.get(2)).toEqual({ cause: 0, via: 'path /api/items' })
  expect(traced.get(3)).toEqual({ cause: 0, via: 'id a1b2c3d4e5' })
  // Other data: its own difference.
  expect(traced.has(4)).toBe(false)
  expect(traced.has(0)).toBe(false)
})

it('takes no write both sides accepted as a cause, nor a failure of a target as a consequence, nor another session', () => {
  const accepted = session(
    rx('/api/items', answer('{"id":1}', 201), answer('{"id":1}', 200), undefined, 'POST'),
    rx('/api/items/1', answer('{"a":1}'), answer('{"b":1}')),
  )
  expect(trace(accepted).size).toBe(0)
  const failed = session(
    rx('/api/items', answer('{"id":1}', 201), answer('{}', 400), undefined, 'POST'),
    rx('/api/items/1', answer('{"a":1}'), answer(undefined, 0)),
  )
  failed[1]!.candidate.error = { code: 'refused', message: 'ECONNREFUSED' }
  expect(trace(failed).size).toBe(0)
  const other = session(
    rx('/api/items', answer('{"id":1}', 201), answer('{}', 400), undefined, 'POST'),
    rx('/api/items/1', answer('{"a":1}'), answer('{}', 404)),
  )
  other[1]!.exchange.session = 'another'
  expect(trace(other).size).toBe(0)
})

it('names a request shape by its query parameter names and its body keys, never by values', () => {
  const req = (url: string, body?: string, type = 'application/json') => ({
    method: 'POST',
    url,
    headers: [['content-type', type]] as Array<[string, string]>,
    ...(body === undefined ? {} : { body: { text: body, size: body.length } }),
  })
  expect(requestShape(req('/api/books?sort=title&page=2&sort=year'))).toBe('?page,sort')
  expect(requestShape(req('/api/books', '{"title":"x","tags":[]}'))).toBe('{tags,title}')
  expect(requestShape(req('/api/books?dry=1', 'a,b', 'text/csv; charset=utf-8'))).toBe('?dry text/csv')
  expect(requestShape(req('/api/books'))).toBe('-')
})

import { describe, expect, it } from 'vitest'
import type { Exchange } from '../model/exchange.js'
import { trafficByRoute } from './traffic.js'

const x = (method: string, url: string): Exchange => ({ id: url, session: 's', seq: 0, request: { method, url, headers: [] } })

describe('trafficByRoute', () => {
  it('counts each request for the most literal matching route, else an inferred key', () => {
    const keys = ['GET /api/users/{}', 'GET /api/users/me', 'ALL /hooks/{}']
    const counts = trafficByRoute(
      [x('GET', '/api/users/42?full=1'), x('GET', 'http://h:3000/api/users/me'), x('GET', '/api/users/me'), x('POST', '/hooks/stripe'), x('GET', '/other/7')],
      keys,
    )
    expect(Object.fromEntries(counts)).toEqual({ 'GET /api/users/{}': 1, 'GET /api/users/me': 2, 'ALL /hooks/{}': 1, 'GET /other/{}': 1 })
  })
})

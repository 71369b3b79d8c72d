import { expect, it } from 'vitest'
import type { EndpointItem } from '../model/inventory.js'
import { findNearMisses } from './near.js'
import { canonicalKey } from './rules.js'

const route = (method: string, path: string): EndpointItem => ({
  kind: 'route',
  method,
  path,
  key: canonicalKey(`${method} ${path}`),
  framework: 'x',
  component: 'x',
  source: { file: 'a', line: 1 },
})

it.each([
  [route('POST', '/api/orders/{id}/cancel'), route('PUT', '/api/orders/{id}/cancel'), 'method changed POST -> PUT'],
  [route('GET', '/api/user/{id}'), route('GET', '/api/users/{id}'), '`user` -> `users`'],
  [route('GET', '/api/v1/products'), route('GET', '/v2/products'), 'prefix /api/v1 -> /v2'],
  [route('GET', '/api/articles/{id}'), route('GET', '/api/posts/{id}'), 'segment `articles` renamed `posts`'],
])('proposes %s ~ %s: %s', (missing, extra, reason) => {
  const [near] = findNearMisses([missing], [extra, route('DELETE', '/unrelated')], 'rs')
  expect(near?.reason).toBe(reason)
  expect(near?.candidate).toBe(extra)
})

it('proposes nothing for unrelated routes', () => {
  expect(findNearMisses([route('GET', '/api/invoices')], [route('POST', '/api/sessions/{id}')], 'rs')).toEqual([])
})

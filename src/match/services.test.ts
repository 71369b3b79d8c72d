import { expect, it } from 'vitest'
import type { EndpointItem, Item, ServiceItem } from '../model/inventory.js'
import { pairServices, serviceStem } from './services.js'

const service = (name: string): ServiceItem => ({
  kind: 'service',
  key: `service ${name}`,
  name,
  component: name,
  source: { file: `${name}/main`, line: 1 },
  language: 'go',
  root: name,
  lines: 10,
  routes: 1,
})
const route = (key: string, svc: string): EndpointItem => {
  const [method, path] = key.split(' ') as [string, string]
  return { kind: 'route', method, path, key, framework: 'x', component: svc, source: { file: `${svc}/main`, line: 1 }, service: svc }
}

it('strips language and role marks from a service name', () => {
  expect(serviceStem('go-file-management-service')).toBe('file-management')
  expect(serviceStem('auth-rs')).toBe(serviceStem('auth-service'))
  expect(serviceStem('service')).toBe('service')
})

it('pairs by name, then by name marks, then by the routes only those two serve', () => {
  const base: Item[] = [
    service('auth-service'),
    service('billing'),
    service('catalog'),
    route('GET /health', 'billing'),
    route('GET /health', 'catalog'),
    route('GET /invoices', 'billing'),
    route('POST /invoices', 'billing'),
    route('GET /items', 'catalog'),
  ]
  const cand: Item[] = [
    service('auth-rs'),
    service('payments'),
    service('catalog'),
    route('GET /health', 'payments'),
    route('GET /invoices', 'payments'),
    route('POST /invoices', 'payments'),
  ]
  const pairs = pairServices(base, cand)
  expect(pairs.get('catalog')).toEqual({ candidate: 'catalog', via: 'key' })
  expect(pairs.get('auth-service')).toEqual({ candidate: 'auth-rs', via: 'service-rename' })
  // `GET /health` is served by both baseline services: only the invoices tell.
  expect(pairs.get('billing')).toEqual({ candidate: 'payments', via: 'service-rename' })
})

it('proposes no rename on routes that every service shares', () => {
  const base: Item[] = [service('a'), service('b'), route('GET /health', 'a'), route('GET /health', 'b')]
  const cand: Item[] = [service('z'), route('GET /health', 'z')]
  expect(pairServices(base, cand).size).toBe(0)
})

import { describe, expect, it } from 'vitest'
import type { EndpointItem, Item } from '../model/inventory.js'
import { canonicalKey, compileComponents, compileExclude, compileMap } from './rules.js'

const route = (method: string, path: string): EndpointItem => ({
  kind: 'route',
  method,
  path,
  key: canonicalKey(`${method} ${path}`),
  framework: 'express',
  component: 'x',
  source: { file: 'src/app.ts', line: 1 },
})
const table = (name: string): Item => ({ kind: 'table', key: `table ${name}`, name, origin: 'sql', component: 'database', source: { file: 'm.sql', line: 1 } })

describe('canonicalKey', () => {
  it('writes keys the way items carry them', () => {
    expect(canonicalKey('get /api/users/:id')).toBe('GET /api/users/{}')
    expect(canonicalKey('GET /api/users/<int:id>/')).toBe('GET /api/users/{}')
    expect(canonicalKey('table Users')).toBe('table users')
    expect(canonicalKey('/api/v1/')).toBe('/api/v1')
  })
})

describe('map rules', () => {
  it('renames one key', () => {
    const rule = compileMap({ from: 'GET /api/user/:id', to: 'GET /api/users/{id}' })
    expect(rule.apply(route('GET', '/api/user/{id}'), 'rs')).toBe('GET /api/users/{}')
    expect(rule.apply(route('POST', '/api/user/{id}'), 'rs')).toBeUndefined()
  })
  it('moves a prefix on segment boundaries only', () => {
    const rule = compileMap({ from: '/api/v1', to: '/v2' })
    expect(rule.apply(route('GET', '/api/v1/products/{id}'), 'rs')).toBe('GET /v2/products/{}')
    expect(rule.apply(route('GET', '/api/v1'), 'rs')).toBe('GET /v2')
    expect(rule.apply(route('GET', '/api/v10/products'), 'rs')).toBeUndefined()
  })
  it('applies to one candidate when it names one', () => {
    const rule = compileMap({ from: '/api', to: '/', candidate: 'go' })
    expect(rule.apply(route('GET', '/api/x'), 'rs')).toBeUndefined()
    expect(rule.apply(route('GET', '/api/x'), 'go')).toBe('GET /x')
  })
  it('renames tables', () => {
    expect(compileMap({ from: 'table users', to: 'table accounts' }).apply(table('users'), 'rs')).toBe('table accounts')
  })
})

describe('exclude rules', () => {
  it('matches keys with * inside a segment and ** across segments', () => {
    const admin = compileExclude({ match: '/api/admin/**', reason: 'r' })
    expect(admin.test(route('DELETE', '/api/admin/cache/{id}'))).toBe(true)
    expect(admin.test(route('GET', '/api/administrators'))).toBe(false)
    const one = compileExclude({ match: 'GET /api/reports/*', reason: 'r' })
    expect(one.test(route('GET', '/api/reports/{id}'))).toBe(true)
    expect(one.test(route('GET', '/api/reports/{id}/pdf'))).toBe(false)
    expect(one.test(route('POST', '/api/reports/{id}'))).toBe(false)
    expect(compileExclude({ match: 'table audit_*', reason: 'r' }).test(table('audit_log'))).toBe(true)
  })
})

describe('components', () => {
  it('takes the longest path prefix, then file globs', () => {
    const of = compileComponents([
      { name: 'api', paths: ['/api'] },
      { name: 'auth', paths: ['/api/auth'] },
      { name: 'db', files: ['migrations/**'] },
    ])
    expect(of(route('POST', '/api/auth/login'))).toBe('auth')
    expect(of(route('GET', '/api/authors'))).toBe('api')
    expect(of(table('users'))).toBeUndefined()
    expect(of({ ...table('users'), source: { file: 'migrations/001.sql', line: 1 } })).toBe('db')
  })
})

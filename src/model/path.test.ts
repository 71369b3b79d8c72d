import { describe, expect, it } from 'vitest'
import { componentOf, joinPaths, normalizePath, pathKey, routeKey, unresolvedKey, unresolvedPath } from './path.js'

describe('normalizePath', () => {
  it.each([
    ['/users/:id', '/users/{id}'],
    ['/users/:id?', '/users/{id}'],
    ['/users/:id(\\d+)', '/users/{id}'],
    ['/flights/:from-:to', '/flights/{from}-{to}'],
    ['/files/*', '/files/{*}'],
    ['/files/*filepath', '/files/{filepath}'],
    ['/files/{*rest}', '/files/{rest}'],
    ['/files/{rest...}', '/files/{rest}'],
    ['/files/{days?}', '/files/{days}'],
    ['/static/{path*}', '/static/{path}'],
    ['/pairs/{pair*2}', '/pairs/{pair1}/{pair2}'],
    ['/users/<id>', '/users/{id}'],
    ['/users/<int:id>', '/users/{id}'],
    ['/static/<path..>', '/static/{path}'],
    ['/users/{id:int}', '/users/{id}'],
    ['/users/{id:[0-9]+}', '/users/{id}'],
    ['/files/{path:path}', '/files/{path}'],
    ['^articles/(?P<slug>[-\\w]+)/$', '/articles/{slug}/'],
    ['/items/{$}', '/items/'],
    ['/files{/:name}', '/files/{name}'],
    ['/feed{.:format}', '/feed.{format}'],
    ['/post/:date{[0-9]+}/:title{[a-z]+}', '/post/{date}/{title}'],
    ['/static/:file{.+\\.png}', '/static/{file}'],
    ['/:file{.:ext}', '/{file}.{ext}'],
    ['users/:id', '/users/{id}'],
    ['/api/v1:batch', '/api/v1:batch'],
    ['/:tableId(^\\d+):ordinalPosition', '/{tableId}{ordinalPosition}'],
    ['/x(y):z', '/x(y):z'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePath(input)).toBe(expected)
  })
})

describe('joinPaths', () => {
  it('joins prefixes with one slash', () => {
    expect(joinPaths('/api', '/users')).toBe('/api/users')
    expect(joinPaths('/api/', 'users')).toBe('/api/users')
    expect(joinPaths('/api', '/')).toBe('/api')
    expect(joinPaths('', '/')).toBe('/')
    expect(joinPaths('/api', 'users/')).toBe('/api/users/')
    expect(joinPaths('api/', '')).toBe('/api/')
  })
})

describe('keys and components', () => {
  it('blanks parameter names and trailing slashes', () => {
    expect(pathKey('/users/{id}/')).toBe('/users/{}')
    expect(routeKey('get', '/api/articles/{slug}')).toBe('GET /api/articles/{}')
    expect(routeKey('GET', normalizePath('/api/articles/<slug>'))).toBe(routeKey('GET', normalizePath('/api/articles/:slug')))
  })
  it('derives a component from the first meaningful segment', () => {
    expect(componentOf('/api/v1/articles/{id}')).toBe('articles')
    expect(componentOf('/{id}')).toBe('root')
    expect(componentOf('/')).toBe('root')
    expect(componentOf('/Users')).toBe('users')
  })
})

describe('keys as parity writes them, and partly unknown paths', () => {
  it('reads a key back unchanged: a blank parameter {} and an unknown part {?} stay', () => {
    expect(normalizePath('/api/articles/{}')).toBe('/api/articles/{}')
    expect(routeKey('GET', normalizePath('/api/articles/{}'))).toBe('GET /api/articles/{}')
    expect(normalizePath('/{?}/articles/{}')).toBe('/{?}/articles/{}')
  })
  it('normalises the known parts of an unresolved path and keeps {?} out of the parameters in its key', () => {
    const path = unresolvedPath('{?}/articles/:slug')
    expect(path).toBe('/{?}/articles/{slug}')
    expect(unresolvedKey(path)).toBe('/{?}/articles/{}')
    expect(unresolvedKey(path)).not.toBe(pathKey(normalizePath('/x/articles/:slug')))
  })
})

import { isEndpoint } from '../model/inventory.js'
import { describe, expect, it } from 'vitest'
import { parseSource } from '../languages/parse.js'
import { jsLanguage } from '../languages/typescript.js'
import { scanPath } from '../scan/scan.js'
import { chainOwner, isPathLike, unchain } from './js-server.js'
import { belongsToOtherFramework } from './js-syntax.js'
import { builtinExtractors } from './registry.js'

const parse = (source: string) => parseSource('typescript', source).root()

describe('unchain', () => {
  it('walks a chain down to its base, innermost call first', () => {
    const root = parse("new Hono().basePath('/api').get('/a', h).post('/b', h)")
    const outer = root.find({ rule: { kind: 'call_expression', pattern: '$A.post($$$)' } })!
    const { base, links } = unchain(outer)
    expect(base.text()).toBe('new Hono()')
    expect(links.map((l) => l.method)).toEqual(['basePath', 'get', 'post'])
    expect(links[2]!.args.map((a) => a.text())).toEqual(["'/b'", 'h'])
  })
})

describe('chainOwner', () => {
  it.each([
    ['const users = new Hono().get("/", h)', 'users'],
    ['export default new Hono().get("/", h)', 'default'],
    ['function make() { return new Hono().get("/", h) }', 'make'],
    ['app.route("/x", new Hono().get("/", h))', 'inline@1'],
  ])('%s -> %s', (source, owner) => {
    expect(chainOwner(parse(source).find({ rule: { kind: 'new_expression' } })!)).toBe(owner)
  })
})

describe('isPathLike', () => {
  it.each([
    ["'/users'", true],
    ["''", true],
    ["'*'", true],
    ['`/users/${id}`', true],
    ['PREFIX', true],
    ["['/a', '/b']", true],
    ["'content-type'", false],
    ["'list-users'", false],
    ['42', false],
  ])('%s -> %s', (expr, expected) => {
    const node = parse(`x(${expr})`)
      .find({ rule: { kind: 'arguments' } })!
      .namedChildren()[0]
    expect(isPathLike(node)).toBe(expected)
  })
})

describe('belongsToOtherFramework', () => {
  const module = (source: string) => jsLanguage.analyzeModule(parse(source))
  it('gives a file to the framework it imports', () => {
    expect(belongsToOtherFramework(module("import Router from '@koa/router'"), 'express')).toBe(true)
    expect(belongsToOtherFramework(module("import { Hono } from 'hono'"), 'koa')).toBe(true)
    expect(belongsToOtherFramework(module("const fp = require('fastify-plugin')"), 'hono')).toBe(true)
    expect(belongsToOtherFramework(module("import { Hono } from 'hono'\nimport express from 'express'"), 'express')).toBe(false)
    expect(belongsToOtherFramework(module("import { users } from './users'"), 'express')).toBe(false)
    expect(belongsToOtherFramework(module("import { App } from '@tinyhttp/app'"), 'express')).toBe(true)
    expect(belongsToOtherFramework(module("const Hapi = require('@hapi/hapi')"), 'koa')).toBe(true)
    // @hapi/boom and joi serve Express and Koa apps too: they make no file hapi's.
    expect(belongsToOtherFramework(module("import Boom from '@hapi/boom'"), 'express')).toBe(false)
  })
})

describe('a tree with no manifest', () => {
  // Every JS extractor runs on every file: the Fastify, Koa, Hono and tinyhttp fixtures' sources must still
  // give exactly their routes, each claimed by its own framework and by no other.
  // hapi is left out: a file that imports nothing and calls `server.route({ method, path, handler })` is written
  // the same way for Fastify (`path` is its alias of `url`), so without a manifest both claim it.
  it.each(['fastify', 'koa', 'hono', 'tinyhttp'])('%s sources are claimed by %s alone', async (id) => {
    const fixture = new URL(`../../fixtures/extractors/${id}/`, import.meta.url).pathname
    const full = await scanPath({ path: fixture, extractors: builtinExtractors })
    const bare = await scanPath({ path: `${fixture}src`, extractors: builtinExtractors })
    expect(bare.items.filter(isEndpoint).filter((i) => i.framework !== id)).toEqual([])
    const rows = (items: typeof full.items, prefix: string) =>
      items
        .filter(isEndpoint)
        .map((i) => `${i.kind} ${i.method} ${i.path} ${prefix}${i.source.file}:${i.source.line}`)
        .sort()
    expect(rows(bare.items, 'src/')).toEqual(rows(full.items, ''))
  })
})

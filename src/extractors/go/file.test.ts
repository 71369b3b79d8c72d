import { describe, expect, it } from 'vitest'
import { analyzeGoModule } from '../../languages/go.js'
import { parseSource } from '../../languages/parse.js'
// The registry loads every extractor, and with them the router libraries they declare.
import '../registry.js'
import type { ParsedFile } from '../types.js'
import { chainPath, matcherMethods, routeChain } from './chains.js'
import { goFile } from './file.js'
import { scopeName } from './nodes.js'

const parse = (source: string): ParsedFile => {
  const root = parseSource('go', source).root()
  return { path: 'main.go', language: 'go', family: 'go', source, root, module: analyzeGoModule(root) }
}

describe('owners', () => {
  const file = parse(`package main

import "github.com/gin-gonic/gin"

var root = gin.New()

func setupRouter() *gin.Engine {
	r := gin.Default()
	v1 := r.Group("/v1")
	v1.GET("/a", a)
	root.GET("/b", b)
	return r
}

func Register(g *gin.RouterGroup) { g.GET("/c", c) }

func (s *Server) routes() { s.router.GET("/d", d) }
`)
  const g = goFile(file)
  const receivers = file.root
    .findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: '^GET$' } } } })
    .map((c) => g.routerOf(c.field('function')!.field('operand')!))
  it('qualifies locals by function, names returned routers and parameters by function', () => {
    expect(receivers.map((r) => r?.owner)).toEqual(['setupRouter.v1', 'root', 'Register', 'Server.router'])
  })
  it('knows the framework from constructors and parameter types', () => {
    expect(receivers.map((r) => r?.framework)).toEqual(['gin', 'gin', 'gin', undefined])
    expect(receivers[2]?.groupParam).toBe(true)
  })
  it('names function literals by their enclosing function and line', () => {
    const lit = parse('package p\nfunc routes() {\n\tr.Route("/x", func(r chi.Router) {})\n}\n').root.find({ rule: { kind: 'func_literal' } })!
    expect(scopeName(lit)).toBe('routes.func@3')
  })
})

describe('gorilla/mux route chains', () => {
  const file = parse(`package main

import "github.com/gorilla/mux"

func routes() {
	r := mux.NewRouter().StrictSlash(true)
	api := r.PathPrefix("/api").Subrouter()
	get := api.Methods("GET", "HEAD").Subrouter()
	r.Methods("DELETE").Path("/a").PathPrefix("/b/").Handler(h)
	get.HandleFunc("/c", c)
}
`)
  const g = goFile(file)
  const calls = (name: string) =>
    file.root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: `^${name}$` } } },
    })
  it('reads the matchers of a chain, the path they append and whether it is a prefix', () => {
    const chain = routeChain(calls('Handler')[0]!.field('function')!.field('operand')!)
    expect(chain.base.text()).toBe('r')
    expect(chain.matchers.map((m) => m.name)).toEqual(['Methods', 'Path', 'PathPrefix'])
    expect(chainPath(chain)).toMatchObject({ path: ['/a', '/b/'], prefix: true })
    expect(matcherMethods(chain.matchers)).toEqual(['DELETE'])
  })
  it('makes subrouters groups of their router, under the chain path, with the methods they match', () => {
    const get = calls('HandleFunc')[0]!.field('function')!.field('operand')!
    expect(g.routerOf(get)).toMatchObject({ owner: 'routes.get', framework: 'gorilla-mux' })
    const api = calls('Subrouter')[0]!
    expect(g.routerOf(api)).toMatchObject({ owner: 'routes.r', prefix: ['/api'], framework: 'gorilla-mux' })
    expect(g.groupMethods(get)).toEqual(['GET', 'HEAD'])
    expect(g.groupMethods(api)).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { analyzeGoModule, goPackageName, goPathOf } from './go.js'
import { parseSource } from './parse.js'

const rootOf = (source: string) => parseSource('go', source).root()
/** The expression assigned to `x` in `var x = <expr>`. */
const pathOfExpr = (expr: string) => {
  const value = rootOf(`package p\nvar x = ${expr}\n`)
    .find({ rule: { kind: 'expression_list' } })!
    .namedChildren()[0]!
  return goPathOf(value)
}

describe('goPackageName', () => {
  it('is the last path element, without a major-version suffix', () => {
    expect(goPackageName('github.com/labstack/echo/v4')).toBe('echo')
    expect(goPackageName('github.com/gin-gonic/gin')).toBe('gin')
    expect(goPackageName('net/http')).toBe('http')
    expect(goPackageName('gopkg.in/yaml.v3')).toBe('yaml')
  })
})

describe('goPathOf', () => {
  it('reads interpreted and raw strings, and concatenations', () => {
    expect(pathOfExpr('"/a\\tb"')).toEqual(['/a\tb'])
    expect(pathOfExpr('`/raw/{id}`')).toEqual(['/raw/{id}'])
    expect(pathOfExpr('"/api" + base + "/x"')).toEqual(['/api', { ref: 'base' }, '/x'])
  })
  it('names identifiers and package selectors as references', () => {
    expect(pathOfExpr('routes.APIPrefix')).toEqual([{ ref: 'routes.APIPrefix' }])
  })
  it('evaluates fmt.Sprintf with known parts only', () => {
    expect(pathOfExpr('fmt.Sprintf("/v%d/%s", 2, Base)')).toEqual(['/v', '2', '/', { ref: 'Base' }])
    expect(pathOfExpr('fmt.Sprintf("/%s", os.Getenv("X"))')).toEqual([{ unknown: 'fmt.Sprintf("/%s", os.Getenv("X"))' }])
    expect(pathOfExpr('fmt.Sprintf(format, 1)')).toEqual([{ unknown: 'fmt.Sprintf(format, 1)' }])
  })
  it('leaves other calls unknown', () => {
    expect(pathOfExpr('os.Getenv("P")')).toEqual([{ unknown: 'os.Getenv("P")' }])
  })
})

describe('analyzeGoModule', () => {
  const info = analyzeGoModule(
    rootOf(`package routes

import (
	"net/http"
	h "example.com/shop/internal/handlers"
	_ "embed"
	"github.com/go-chi/chi/v5"
)

const APIPrefix = "/api"

const (
	users, orders = "/users", "/orders"
	Kind          = 3
)

var feed = APIPrefix + "/feed"
var router = chi.NewRouter()

func Routes() {}
`),
  )
  it('records imports by alias or package name', () => {
    expect(info.imports).toEqual({
      http: { module: 'net/http', name: '*' },
      h: { module: 'example.com/shop/internal/handlers', name: '*' },
      chi: { module: 'github.com/go-chi/chi/v5', name: '*' },
    })
  })
  it('collects package-level string constants and vars, const blocks included', () => {
    expect(info.constants).toEqual({
      APIPrefix: ['/api'],
      users: ['/users'],
      orders: ['/orders'],
      feed: [{ ref: 'APIPrefix' }, '/feed'],
    })
  })
  it('exports capitalised names', () => {
    expect(Object.keys(info.exports).sort()).toEqual(['APIPrefix', 'Kind', 'Routes'])
  })
})

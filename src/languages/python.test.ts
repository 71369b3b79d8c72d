import { describe, expect, it } from 'vitest'
import { parseSource } from './parse.js'
import { pythonLanguage } from './python.js'

const analyze = (src: string) => pythonLanguage.analyzeModule(parseSource('python', src).root())
/** The path of the right-hand side of the last line `x = <expr>`. */
const pathOf = (expr: string) => {
  const root = parseSource('python', `x = ${expr}\n`).root()
  return pythonLanguage.pathOf(root.find({ rule: { kind: 'assignment' } })!.field('right')!)
}

describe('python analyzeModule', () => {
  it('reads imports, keeping relative dots', () => {
    const m = analyze(`import a.b as c
import os, x.y
from a.b import c as d, e
from ..pkg.mod import router
from . import views
`)
    expect(m.imports).toEqual({
      c: { module: 'a.b', name: '*' },
      os: { module: 'os', name: '*' },
      x: { module: 'x', name: '*' },
      'x.y': { module: 'x.y', name: '*' },
      d: { module: 'a.b', name: 'c' },
      e: { module: 'a.b', name: 'e' },
      router: { module: '..pkg.mod', name: 'router' },
      views: { module: '.', name: 'views' },
    })
  })

  it('reads module-level string constants and settings-class attributes', () => {
    const m = analyze(`API = "/api"
V2: str = API + "/v2"
USERS = f"{V2}/users"
ALIAS = API
count = 3
def f():
    LOCAL = "/no"
class Settings:
    PREFIX: str = "/s"
    debug = False
`)
    expect(m.constants).toEqual({
      API: ['/api'],
      V2: [{ ref: 'API' }, '/v2'],
      USERS: [{ ref: 'V2' }, '/users'],
      ALIAS: [{ ref: 'API' }],
      'Settings.PREFIX': ['/s'],
    })
  })
})

describe('python pathOf', () => {
  it('evaluates literals with prefixes and implicit concatenation', () => {
    expect(pathOf(`r"^x/(?P<slug>[-\\w]+)/$"`)).toEqual(['^x/(?P<slug>[-\\w]+)/$'])
    expect(pathOf(`b'/bytes'`)).toEqual(['/bytes'])
    expect(pathOf(`"/a" '/b'`)).toEqual(['/a/b'])
    expect(pathOf(`"/items/{item_id}"`)).toEqual(['/items/{item_id}'])
  })

  it('evaluates f-strings, + and references', () => {
    expect(pathOf(`f"{PREFIX}/items/{{id}}"`)).toEqual([{ ref: 'PREFIX' }, '/items/{id}'])
    expect(pathOf(`f"/x/{name!r}"`)).toEqual(['/x/', { unknown: '{name!r}' }])
    expect(pathOf(`settings.API + "/x"`)).toEqual([{ ref: 'settings.API' }, '/x'])
    expect(pathOf(`get_prefix()`)).toEqual([{ unknown: 'get_prefix()' }])
  })

  it('evaluates simple % and .format, and gives up on the rest', () => {
    expect(pathOf(`"/api/%s/users" % VERSION`)).toEqual(['/api/', { ref: 'VERSION' }, '/users'])
    expect(pathOf(`"/%s/%s" % (A, "b")`)).toEqual(['/', { ref: 'A' }, '/b'])
    expect(pathOf(`"/%d" % n`)).toEqual([{ unknown: '"/%d" % n' }])
    expect(pathOf(`"/{}/{name}".format(A, name="n")`)).toEqual(['/', { ref: 'A' }, '/n'])
    expect(pathOf(`"/{:>3}".format(A)`)).toEqual([{ unknown: '"/{:>3}".format(A)' }])
  })
})

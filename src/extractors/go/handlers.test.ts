import { describe, expect, it } from 'vitest'
import { parseSource } from '../../languages/parse.js'
import { handlerName } from './handlers.js'

const exprOf = (expr: string) =>
  parseSource('go', `package p\nvar x = ${expr}\n`)
    .root()
    .find({ rule: { kind: 'expression_list' } })!
    .namedChildren()[0]!

describe('handlerName', () => {
  it('names plain, selected, wrapped and factory handlers', () => {
    expect(handlerName(exprOf('getUser'))).toBe('getUser')
    expect(handlerName(exprOf('h.GetUser'))).toBe('GetUser')
    expect(handlerName(exprOf('http.HandlerFunc(login)'))).toBe('login')
    expect(handlerName(exprOf('s.handleAbout()'))).toBe('handleAbout')
    expect(handlerName(exprOf('func(w http.ResponseWriter, r *http.Request) {}'))).toBeUndefined()
  })
})

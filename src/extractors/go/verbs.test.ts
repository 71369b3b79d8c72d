import { describe, expect, it } from 'vitest'
import { parseSource } from '../../languages/parse.js'
import { methodsOf } from './verbs.js'

const exprOf = (expr: string) =>
  parseSource('go', `package p\nvar x = ${expr}\n`)
    .root()
    .find({ rule: { kind: 'expression_list' } })!
    .namedChildren()[0]!

describe('methodsOf', () => {
  it('reads literals, net/http constants and string slices', () => {
    expect(methodsOf(exprOf('"get"'))).toEqual(['GET'])
    expect(methodsOf(exprOf('http.MethodPatch'))).toEqual(['PATCH'])
    expect(methodsOf(exprOf('[]string{"GET", http.MethodPost}'))).toEqual(['GET', 'POST'])
    expect(methodsOf(exprOf('method'))).toBeUndefined()
  })
})

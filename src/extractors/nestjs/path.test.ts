import { describe, expect, it } from 'vitest'
import { literalText } from '../js-options.js'
import { joinSegments } from './path.js'

describe('joinSegments', () => {
  it('gives each piece one leading slash and drops empty pieces and trailing slashes', () => {
    expect(joinSegments([['users'], [':id']])).toEqual(['/users', '/:id'])
    expect(joinSegments([['/users/'], []])).toEqual(['/users'])
    expect(joinSegments([[''], ['/']])).toEqual([])
  })
  it('keeps references to constants, behind a slash', () => {
    expect(joinSegments([[{ ref: 'ROUTES.users' }], ['x']])).toEqual(['/', { ref: 'ROUTES.users' }, '/x'])
  })
})

describe('literalText', () => {
  const module = { imports: {}, exports: {}, constants: { PREFIX: ['api'], NESTED: [{ ref: 'PREFIX' }, '/v'] } }
  it('reads literals and constants of the file', () => {
    expect(literalText(['a', { ref: 'NESTED' }], module)).toBe('aapi/v')
  })
  it('is undefined for anything computed', () => {
    expect(literalText([{ ref: 'OTHER' }], module)).toBeUndefined()
    expect(literalText([{ unknown: 'f()' }], module)).toBeUndefined()
  })
})

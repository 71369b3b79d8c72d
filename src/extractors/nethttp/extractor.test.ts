import { describe, expect, it } from 'vitest'
import { splitPattern } from './extractor.js'

describe('splitPattern', () => {
  it('reads the Go 1.22 method prefix', () => {
    expect(splitPattern(['GET /items/{id}'])).toEqual({ methods: ['GET'], path: ['/items/{id}'] })
    expect(splitPattern(['POST  /items'])).toEqual({ methods: ['POST'], path: ['/items'] })
  })
  it('serves every method without one', () => {
    expect(splitPattern(['/static/{path...}'])).toEqual({ methods: ['ALL'], path: ['/static/{path...}'] })
  })
  it('drops a host', () => {
    expect(splitPattern(['GET admin.example.com/dashboard'])).toEqual({ methods: ['GET'], path: ['/dashboard'] })
    expect(splitPattern(['example.com/'])).toEqual({ methods: ['ALL'], path: ['/'] })
  })
  it('keeps references after a literal method', () => {
    expect(splitPattern(['GET ', { ref: 'base' }, '/x'])).toEqual({ methods: ['GET'], path: ['', { ref: 'base' }, '/x'] })
    expect(splitPattern([{ ref: 'pattern' }])).toEqual({ methods: ['ALL'], path: [{ ref: 'pattern' }] })
  })
})

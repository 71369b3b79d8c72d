import { expect, it } from 'vitest'
import { verifiedPercentOf } from './verified.js'

it('gives the verified share in percent, one decimal, 0 with nothing to port', () => {
  expect(verifiedPercentOf({ verified: 16, total: 42 })).toBe(38.1)
  expect(verifiedPercentOf({ verified: 1, total: 8 })).toBe(12.5)
  expect(verifiedPercentOf({ verified: 0, total: 0 })).toBe(0)
})

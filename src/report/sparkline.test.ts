import { describe, expect, it } from 'vitest'
import { sparkline } from './sparkline.js'

describe('sparkline', () => {
  it('scales between the lowest and highest value, with a dot for a missing one', () => {
    expect(sparkline([0, null, 7, 3.5])).toBe('▁·█▅')
  })
  it('draws a flat series on the middle bar, and nothing without a value', () => {
    expect(sparkline([2, 2])).toBe('▄▄')
    expect(sparkline([null, null])).toBe('')
  })
  it('keeps the last values only', () => {
    expect(sparkline([9, 1, 2], 2)).toBe('▁█')
  })
})

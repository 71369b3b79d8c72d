import { describe, expect, it } from 'vitest'
import { numberFlag, secondsFlag } from './args.js'

describe('numberFlag', () => {
  it('reads numbers within the bounds, and nothing when absent', () => {
    expect(numberFlag('timeout', undefined)).toBeUndefined()
    expect(numberFlag('timeout', '2.5')).toBe(2.5)
    expect(numberFlag('warmup', '0', { min: 0 })).toBe(0)
    expect(numberFlag('trials', '3', { min: 1, integer: true })).toBe(3)
  })
  it('names the flag and what it takes', () => {
    expect(() => numberFlag('timeout', 'soon')).toThrow('--timeout soon is not a number above 0')
    expect(() => numberFlag('timeout', '0')).toThrow(/above 0/)
    expect(() => numberFlag('trials', '1.5', { min: 1, integer: true })).toThrow('--trials 1.5 is not a whole number of at least 1')
    expect(() => numberFlag('rate', 'Infinity')).toThrow(/--rate/)
    // Seconds that become timers: a day at most (past 2^31 ms a timer fires at once).
    expect(secondsFlag('timeout', '86400')).toBe(86400)
    expect(() => secondsFlag('timeout', '3000000')).toThrow('--timeout 3000000 is not a number above 0 and at most 86400')
  })
})

import { describe, expect, it } from 'vitest'
import { createProgress } from './progress.js'

describe('createProgress', () => {
  it('draws nothing when disabled (not a TTY, or CI)', () => {
    const out: string[] = []
    const p = createProgress(
      'scanning',
      (t) => out.push(t),
      false,
      () => 5000,
    )
    p.update(1, 2)
    p.done()
    expect(out).toEqual([])
  })
  it('stays quiet for work shorter than a second, then draws files done of total', () => {
    const out: string[] = []
    let t = 0
    const p = createProgress(
      'scanning',
      (s) => out.push(s),
      true,
      () => t,
    )
    t = 500
    p.update(10, 100)
    expect(out).toEqual([])
    t = 1500
    p.update(50, 100)
    expect(out).toHaveLength(1)
    expect(out[0]).toContain('50/100 files')
    expect(out[0]).toContain('█'.repeat(15))
    p.done()
    expect(out[1]).toBe('\r\x1b[2K')
  })
})
